from datetime import timedelta

import pytest

from queue_app.models import CallAttempt, ItemEvent
from queue_app.services import shared, working
from tests.queue_app.queue_helpers import NOW, owned_item

pytestmark = pytest.mark.django_db


def log(item, actor, outcome="no_answer", next_attempt_at=None):
    return working.log_call_attempt(
        item=item,
        actor=actor,
        outcome=outcome,
        attempted_at=NOW - timedelta(minutes=2),
        next_attempt_at=next_attempt_at,
        now=NOW,
    )


def test_attempts_are_numbered_and_the_next_one_is_scheduled(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    later = NOW + timedelta(hours=2)
    first = log(item, assistant, "voicemail", next_attempt_at=later)
    assert first.number == 1 and first.next_attempt_at == later
    scheduled = CallAttempt.objects.get(item=item, number=2)
    assert scheduled.outcome == "scheduled" and scheduled.due_at == later
    assert item.follow_up_at == later
    assert item.first_response_at is None
    # Making the scheduled call fills in that row instead of adding a third.
    second = log(item, assistant, "no_answer")
    assert second.pk == scheduled.pk and second.outcome == "no_answer"
    assert CallAttempt.objects.filter(item=item).count() == 2
    assert ItemEvent.objects.filter(item=item, kind="call_logged").count() == 2


def test_reaching_the_patient_is_a_first_meaningful_response(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    log(item, assistant, "reached")
    assert item.first_response_at == NOW - timedelta(minutes=2)


def test_a_next_attempt_in_the_past_is_refused(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused, match="future"):
        log(item, assistant, next_attempt_at=NOW - timedelta(minutes=1))
    assert not CallAttempt.objects.filter(item=item).exists()


def test_an_unknown_outcome_is_refused(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused):
        log(item, assistant, "scheduled")
