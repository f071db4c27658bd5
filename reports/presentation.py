"""How the scorecard's numbers are laid out on the page: rows, tables and trend charts.

Pure functions over the dicts that `metrics.compute_scorecard` returns; charts are small SVG
polylines computed here and drawn by the template, so no chart library or CDN is needed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from reports.metrics import DEFINITIONS

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 168, 40, 4


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    definition: str
    kind: str  # count / percent / minutes
    value: Callable[[dict], float | int | None]
    drill: Callable[[dict], dict | None]
    detail: Callable[[dict], str] = lambda m: ""


def _of(name: str) -> Callable[[dict], str]:
    return lambda m: f"{m[name]['value']} of {m[name]['of']}"


SERIES: tuple[Series, ...] = (
    Series("received", "Received", "received", "count", lambda m: m["received"]["value"],
           lambda m: m["received"]["drill"]),
    Series("resolved", "Completed", "resolved", "count", lambda m: m["resolved"]["value"],
           lambda m: m["resolved"]["drill"]),
    Series("escalated", "Escalated", "escalated", "count", lambda m: m["escalated"]["value"],
           lambda m: m["escalated"]["drill"]),
    Series("open_at_end", "Unresolved at the week's end", "open_at_end", "count",
           lambda m: m["open_at_end"]["value"], lambda m: m["open_at_end"]["drill"]),
    Series("open_older", "… older than two business days", "open_older", "count",
           lambda m: m["open_older"]["value"], lambda m: m["open_older"]["drill"]),
    Series("first_response_median", "First meaningful response, median", "first_response",
           "minutes", lambda m: m["first_response"]["median_minutes"],
           lambda m: m["first_response"]["drill"],
           lambda m: f"{m['first_response']['answered']} answered"),
    Series("first_response_p90", "First meaningful response, 90th percentile",
           "first_response", "minutes", lambda m: m["first_response"]["p90_minutes"],
           lambda m: m["first_response"]["drill"]),
    Series("first_response_within", "First response within the moment's target",
           "first_response", "percent", lambda m: m["first_response"]["share_within_target"],
           lambda m: m["first_response"]["within_drill"],
           lambda m: f"{m['first_response']['within_target']} within, "
           f"{m['first_response']['missed']} missed, {m['first_response']['awaiting']} awaiting"),
    Series("repeat_contacts", "Repeat contacts", "repeat_contacts", "percent",
           lambda m: m["repeat_contacts"]["rate"], lambda m: m["repeat_contacts"]["drill"],
           _of("repeat_contacts")),
    Series("knew_next_step", "Knew what to do next", "knew_next_step", "percent",
           lambda m: m["knew_next_step"]["rate"], lambda m: m["knew_next_step"]["drill"],
           lambda m: f"{m['knew_next_step']['value']} yes of {m['knew_next_step']['of']} "
           f"answered, {m['knew_next_step']['asked']['value']} asked"),
    Series("confirmation_completion", "Confirmation completion", "confirmation_completion",
           "percent", lambda m: m["confirmation_completion"]["rate"],
           lambda m: m["confirmation_completion"]["drill"], _of("confirmation_completion")),
    Series("no_show_recovery", "No-show recovery", "no_show_recovery", "percent",
           lambda m: m["no_show_recovery"]["rate"], lambda m: m["no_show_recovery"]["drill"],
           _of("no_show_recovery")),
    Series("unresolved_portal", "Unresolved portal messages", "unresolved_portal", "count",
           lambda m: m["unresolved_portal"]["value"], lambda m: m["unresolved_portal"]["drill"]),
    Series("documentation_accuracy", "Documentation accuracy", "documentation_accuracy",
           "percent", lambda m: m["documentation_accuracy"]["rate"],
           lambda m: m["documentation_accuracy"]["drill"], _of("documentation_accuracy")),
    Series("note_overrides", "Notes saved over the checker", "note_overrides", "count",
           lambda m: m["note_overrides"]["value"], lambda m: m["note_overrides"]["drill"]),
    Series("promises_kept", "Promises kept on time", "promises_kept", "percent",
           lambda m: m["promises_kept"]["rate"], lambda m: m["promises_kept"]["drill"],
           lambda m: f"{m['promises_kept']['value']} of {m['promises_kept']['of']}, "
           f"{m['promises_broken']['value']} broken"),
    Series("escalation_accuracy", "Escalation accuracy", "escalation_accuracy", "percent",
           lambda m: m["escalation_accuracy"]["rate"],
           lambda m: m["escalation_accuracy"]["drill"], _of("escalation_accuracy")),
    Series("missed_escalations", "Missed escalations found in QA", "missed_escalations",
           "count", lambda m: m["missed_escalations"]["value"],
           lambda m: m["missed_escalations"]["drill"]),
    Series("complaints", "Complaints", "complaints", "count",
           lambda m: m["complaints"]["value"], lambda m: m["complaints"]["drill"],
           lambda m: f"{m['complaints']['communication_related']['value']} about communication"),
)  # fmt: skip


def display(value: float | int | None, kind: str) -> str:
    if value is None or value == "":  # "" is what a template passes for a missing value
        return "–"
    if kind == "percent":
        return f"{value * 100:.0f}%"
    if kind == "minutes":
        return f"{value:g} min"
    return str(value)


def sparkline(values: list[float | int | None]) -> dict:
    """Polyline segments (gaps where a week has no value) and dots, in a fixed viewBox."""
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0, 1)
    span = (high - low) or 1
    step = (CHART_WIDTH - 2 * CHART_PAD) / max(len(values) - 1, 1)
    inner = CHART_HEIGHT - 2 * CHART_PAD
    points: list[tuple[float, float] | None] = [
        None
        if v is None
        else (
            round(CHART_PAD + i * step, 1),
            round(CHART_HEIGHT - CHART_PAD - (v - low) / span * inner, 1),
        )
        for i, v in enumerate(values)
    ]
    segments, current = [], []
    for point in points:
        if point is None:
            if len(current) > 1:
                segments.append(current)
            current = []
        else:
            current.append(point)
    if len(current) > 1:
        segments.append(current)
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "segments": [" ".join(f"{x},{y}" for x, y in seg) for seg in segments],
        "dots": [p for p in points if p is not None],
        "last": points[-1],
    }


def summary_rows(data: dict, history: list[dict]) -> list[dict]:
    """One row per headline number: this week's value, its definition and its trend."""
    weeks = [*history, data]
    rows = []
    for series in SERIES:
        values = [series.value(week["metrics"]) for week in weeks]
        rows.append(
            {
                "key": series.key,
                "title": series.title,
                "definition": DEFINITIONS[series.definition],
                "value": display(values[-1], series.kind),
                "detail": series.detail(data["metrics"]),
                "drill": series.drill(data["metrics"]),
                "chart": sparkline(values),
                "history": [
                    {"week": week["iso_week"], "value": display(value, series.kind)}
                    for week, value in zip(weeks, values, strict=True)
                ],
            }
        )
    return rows


BREAKDOWN_COUNTS = ("received", "resolved", "escalated", "open_at_end", "repeat_contacts")


def breakdown(data: dict, dim: str) -> list[dict]:
    """One table row per moment, language or channel, joining every metric's breakdown."""
    m = data["metrics"]
    rows: dict[str, dict] = {}
    for name in BREAKDOWN_COUNTS:
        for entry in m[name].get(f"by_{dim}", []):
            row = rows.setdefault(entry["key"], {"key": entry["key"], "label": entry["label"]})
            row[name] = entry
    for entry in m["first_response"][f"by_{dim}"]:
        row = rows.setdefault(entry["key"], {"key": entry["key"], "label": entry["label"]})
        row["first_response"] = entry
    ordered = sorted(rows.values(), key=lambda r: -(r.get("received") or {}).get("value", 0))
    return ordered
