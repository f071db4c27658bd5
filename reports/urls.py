from django.urls import path, register_converter

from reports import views
from reports.weeks import iso_week, parse_iso_week


class IsoWeekConverter:
    """'2026-W47' in a URL, the Monday of that ISO week in the view."""

    regex = r"[0-9]{4}-W[0-9]{2}"

    def to_python(self, value: str):
        return parse_iso_week(value)  # ValueError → 404

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else iso_week(value)


register_converter(IsoWeekConverter, "isoweek")

app_name = "reports"

urlpatterns = [
    path("", views.scorecard_home, name="scorecard-home"),
    path("<slug:slug>/", views.scorecard_practice, name="scorecard-practice"),
    path("<slug:slug>/<isoweek:week>/", views.scorecard, name="scorecard"),
    path("<slug:slug>/<isoweek:week>/scorecard.csv", views.scorecard_csv, name="scorecard-csv"),
    path("<slug:slug>/<isoweek:week>/build/", views.scorecard_build, name="scorecard-build"),
    path("<slug:slug>/<isoweek:week>/items/<slug:metric>/", views.drilldown, name="drilldown"),
    path("<slug:slug>/<isoweek:week>/quality/", views.quality_loop, name="quality-loop"),
    path("<slug:slug>/<isoweek:week>/coaching/", views.coaching_week, name="coaching"),
    path(
        "<slug:slug>/<isoweek:week>/quality/decisions/",
        views.decision_create,
        name="decision-create",
    ),
]
