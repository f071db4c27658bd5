from datetime import timedelta

import pytest

from queue_app.models import ItemEvent, WorkItem
from queue_app.services import shared, working
from tests.queue_app.queue_helpers import NOW, owned_item

pytestmark = pytest.mark.django_db


def test_marking_what_is_needed_makes_the_item_wait(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    working.mark_needed(
        item=item, actor=assistant, needed="insurance subscriber date of birth", now=NOW
    )
    assert item.status == WorkItem.Status.WAITING
    assert item.needed_from_patient == "insurance subscriber date of birth"
    assert ItemEvent.objects.get(item=item, kind="waiting_on_patient").after["status"] == "waiting"


def test_an_empty_need_is_refused(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused, match="Say what is needed"):
        working.mark_needed(item=item, actor=assistant, needed="  ", now=NOW)


def test_the_clock_pauses_while_waiting_on_the_patient(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    due = item.due_at
    working.mark_needed(item=item, actor=assistant, needed="photo of insurance card", now=NOW)
    working.resume_item(item=item, now=NOW + timedelta(minutes=45), service="twilio-webhook")
    assert item.status == WorkItem.Status.ASSIGNED
    assert item.due_at == due + timedelta(minutes=45)
    assert ItemEvent.objects.get(item=item, kind="resumed").service == "twilio-webhook"


def test_a_promised_follow_up_is_recorded(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    promised = NOW + timedelta(days=1)
    working.set_follow_up(item=item, actor=assistant, follow_up_at=promised, now=NOW)
    assert item.follow_up_at == promised
    assert ItemEvent.objects.get(item=item, kind="follow_up_set").after == {
        "follow_up_at": promised.isoformat()
    }


def test_a_follow_up_in_the_past_is_refused(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused, match="future"):
        working.set_follow_up(item=item, actor=assistant, follow_up_at=NOW, now=NOW)
