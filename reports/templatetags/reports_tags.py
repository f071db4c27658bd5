from datetime import datetime
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from queue_app.clock import zone
from reports.presentation import display

register = template.Library()


@register.simple_tag(takes_context=True)
def drill_url(context: template.Context, drill: dict | None) -> str:
    """The drill-down page behind one number, for the page's practice and week."""
    if not drill:
        return ""
    filters = {key: value for key, value in drill.items() if key != "metric"}
    # A scorecard prints a few hundred numbers over some thirty metrics: reverse each once.
    paths = context.render_context.setdefault("drill_paths", {})
    path = paths.get(drill["metric"])
    if path is None:
        path = paths[drill["metric"]] = reverse(
            "reports:drilldown",
            kwargs={
                "slug": context["practice"].slug,
                "week": context["week"],
                "metric": drill["metric"],
            },
        )
    return f"{path}?{urlencode(filters)}" if filters else path


@register.filter
def percent(value: float | None) -> str:
    return display(value, "percent")


@register.filter
def minutes(value: float | None) -> str:
    return display(value, "minutes")


@register.filter
def local(value: datetime | None, tz_name: str) -> str:
    """An instant on the practice's wall clock."""
    if value is None:
        return "–"
    return value.astimezone(zone(tz_name)).strftime("%a %b %d, %H:%M")
