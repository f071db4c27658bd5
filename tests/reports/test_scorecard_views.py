"""The scorecard page, its CSV export, drill-downs and snapshot builds, over HTTP."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from queue_app.access import MANAGE, practices_for
from queue_app.models import AuditEvent, CommunicationMoment, Role
from reports import services
from reports.models import WeeklyScorecard
from reports.weeks import iso_week
from tests.factories import verified_login
from tests.reports.conftest import NY, WEEK, day, fast_user, item, local, send, template

W46 = iso_week(WEEK)


def url(name: str, slug: str = "alpha", week: str = W46, **kwargs) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": slug, "week": week, **kwargs})


def test_home_sends_a_manager_of_one_practice_to_its_scorecard(manager_client, boss):
    assert list(practices_for(boss, MANAGE).values_list("slug", flat=True)) == ["alpha"]
    response = manager_client.get(reverse("reports:scorecard-home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:scorecard-practice", args=["alpha"])


def test_the_practice_link_opens_the_last_finished_week(manager_client):
    response = manager_client.get(reverse("reports:scorecard-practice", args=["alpha"]))
    assert response.status_code == 302
    assert "/reports/alpha/20" in response["Location"]


def test_the_week_picker_form_switches_weeks_and_keeps_the_language(manager_client):
    response = manager_client.get(
        reverse("reports:scorecard-practice", args=["alpha"]),
        {"week": "2026-W47", "language": "es"},
    )
    assert response["Location"] == url("scorecard", week="2026-W47") + "?language=es"


def test_a_manager_sees_every_metric_with_its_definition_and_trend(manager_client, world):
    response = manager_client.get(url("scorecard"))
    assert response.status_code == 200
    html = response.content.decode()
    data = response.context["data"]
    assert data["metrics"]["received"]["value"] == 8
    assert response.context["snapshot"] is None
    for row in response.context["summary"]:
        assert f'id="metric-{row["key"]}"' in html
        assert len(row["history"]) == 9
    assert html.count('<details class="definition">') >= len(response.context["summary"])
    assert html.count('<svg class="spark"') == len(response.context["summary"])
    assert "47.5 min" in html  # the Spanish median, on its own line
    assert "cdn" not in html.lower()


def test_the_page_shows_promises_kept_per_language_and_moment_with_their_drilldowns(
    manager_client, world
):
    html = manager_client.get(url("scorecard")).content.decode()
    section = html[html.index('id="promise-heading"') :]
    section = section[: section.index("</section>")]
    assert "(50%)" in section  # all: 2 of 4
    assert "(0%)" in section  # appointment requests: 0 of 1
    broken = url("drilldown", metric="promises_broken")
    assert f'href="{broken}?language=es"' in section.replace("&amp;", "&")
    response = manager_client.get(broken)
    assert response.context["page"].paginator.count == 2
    assert {i.moment.key for i in response.context["page"]} == {
        "reschedule",
        "appointment_request",
    }


def test_the_language_filter_shows_only_spanish_items(manager_client, world):
    response = manager_client.get(url("scorecard"), {"language": "es"})
    assert response.status_code == 200
    assert response.context["language"] == "es"
    assert response.context["data"]["metrics"]["received"]["value"] == 4
    assert "ES items only" in response.content.decode()


def test_an_unknown_language_is_ignored(manager_client, world):
    response = manager_client.get(url("scorecard"), {"language": "fr"})
    assert response.context["language"] is None


def test_the_page_reads_a_stored_snapshot_in_few_queries(
    manager_client, world, practice_a, django_assert_max_num_queries
):
    for n in range(0, 9):
        week = WEEK - timedelta(weeks=n)
        services.build_weekly_scorecard(practice=practice_a, week=week, now=world["now"])
    with django_assert_max_num_queries(25):
        response = manager_client.get(url("scorecard"))
    assert response.status_code == 200
    assert response.context["snapshot"] is not None
    # Built at world["now"], shown on the practice's clock like every other time on the page.
    shown = world["now"].astimezone(NY).strftime("%a %b %d, %H:%M")
    assert f"Stored snapshot built {shown} (America/New_York)" in response.content.decode()


def test_the_page_computed_live_costs_the_same_queries_with_more_items(
    manager_client, world, practice_a, django_assert_max_num_queries
):
    # No snapshot: the week and the 8 weeks of its trend are computed, each in the same
    # 14 queries (test_metrics) however many items the weeks hold, plus the page's own 8.
    manager_client.get(url("scorecard"))  # the session's first request
    with django_assert_max_num_queries(9 * 14 + 8) as few:
        assert manager_client.get(url("scorecard")).status_code == 200
    patient = world["i1"].patient
    for n in range(9 * 6):  # six more items a week, in the week and each week of its trend
        received = local(day(n % 5, WEEK - timedelta(weeks=n % 9)), "10:00")
        more = item(practice_a, patient, "reschedule", received, status="resolved",
                    resolved_at=received + timedelta(hours=2))  # fmt: skip
        send(more, received + timedelta(minutes=30), tmpl=template(practice_a, "reschedule", "en"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = manager_client.get(url("scorecard"))
    assert response.context["snapshot"] is None
    assert response.context["data"]["metrics"]["received"]["value"] == 8 + 6


def test_an_outsider_gets_404_everywhere(client, outsider, world):
    verified_login(client, outsider)
    for name in ("scorecard", "scorecard-csv", "quality-loop"):
        assert client.get(url(name)).status_code == 404
    assert client.get(url("drilldown", metric="received")).status_code == 404
    assert client.post(url("scorecard-build")).status_code == 404
    assert client.post(url("decision-create"), {"text": "x"}).status_code == 404


def test_an_assistant_gets_403(client, practice_a, world):
    helper = fast_user("helper-a", practice_a, Role.ASSISTANT)
    client.force_login(helper)
    for name in ("scorecard", "scorecard-csv", "quality-loop"):
        assert client.get(url(name)).status_code == 403
    assert client.get(url("drilldown", metric="received")).status_code == 403
    assert client.post(url("scorecard-build")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(url("scorecard"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_malformed_week_is_404(manager_client):
    assert manager_client.get("/reports/alpha/2026-W99/").status_code == 404


def test_build_is_post_only(manager_client):
    assert manager_client.get(url("scorecard-build")).status_code == 405


def test_the_drilldown_lists_the_items_behind_a_number_and_is_audited(manager_client, world, boss):
    response = manager_client.get(url("drilldown", metric="received"), {"language": "es"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 4
    assert {i.language for i in page} == {"es"}
    event = AuditEvent.objects.get(action="scorecard_drilldown")
    assert event.actor == boss
    assert set(event.patient_ids) == {i.patient_id for i in page}
    assert str(page[0].code) in response.content.decode()


def test_the_appointment_drilldown_lists_appointments(manager_client, world):
    response = manager_client.get(url("drilldown", metric="no_shows"))
    assert response.status_code == 200
    assert response.context["appointments"] is True
    assert response.context["page"].paginator.count == 2


def test_an_unknown_metric_is_404(manager_client):
    assert manager_client.get(url("drilldown", metric="nonsense")).status_code == 404


def test_the_csv_export_is_audited_and_matches_the_command(manager_client, world, boss):
    response = manager_client.get(url("scorecard-csv"), {"language": "es"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    exported = response.content.decode()
    out = io.StringIO()
    call_command("scorecard", practice="alpha", week=W46, format="csv", language="es", stdout=out)
    assert exported == out.getvalue()
    rows = list(csv.DictReader(io.StringIO(exported)))
    received = next(r for r in rows if r["metric"] == "received" and not r["dimension"])
    assert received["value"] == "4"
    assert AuditEvent.objects.filter(action="scorecard_export", actor=boss).count() == 1


def test_the_command_and_the_page_show_the_same_numbers(manager_client, world):
    page = manager_client.get(url("scorecard")).context["data"]
    out = io.StringIO()
    call_command("scorecard", practice="alpha", week=W46, format="json", stdout=out)
    printed = json.loads(out.getvalue())
    page.pop("as_of"), printed.pop("as_of")  # both "now": the week is over, both equal anyway
    assert printed == json.loads(json.dumps(page))


def test_csv_cells_that_look_like_formulas_are_neutralized(manager_client, world, practice_a):
    CommunicationMoment.objects.filter(practice=practice_a, key="reschedule").update(
        name={"en": '=HYPERLINK("http://evil.test","x")'}
    )
    CommunicationMoment.objects.filter(practice=practice_a, key="cancel").update(
        name={"en": "@SUM(A1)"}
    )
    exported = manager_client.get(url("scorecard-csv")).content.decode()
    labels = [row["label"] for row in csv.DictReader(io.StringIO(exported))]
    assert '\'=HYPERLINK("http://evil.test","x")' in labels
    assert not any(label.startswith(("=", "+", "-", "@")) for label in labels)


def test_a_manager_stores_a_finished_week_and_a_rebuild_needs_a_reason(manager_client, world, boss):
    response = manager_client.post(url("scorecard-build"))
    assert response.status_code == 302
    first = WeeklyScorecard.objects.get()
    assert first.built_by == boss and first.service == ""
    manager_client.post(url("scorecard-build"), {"reason": ""})
    assert WeeklyScorecard.objects.count() == 1  # no reason, no rebuild
    manager_client.post(url("scorecard-build"), {"reason": "late QA reviews"})
    first.refresh_from_db()
    assert first.superseded_at is not None
    current = WeeklyScorecard.objects.get(superseded_at__isnull=True)
    assert current.rebuilt_from == first and current.rebuild_reason == "late QA reviews"


@pytest.mark.parametrize("week", ["2030-W01"])
def test_a_week_not_over_cannot_be_stored(manager_client, week):
    response = manager_client.post(url("scorecard-build", week=week), follow=True)
    assert WeeklyScorecard.objects.count() == 0
    assert "not over yet" in response.content.decode()
