"""An item the clinical team sends back leads the queue, with its instruction in plain words,
until the assistant acts on it; the part of the day never hides sent-back or overdue work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from escalation import services as escalation_services
from queue_app import selectors
from queue_app.models import CallAttempt, WorkItem
from queue_app.services import working
from tests import factories
from tests.queue_app.queue_helpers import NOW, open_item, owned_item

pytestmark = pytest.mark.django_db
INSTRUCTION = "Offer the first same-day slot; no medication advice"


def send_back(item, clinical, now=NOW, instruction=INSTRUCTION) -> WorkItem:
    escalation = escalation_services.escalate_item(
        item=item, route_kind="clinical", reason="Asks about a dose", now=now - timedelta(minutes=5)
    )
    escalation_services.return_escalation(
        escalation=escalation, actor=clinical, instruction=instruction, now=now
    )
    item.refresh_from_db()
    return item


def listed(user, now=NOW, **filters):
    return list(
        selectors.queue_items(user=user, filters=selectors.QueueFilters(**filters), now=now)
    )


def test_a_sent_back_item_leads_after_urgent_work(practice_a, patient, assistant, clinical):
    waiting = open_item(practice_a, patient, owner=assistant, status="waiting")
    overdue = open_item(practice_a, patient, due_at=NOW - timedelta(minutes=10))
    escalated = open_item(practice_a, patient, status="escalated")
    sent_back = send_back(
        owned_item(practice_a, patient, assistant, due_at=NOW + timedelta(hours=5)), clinical
    )
    urgent = open_item(practice_a, patient, boundary="urgent", due_at=NOW + timedelta(hours=6))

    assert sent_back.status == WorkItem.Status.ASSIGNED
    assert sent_back.sent_back_at == NOW
    assert listed(assistant) == [urgent, sent_back, escalated, overdue, waiting]


def test_a_resolved_escalation_is_not_a_sent_back_one(practice_a, patient, clinical):
    item = open_item(practice_a, patient)
    escalation = escalation_services.escalate_item(
        item=item, route_kind="clinical", reason="Asks about a dose", now=NOW
    )
    escalation_services.resolve_escalation(
        escalation=escalation, actor=clinical, note="Called her back", now=NOW
    )
    item.refresh_from_db()
    assert item.sent_back_at is None and not item.is_sent_back


def act_by_call(item, actor):
    working.log_call_attempt(
        item=item,
        actor=actor,
        outcome=CallAttempt.Outcome.NO_ANSWER,
        attempted_at=NOW,
        next_attempt_at=None,
        now=NOW,
    )


def act_by_waiting(item, actor):
    working.mark_needed(item=item, actor=actor, needed="Insurance card photo", now=NOW)


def act_by_follow_up(item, actor):
    working.set_follow_up(item=item, actor=actor, follow_up_at=NOW + timedelta(hours=2), now=NOW)


def act_by_escalating_again(item, actor):
    escalation_services.escalate_item(item=item, route_kind="clinical", reason="Again", now=NOW)


@pytest.mark.parametrize(
    "act", [act_by_call, act_by_waiting, act_by_follow_up, act_by_escalating_again]
)
def test_acting_on_it_ends_sent_back(practice_a, patient, assistant, clinical, act):
    item = send_back(owned_item(practice_a, patient, assistant), clinical, now=NOW)
    routine = open_item(practice_a, patient, due_at=NOW + timedelta(minutes=30))
    assert listed(assistant, show="sent_back") == [item]
    assert listed(assistant)[0] == item

    act(item, assistant)

    item.refresh_from_db()
    assert item.sent_back_at is None
    assert listed(assistant, show="sent_back") == []
    # Routine work due sooner comes first again, unless the item went back to the clinical team.
    order = listed(assistant)
    assert (order.index(item) < order.index(routine)) == (item.status == WorkItem.Status.ESCALATED)


def test_the_part_of_the_day_never_hides_overdue_or_sent_back_work(
    practice_a, patient, assistant, clinical
):
    # appointment_time_question belongs to the afternoon; the queue is on the morning.
    afternoon = {"key": "appointment_time_question"}
    overdue = open_item(practice_a, patient, due_at=NOW - timedelta(minutes=1), **afternoon)
    sent_back = send_back(
        owned_item(practice_a, patient, assistant, due_at=NOW + timedelta(hours=3), **afternoon),
        clinical,
    )
    later = open_item(practice_a, patient, due_at=NOW + timedelta(hours=3), **afternoon)
    waiting_late = open_item(
        practice_a, patient, owner=assistant, status="waiting", due_at=NOW - timedelta(minutes=1)
    )
    WorkItem.objects.filter(pk=waiting_late.pk).update(moment=later.moment)
    morning = open_item(practice_a, patient, due_at=NOW + timedelta(hours=1))

    shown = listed(assistant, block="morning")

    assert shown == [sent_back, overdue, morning]
    assert later not in shown and waiting_late not in shown


def test_the_row_says_sent_back_and_why(client, practice_a, patient, assistant, clinical):
    now = timezone.now()
    item = send_back(owned_item(practice_a, patient, assistant), clinical, now=now)
    open_item(practice_a, patient)
    client.force_login(assistant)

    body = client.get(reverse("queue:queue") + "?block=").content.decode()

    assert '<span class="badge sent-back">Sent back</span>' in body
    assert f"Clinical team sent it back: {escape(INSTRUCTION)}" in body
    # It is the first row.
    assert (
        body.index("data-queue-row")
        < body.index(str(item.code))
        < body.index("data-queue-row", body.index("data-queue-row") + 1)
    )


def test_the_panel_says_what_to_do_next_until_acted_on(
    client, practice_a, patient, assistant, clinical
):
    now = timezone.now()
    item = send_back(owned_item(practice_a, patient, assistant), clinical, now=now)
    client.force_login(assistant)
    url = reverse("queue:item", args=[item.code])

    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Sent back</span>" in body
    assert f"What to do next:</strong> {escape(INSTRUCTION)}" in body

    act_by_waiting(item, assistant)
    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "What to do next:" not in body
    # The instruction stays in the conversation.
    assert escape(INSTRUCTION) in body


def test_another_practices_returns_are_not_shown(client, practice_b, outsider, assistant):
    other_patient = factories.make_patient(practice_b)
    other_clinical = factories.make_user("clinical-b", practice_b, "clinical")
    send_back(open_item(practice_b, other_patient), other_clinical, now=timezone.now())
    client.force_login(assistant)
    body = client.get(reverse("queue:queue") + "?block=").content.decode()
    assert "Sent back</span>" not in body and escape(INSTRUCTION) not in body
