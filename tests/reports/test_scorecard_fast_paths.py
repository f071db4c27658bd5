"""The scorecard's speed paths give the same answers as the plain ones."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from queue_app.clock import BusinessHours, add_business_minutes, business_minutes_between
from reports import compiled, metrics
from reports.response_times import Calendar
from tests.reports.conftest import WEEK

HOURS = [
    ("America/New_York", {"mon": ["08:00", "17:00"], "fri": ["08:00", "17:00"],
                          "holidays": ["2026-11-26", "2026-03-09"]}),
    ("America/New_York", {"sun": ["01:30", "03:30"], "mon": ["00:00", "23:59"]}),
    ("Europe/London", {"sun": ["00:30", "02:30"], "wed": ["01:00", "23:59"]}),
    ("UTC", {}),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("tz", "data"), HOURS)
def test_the_calendar_counts_business_minutes_exactly_as_the_clock(tz, data):
    hours = BusinessHours.from_json(tz, data)
    calendar = Calendar(hours)
    rng = random.Random(7)
    for _ in range(2000):
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(525_600))
        end = start + timedelta(minutes=rng.choice([-50, 0, 1, 30, 600, 3000, 20000]))
        assert calendar.minutes_between(start, end) == business_minutes_between(start, end, hours)
        minutes = rng.choice([0, 1, 15, 60, 540, 2000, 10000])
        try:
            expected = add_business_minutes(start, minutes, hours)
        except ValueError:
            with pytest.raises(ValueError):
                calendar.add_minutes(start, minutes)
        else:
            assert calendar.add_minutes(start, minutes) == expected


def test_every_scorecard_query_is_compiled_once_and_bound_to_each_week(world, practice_a):
    compiled.COMPILED.clear()
    metrics.compute_scorecard(practice=practice_a, week=WEEK, now=world["now"])
    assert compiled.COMPILED and all(compiled.COMPILED.values())


@pytest.mark.parametrize("language", [None, "es"])
def test_bound_queries_count_the_same_as_the_orm(world, practice_a, monkeypatch, language):
    compiled.COMPILED.clear()
    earlier = WEEK - timedelta(weeks=3)  # compiles, so that WEEK runs from the bound SQL
    metrics.compute_scorecard(
        practice=practice_a, week=earlier, now=world["now"], language=language
    )
    bound = metrics.compute_scorecard(
        practice=practice_a, week=WEEK, now=world["now"], language=language
    )
    compiled.COMPILED.clear()
    monkeypatch.setattr(compiled, "_compile", lambda build, w: None)  # every query by the ORM
    orm = metrics.compute_scorecard(
        practice=practice_a, week=WEEK, now=world["now"], language=language
    )
    compiled.COMPILED.clear()
    assert bound == orm
    assert bound["metrics"]["received"]["value"] > 0
