import pytest

from queue_app.models import ItemEvent, WorkItem
from queue_app.services import ownership, shared
from tests.queue_app.queue_helpers import NOW, owned_item

pytestmark = pytest.mark.django_db


def test_the_owner_releases_an_item_back_to_the_queue(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    ownership.release_item(item=item, actor=assistant, now=NOW)
    assert item.owner is None
    assert item.status == WorkItem.Status.NEW
    event = ItemEvent.objects.get(item=item, kind="released")
    assert event.before == {"status": "assigned", "owner": assistant.pk}


def test_someone_else_cannot_release_it(practice_a, patient, assistant, assistant_2):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused, match="assistant-a has this item"):
        ownership.release_item(item=item, actor=assistant_2, now=NOW)
    item.refresh_from_db()
    assert item.owner == assistant


def test_a_manager_reassigns_an_item(practice_a, patient, assistant, assistant_2, manager):
    item = owned_item(practice_a, patient, assistant)
    ownership.reassign_item(item=item, actor=manager, to=assistant_2, now=NOW)
    assert item.owner == assistant_2
    event = ItemEvent.objects.get(item=item, kind="reassigned")
    assert event.actor == manager
    assert event.before["owner"] == assistant.pk and event.after["owner"] == assistant_2.pk


def test_reassigning_an_unowned_item_assigns_it(item, manager, assistant):
    ownership.reassign_item(item=item, actor=manager, to=assistant, now=NOW)
    assert item.status == WorkItem.Status.ASSIGNED


def test_it_cannot_go_to_someone_outside_the_practice(item, manager, outsider):
    with pytest.raises(shared.ActionRefused, match="does not work"):
        ownership.reassign_item(item=item, actor=manager, to=outsider, now=NOW)
