"""The weekly quality-loop review and the decisions managers record in it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from queue_app.models import AuditEvent
from reports import services
from reports.models import QualityDecision
from reports.weeks import iso_week
from templates_lib.models import ResponseTemplate
from tests.reports.conftest import WEEK, day, local, template

URL = reverse("reports:quality-loop", kwargs={"slug": "alpha", "week": iso_week(WEEK)})
POST = reverse("reports:decision-create", kwargs={"slug": "alpha", "week": iso_week(WEEK)})


def new_version(old: ResponseTemplate, *, approved_at) -> ResponseTemplate:
    """Approve the next version of a template, retiring the old one (one approved at a time)."""
    ResponseTemplate.objects.filter(pk=old.pk).update(status="retired", retired_at=approved_at)
    return ResponseTemplate.objects.create(
        practice=old.practice,
        moment=old.moment,
        language=old.language,
        channel=old.channel,
        purpose=old.purpose,
        version=old.version + 1,
        body=old.body + " Updated.",
        status="approved",
        approved_at=approved_at,
        created=approved_at,
    )


def test_the_review_page_lists_every_section_and_audits_the_items_it_shows(
    manager_client, world, boss
):
    response = manager_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Top communication reasons",
        "Unresolved at the week",
        "Documentation issues from QA",
        "Escalation accuracy",
        "Complaints about communication",
        "Templates bringing the most repeat contacts",
        "Decisions",
    ):
        assert heading in html
    assert len(response.context["unresolved"]) == 5
    documentation = {row["key"]: row["value"] for row in response.context["documentation"]}
    assert documentation == {"failed": 1, "outcome_present": 1, "next_step_clear": 1}
    assert re.search(r"Notes saved over the checker, with a reason: <a [^>]+>2</a>", html)
    assert re.search(r"Promises broken \([^)]*\): <a [^>]+>2</a> of 4 due", html)
    event = AuditEvent.objects.get(action="quality_loop_view")
    assert event.actor == boss
    assert set(event.patient_ids) == {i.patient_id for i in response.context["unresolved"]}


def test_a_manager_records_a_decision_linked_to_a_template(manager_client, world, practice_a, boss):
    spanish = template(practice_a, "reschedule", "es")
    response = manager_client.post(
        POST, {"text": "Revise the reschedule reply", "playbook_item": f"template:{spanish.code}"}
    )
    assert response.status_code == 302
    decision = QualityDecision.objects.get()
    assert (decision.template, decision.moment, decision.decided_by) == (
        spanish,
        spanish.moment,
        boss,
    )
    assert decision.week == WEEK


def test_htmx_gets_the_decisions_fragment(manager_client, world, practice_a):
    response = manager_client.post(
        POST,
        {"text": "Revise the intake reminder", "playbook_item": "moment:bilingual_intake"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Revise the intake reminder" in html
    assert QualityDecision.objects.get().template is None


def test_an_invalid_decision_re_renders_with_an_error(manager_client, world):
    response = manager_client.post(
        POST, {"text": "", "playbook_item": "moment:nope"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert QualityDecision.objects.count() == 0


def test_a_template_of_another_practice_cannot_be_chosen(manager_client, world, practice_b):
    foreign = ResponseTemplate.objects.filter(practice=practice_b).first()
    response = manager_client.post(POST, {"text": "x", "playbook_item": f"template:{foreign.code}"})
    assert response.status_code == 200
    assert QualityDecision.objects.count() == 0


def test_decision_create_is_post_only(manager_client):
    assert manager_client.get(POST).status_code == 405


def test_a_template_decision_is_done_once_a_newer_version_is_approved_after_it(practice_a, boss):
    spanish = template(practice_a, "reschedule", "es")
    decided = local(day(8), "10:00")
    decision = services.record_quality_decision(
        practice=practice_a, week=WEEK, text="Shorten it", moment=spanish.moment,
        template=spanish, actor=boss, now=decided,
    )  # fmt: skip
    assert services.decisions_with_status(practice=practice_a, week=WEEK).get().done_at is None
    # Another template of the same moment does not close it.
    english = template(practice_a, "reschedule", "en")
    new_version(english, approved_at=decided + timedelta(days=1))
    assert services.decisions_with_status(practice=practice_a, week=WEEK).get().done_at is None
    approved = decided + timedelta(days=2)
    new_version(spanish, approved_at=approved)
    shown = services.decisions_with_status(practice=practice_a, week=WEEK).get()
    assert shown.pk == decision.pk and shown.done_at == approved


def test_a_version_approved_before_the_decision_does_not_close_it(practice_a, boss):
    spanish = template(practice_a, "reschedule", "es")
    new_version(spanish, approved_at=local(day(7), "09:00"))
    services.record_quality_decision(
        practice=practice_a, week=WEEK, text="Shorten it", moment=spanish.moment,
        template=spanish, actor=boss, now=local(day(8), "10:00"),
    )  # fmt: skip
    assert services.decisions_with_status(practice=practice_a, week=WEEK).get().done_at is None


def test_a_moment_decision_is_done_when_any_of_its_templates_is_approved_after_it(practice_a, boss):
    intake = template(practice_a, "bilingual_intake", "en")
    services.record_quality_decision(
        practice=practice_a, week=WEEK, text="Revise the intake reminder",
        moment=intake.moment, template=None, actor=boss, now=local(day(8), "10:00"),
    )  # fmt: skip
    new_version(intake, approved_at=local(day(9), "10:00"))
    assert services.decisions_with_status(practice=practice_a, week=WEEK).get().done_at


def test_a_decision_needs_words(practice_a, boss):
    intake = template(practice_a, "bilingual_intake", "en")
    with pytest.raises(services.ScorecardError):
        services.record_quality_decision(
            practice=practice_a, week=WEEK, text="  ", moment=intake.moment, template=None,
            actor=boss, now=timezone.now(),
        )  # fmt: skip
