"""Scorecard queries compiled once per process and shape, then bound to each week's values.

Building and compiling these querysets took more Python time than PostgreSQL takes to run
them (profiled: about 25 of a scorecard's 66 ms). Their SQL differs from week to week only
in parameters taken from the Week, so each query is compiled once per process and shape
(language filter or not, cutoff or not) against two stand-in weeks whose values all differ:
the SQL text must come out identical, and every parameter that differs between the two must
be one stand-in's field in the same place, or the query is not cached and runs through the
ORM as before (so do all queries on other databases than PostgreSQL). Later weeks bind their
own values in those places, and the rows go through the converters the compiler chose. The
querysets come from the same functions and conditions that the drill-downs use.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from reports.weeks import Week

WEEK_FIELDS = ("practice_id", "monday", "start", "end", "now", "as_of", "cutoff", "language")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per parameter: the Week field it takes, or None for a constant (kept in `constants`).
    slots: tuple[str | None, ...]
    constants: tuple
    names: tuple[str, ...]
    # (column, converters, expression), as SQLCompiler.apply_converters takes them.
    converters: tuple[tuple[int, list, object], ...]


COMPILED: dict[tuple, _Compiled | None] = {}


def _week_values(w: Week) -> dict:
    return {
        "practice_id": w.practice.pk,
        "monday": w.monday,
        "start": w.start,
        "end": w.end,
        "now": w.now,
        "as_of": w.as_of,
        "cutoff": w.cutoff,
        "language": w.language,
    }


STAND_IN_ZONES = ("Pacific/Kiritimati", "America/Adak")


def _stand_in(w: Week, n: int) -> Week:
    """A week of the same shape whose values are unlike any real week's, and unlike the other
    stand-in's: a practice id below zero, days and instants in year 2. The practice's zone
    and hours differ too, so that a query taking a value from them (and not from the week's
    fields) compiles differently and is not cached."""
    practice = copy.copy(w.practice)
    practice.pk = -(10**15) - n
    practice.timezone = STAND_IN_ZONES[n - 1]
    practice.business_hours = {"mon": [f"0{n}:00", "23:00"]}
    day = date(2, 1, 1) + timedelta(days=30 * n)
    at = datetime.combine(day, time(0), tzinfo=UTC)
    return Week(
        practice=practice,
        monday=day,
        start=at + timedelta(microseconds=1),
        end=at + timedelta(microseconds=2),
        now=at + timedelta(microseconds=3),
        as_of=at + timedelta(microseconds=4),
        cutoff=None if w.cutoff is None else at + timedelta(microseconds=5),
        language=None if w.language is None else f"<language {n}>",
    )


def _names(query) -> tuple[str, ...]:
    """Column names of a values()/values_list() query, as ValuesIterable names them."""
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)


def _compile(build: Callable[[Week], QuerySet], w: Week) -> _Compiled | None:
    compiled = []
    for n in (1, 2):  # the two stand-ins
        stand_in = _stand_in(w, n)
        qs = build(stand_in)
        if qs.db != DEFAULT_DB_ALIAS or connections[qs.db].vendor != "postgresql":
            return None
        compiler = qs.query.get_compiler(qs.db)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet):
            return None
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            return None
        converters = tuple((i, *found) for i, found in compiler.get_converters(fields).items())
        compiled.append((sql, tuple(params), _week_values(stand_in), _names(qs.query), converters))
    (sql_a, params_a, values_a, names, converters), (sql_b, params_b, values_b, *_) = compiled
    if sql_a != sql_b or len(params_a) != len(params_b):
        return None
    slots = []
    for a, b in zip(params_a, params_b, strict=True):
        field = next(
            (
                name
                for name in WEEK_FIELDS
                if values_a[name] is not None
                and type(a) is type(values_a[name])
                and a == values_a[name]
                and b == values_b[name]
            ),
            None,
        )
        if field is None and a != b:
            return None  # a week-dependent value this mapping does not know
        slots.append(field)
    return _Compiled(sql_a, tuple(slots), params_a, names, converters)


def fetch(build: Callable[[Week], QuerySet], w: Week) -> tuple[tuple[str, ...], list[tuple]]:
    """Column names and rows of the values() queryset `build(w)`."""
    key = (build, w.language is None, w.cutoff is None)
    if key not in COMPILED:
        COMPILED[key] = _compile(build, w)
    compiled = COMPILED[key]
    if compiled is None:
        qs = build(w)
        compiler = qs.query.get_compiler(qs.db)
        return _names(qs.query), list(compiler.results_iter(tuple_expected=True))
    values = _week_values(w)
    params = [
        constant if field is None else values[field]
        for field, constant in zip(compiled.slots, compiled.constants, strict=True)
    ]
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if compiled.converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for column, converters, expression in compiled.converters:
                value = row[column]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[column] = value
    return compiled.names, rows


def fetch_dicts(build: Callable[[Week], QuerySet], w: Week) -> list[dict]:
    names, rows = fetch(build, w)
    return [dict(zip(names, row, strict=True)) for row in rows]
