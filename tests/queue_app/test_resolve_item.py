from datetime import timedelta

import pytest

from escalation.services import escalate_item
from notes.services import record_note
from queue_app.models import ItemEvent, WorkItem
from queue_app.services import closing, shared
from tests.queue_app.queue_helpers import NOW, good_note, owned_item

pytestmark = pytest.mark.django_db


def test_it_resolves_with_a_note_that_meets_the_standard(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    good_note(item, assistant)
    closing.resolve_item(item=item, actor=assistant, now=NOW)
    assert item.status == WorkItem.Status.RESOLVED
    assert item.resolved_at == NOW
    assert ItemEvent.objects.get(item=item, kind="resolved").actor == assistant


def test_it_refuses_without_a_note(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused, match="Write a note"):
        closing.resolve_item(item=item, actor=assistant, now=NOW)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.ASSIGNED


def test_it_refuses_a_vague_note_and_names_what_is_missing(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    record_note(item=item, author=assistant, fields={"free_text": "Patient called."}, now=NOW)
    with pytest.raises(shared.ActionRefused) as refused:
        closing.resolve_item(item=item, actor=assistant, now=NOW)
    assert "the action taken" in str(refused.value)
    assert "the escalation status" in str(refused.value)
    assert not ItemEvent.objects.filter(item=item, kind="resolved").exists()


def test_an_open_escalation_blocks_resolution(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    good_note(item, assistant)
    escalate_item(
        item=item, route_kind="clinical", reason="asks about a rash", now=NOW, actor=assistant
    )
    with pytest.raises(shared.ActionRefused, match="escalated"):
        closing.resolve_item(item=item, actor=assistant, now=NOW)


def test_a_resolved_item_cannot_be_resolved_again(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    good_note(item, assistant)
    closing.resolve_item(item=item, actor=assistant, now=NOW)
    with pytest.raises(shared.ActionRefused, match="already resolved"):
        closing.resolve_item(item=item, actor=assistant, now=NOW)


def test_an_item_received_after_now_resolves_at_its_receipt_instead_of_500(
    practice_a, patient, assistant
):
    # A sender's clock ahead of ours (or demo data) puts the receipt after "now".
    later = NOW + timedelta(minutes=10)
    item = owned_item(practice_a, patient, assistant, received_at=later)
    good_note(item, assistant)
    closing.resolve_item(item=item, actor=assistant, now=NOW)
    assert item.status == WorkItem.Status.RESOLVED
    assert item.resolved_at == later
