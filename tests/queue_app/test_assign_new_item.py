from datetime import timedelta

import pytest

from queue_app.models import ItemEvent, Role, StaffProfile, WorkItem
from queue_app.services import ownership
from tests import factories
from tests.queue_app.queue_helpers import NOW, open_item

pytestmark = pytest.mark.django_db


def test_round_robin_alternates_between_assistants(practice_a, patient, assistant, assistant_2):
    owners = []
    for minutes in range(4):
        item = open_item(practice_a, patient)
        ownership.assign_new_item(item=item, now=NOW + timedelta(minutes=minutes))
        owners.append(item.owner)
    assert owners.count(assistant) == 2
    assert owners.count(assistant_2) == 2
    assert owners[0] != owners[1]


def test_it_picks_the_least_recently_assigned_at_equal_load(
    practice_a, patient, assistant, assistant_2
):
    first = open_item(practice_a, patient)
    ownership.assign_new_item(item=first, now=NOW)
    WorkItem.objects.filter(pk=first.pk).update(status="resolved", resolved_at=NOW)
    second = open_item(practice_a, patient)
    ownership.assign_new_item(item=second, now=NOW + timedelta(minutes=1))
    assert {first.owner, second.owner} == {assistant, assistant_2}


def test_it_skips_people_off_shift_and_without_the_language(practice_a, assistant, assistant_2):
    StaffProfile.objects.filter(user=assistant).update(on_shift=False)
    english_only = factories.make_user("en-only", practice_a, Role.ASSISTANT, languages=["en"])
    spanish = factories.make_patient(practice_a, preferred_language="es")
    item = open_item(practice_a, spanish)
    ownership.assign_new_item(item=item, now=NOW)
    assert item.owner == assistant_2
    assert english_only != item.owner


def test_managers_are_not_in_the_rotation(practice_a, patient, manager):
    item = open_item(practice_a, patient)
    ownership.assign_new_item(item=item, now=NOW)
    assert item.owner is None
    assert item.raised_to_manager_at == NOW


def test_the_cap_stops_assignment_and_raises_to_the_manager(practice_a, patient, assistant):
    practice_a.assignment_cap = 2
    practice_a.save(update_fields=["assignment_cap"])
    items = [open_item(practice_a, patient) for _ in range(3)]
    for item in items:
        ownership.assign_new_item(item=item, now=NOW)
    assert [i.owner for i in items] == [assistant, assistant, None]
    assert items[2].status == WorkItem.Status.NEW
    assert items[2].raised_to_manager_at == NOW
    assert ItemEvent.objects.filter(item=items[2], kind="raised_to_manager").count() == 1


def test_an_owned_item_is_left_alone(practice_a, patient, assistant, assistant_2):
    item = open_item(practice_a, patient, owner=assistant_2, status="assigned")
    ownership.assign_new_item(item=item, now=NOW)
    assert item.owner == assistant_2
    assert not ItemEvent.objects.filter(item=item, kind="assigned").exists()
