from datetime import timedelta

import pytest

from escalation.models import Escalation
from queue_app.models import ItemEvent, Practice, WorkItem
from queue_app.services import intake
from tests import factories
from tests.queue_app.queue_helpers import NOW

pytestmark = pytest.mark.django_db


def create(practice, patient, words="I need to move my appointment on Thursday.", **kw):
    return intake.create_item(
        practice=practice,
        patient=patient,
        moment=factories.moment(practice, kw.pop("key", "reschedule")),
        channel=kw.pop("channel", WorkItem.Channel.SMS),
        words=words,
        language=kw.pop("language", "en"),
        now=kw.pop("now", NOW),
        service="twilio-webhook",
    )


def test_it_sets_due_time_in_business_minutes(practice_a, patient):
    # Friday 16:30 in New York, 60-minute target: 30 minutes today, 30 on Monday, which is
    # already daylight-saving time (08:00 EDT = 12:00 UTC).
    friday_late = NOW.replace(day=6, hour=21, minute=30)
    item = create(practice_a, patient, now=friday_late)
    assert item.received_at == friday_late
    assert item.due_at == NOW.replace(day=9, hour=12, minute=30)
    event = ItemEvent.objects.get(item=item, kind="created")
    assert event.service == "twilio-webhook"


def test_it_links_a_repeat_contact_within_seven_days(practice_a, patient):
    first = create(practice_a, patient, now=NOW - timedelta(days=6))
    second = create(practice_a, patient)
    assert second.repeat_of == first
    assert ItemEvent.objects.get(item=second, kind="created").after["repeat_of"] == str(first.code)


def test_it_does_not_link_after_seven_days_or_another_moment(practice_a, patient):
    create(practice_a, patient, now=NOW - timedelta(days=8))
    create(practice_a, patient, key="cancel", now=NOW - timedelta(days=1))
    item = create(practice_a, patient)
    assert item.repeat_of is None


def test_it_stores_the_triage_boundary_and_reasons(practice_a, patient):
    item = create(practice_a, patient)
    assert item.boundary == WorkItem.Boundary.ADMINISTRATIVE
    assert any("move my appointment" in reason for reason in item.triage_reasons)


def test_urgent_words_escalate_at_intake(practice_a, patient):
    item = create(practice_a, patient, words="I have chest pain right now")
    item.refresh_from_db()
    assert item.boundary == WorkItem.Boundary.URGENT
    assert item.status == WorkItem.Status.ESCALATED
    assert item.priority > 0
    escalation = Escalation.objects.get(item=item)
    assert escalation.route.kind == "urgent"
    assert escalation.detected_by == "triage"
    assert ItemEvent.objects.filter(item=item, kind="escalated", service="triage").exists()


def test_it_assigns_by_round_robin_when_the_practice_says_so(practice_a, patient, assistant):
    item = create(practice_a, patient)
    assert item.owner == assistant
    assert item.status == WorkItem.Status.ASSIGNED


def test_it_is_left_to_claim_under_the_claim_rule(practice_a, patient, assistant):
    Practice.objects.filter(pk=practice_a.pk).update(assignment_rule="claim")
    practice_a.refresh_from_db()
    item = create(practice_a, patient)
    assert item.owner is None
    assert item.status == WorkItem.Status.NEW
