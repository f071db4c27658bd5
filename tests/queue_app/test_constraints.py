"""The database itself refuses rows that break the domain's rules, not only the forms."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from queue_app.models import (
    Appointment,
    AuditEvent,
    CallAttempt,
    ItemEvent,
    Patient,
    WorkItem,
)
from tests import factories

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_a_patient_phone_that_is_not_e164_is_refused(practice_a):
    assert refused(lambda: factories.make_patient(practice_a, phone="305-555-0101"))


def test_bulk_update_cannot_sneak_in_a_bad_phone(practice_a, patient):
    assert refused(lambda: Patient.objects.filter(pk=patient.pk).update(phone="5550101"))


def test_two_patients_of_a_practice_cannot_share_an_external_id(practice_a):
    factories.make_patient(practice_a, external_id="MRN-1")
    assert refused(lambda: factories.make_patient(practice_a, external_id="MRN-1"))


def test_patients_of_different_practices_may_share_an_external_id(practice_a, practice_b):
    factories.make_patient(practice_a, external_id="MRN-1")
    factories.make_patient(practice_b, external_id="MRN-1")


def test_an_assigned_item_must_have_an_owner(item):
    assert refused(lambda: WorkItem.objects.filter(pk=item.pk).update(status="assigned"))


def test_a_new_item_cannot_have_an_owner(item, assistant):
    assert refused(lambda: WorkItem.objects.filter(pk=item.pk).update(owner=assistant))


def test_a_resolved_item_needs_its_resolution_time(item, assistant):
    assert refused(
        lambda: WorkItem.objects.filter(pk=item.pk).update(status="resolved", owner=assistant)
    )


def test_an_item_cannot_be_resolved_before_it_was_received(item, assistant):
    before = item.received_at - timedelta(minutes=1)
    assert refused(
        lambda: WorkItem.objects.filter(pk=item.pk).update(
            status="resolved", owner=assistant, resolved_at=before
        )
    )


def test_a_deleted_patient_cannot_take_its_history_along(item, patient):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        patient.delete()
    assert WorkItem.objects.filter(pk=item.pk).exists()


def test_message_idempotency_key_is_unique(item):
    def make():
        factories.make_message(item, idempotency_key="same")

    make()
    assert refused(make)


def test_provider_sid_is_unique_so_a_replayed_webhook_cannot_make_a_second_row(item):
    def make(key: str):
        factories.make_message(
            item, direction="in", status="received", idempotency_key=key, provider_sid="SM123"
        )

    make("a")
    assert refused(lambda: make("b"))


def test_an_inbound_message_cannot_claim_an_outbound_status(item):
    assert refused(lambda: factories.make_message(item, direction="in", status="delivered"))


def test_an_appointment_cannot_end_before_it_starts(patient):
    start = timezone.now()
    assert refused(
        lambda: factories.make_appointment(
            patient, starts_at=start, ends_at=start - timedelta(minutes=5)
        )
    )


def test_a_booked_telehealth_visit_needs_its_link(patient):
    assert refused(lambda: factories.make_appointment(patient, kind=Appointment.Kind.TELEHEALTH))


def test_call_attempt_numbers_are_unique_per_item(item):
    CallAttempt.objects.create(item=item, number=1)
    assert refused(lambda: CallAttempt.objects.create(item=item, number=1))


def test_an_item_event_must_name_its_actor(item):
    assert refused(
        lambda: ItemEvent.objects.create(item=item, kind="claimed", created=timezone.now())
    )


def test_audit_rows_are_append_only_in_the_database(practice_a, assistant):
    event = AuditEvent.objects.create(
        actor=assistant, practice=practice_a, action="view", created=timezone.now()
    )
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="edited"))
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
