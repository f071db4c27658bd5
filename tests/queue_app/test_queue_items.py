from datetime import timedelta

import pytest

from queue_app import selectors
from queue_app.models import WorkItem
from tests import factories
from tests.queue_app.queue_helpers import NOW, open_item

pytestmark = pytest.mark.django_db


def listed(user, **filters):
    return list(
        selectors.queue_items(user=user, filters=selectors.QueueFilters(**filters), now=NOW)
    )


def test_it_lists_open_items_of_the_users_practices_only(
    practice_a, practice_b, patient, assistant
):
    mine = open_item(practice_a, patient)
    open_item(practice_a, patient, status="resolved", resolved_at=NOW)
    open_item(practice_b, factories.make_patient(practice_b))
    assert listed(assistant) == [mine]


def test_urgent_and_escalated_come_first_then_what_is_due(practice_a, patient, assistant):
    later = open_item(practice_a, patient, due_at=NOW + timedelta(hours=3))
    sooner = open_item(practice_a, patient, due_at=NOW + timedelta(hours=1))
    promised = open_item(
        practice_a,
        patient,
        first_response_at=NOW - timedelta(minutes=10),
        due_at=NOW - timedelta(minutes=5),
        follow_up_at=NOW + timedelta(hours=2),
    )
    escalated = open_item(practice_a, patient, status="escalated", due_at=NOW + timedelta(days=1))
    urgent = open_item(
        practice_a, patient, boundary="urgent", status="escalated", due_at=NOW + timedelta(days=2)
    )
    assert listed(assistant) == [urgent, escalated, sooner, promised, later]


def test_waiting_on_the_patient_never_outranks_work_that_can_be_done(
    practice_a, patient, assistant
):
    waiting = open_item(
        practice_a,
        patient,
        status="waiting",
        owner=assistant,
        received_at=NOW - timedelta(hours=8),
        due_at=NOW - timedelta(hours=5),
    )
    overdue = open_item(practice_a, patient, due_at=NOW - timedelta(minutes=30))
    upcoming = open_item(practice_a, patient, due_at=NOW + timedelta(hours=4))
    assert listed(assistant) == [overdue, upcoming, waiting]


def test_filters_narrow_the_list(practice_a, patient, assistant, assistant_2):
    spanish = factories.make_patient(practice_a, preferred_language="es", last_name="Quintero")
    es_item = open_item(practice_a, spanish, channel="portal")
    mine = open_item(practice_a, patient, owner=assistant, status="assigned")
    theirs = open_item(practice_a, patient, owner=assistant_2, status="assigned", key="cancel")
    assert listed(assistant, language="es") == [es_item]
    assert listed(assistant, channel="portal") == [es_item]
    assert listed(assistant, scope="mine") == [mine]
    assert listed(assistant, scope="unassigned") == [es_item]
    assert listed(assistant, moment="cancel") == [theirs]
    assert listed(assistant, q="quint") == [es_item]
    assert set(listed(assistant, status="assigned")) == {mine, theirs}


def test_the_rhythm_block_keeps_urgent_items_visible(practice_a, patient, assistant):
    morning = open_item(practice_a, patient, key="reschedule")
    afternoon = open_item(practice_a, patient, key="no_show_recovery")
    urgent = open_item(practice_a, patient, key="no_show_recovery", boundary="urgent")
    block = afternoon.moment.rhythm_block
    assert morning.moment.rhythm_block != block
    assert set(listed(assistant, block=block)) == {afternoon, urgent}


def test_rhythm_block_now_uses_the_practice_time_zone(practice_a):
    assert selectors.rhythm_block_now(practice=practice_a, now=NOW) == "morning"  # 10:00 NY
    assert selectors.rhythm_block_now(practice=practice_a, now=NOW + timedelta(hours=5)) == (
        "afternoon"
    )


def test_a_clinical_member_sees_no_queue(practice_a, patient, clinical):
    open_item(practice_a, patient)
    assert listed(clinical) == []
    assert WorkItem.objects.count() == 1


def test_name_search_ignores_accents_and_case_both_ways(practice_a, assistant):
    gomez = open_item(practice_a, factories.make_patient(practice_a, last_name="Gómez"))
    assert listed(assistant, q="Gomez") == [gomez]
    assert listed(assistant, q="gómez") == [gomez]
    muller = open_item(practice_a, factories.make_patient(practice_a, first_name="Muller"))
    assert listed(assistant, q="Müller") == [muller]


def test_name_search_finds_resolved_items_too(practice_a, assistant):
    diaz = factories.make_patient(practice_a, last_name="Díaz")
    done = open_item(practice_a, diaz, status="resolved", resolved_at=NOW)
    still_open = open_item(practice_a, diaz)
    assert set(listed(assistant, q="diaz")) == {done, still_open}
    assert listed(assistant) == [still_open]
