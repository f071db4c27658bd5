from datetime import timedelta

import pytest

from queue_app.models import ItemEvent
from queue_app.services import shared, working
from tests import factories
from tests.queue_app.queue_helpers import NOW, owned_item

pytestmark = pytest.mark.django_db


def test_fields_are_recorded_one_by_one(practice_a, patient, assistant):
    factories.make_appointment(patient, starts_at=NOW + timedelta(days=2))
    item = owned_item(practice_a, patient, assistant)
    working.verify_identity(item=item, actor=assistant, fields=["full_name"], now=NOW)
    assert item.verified_fields == ["full_name"]
    assert item.identity_verified_at is None
    working.verify_identity(
        item=item, actor=assistant, fields=["date_of_birth", "full_name"], now=NOW
    )
    assert item.verified_fields == ["full_name", "date_of_birth"]
    assert item.identity_verified_at is None
    kinds = list(ItemEvent.objects.filter(item=item).values_list("kind", "after"))
    assert kinds == [
        ("identity_field_verified", {"field": "full_name"}),
        ("identity_field_verified", {"field": "date_of_birth"}),
    ]


def test_identity_counts_only_when_every_field_is_checked(practice_a, patient, assistant):
    factories.make_appointment(patient, starts_at=NOW + timedelta(days=2))
    item = owned_item(practice_a, patient, assistant)
    required = list(item.moment.verification_fields)
    working.verify_identity(item=item, actor=assistant, fields=required, now=NOW)
    assert item.identity_verified_at == NOW
    assert ItemEvent.objects.filter(item=item, kind="identity_verified").count() == 1


def test_an_unknown_field_is_refused(practice_a, patient, assistant):
    item = owned_item(practice_a, patient, assistant)
    with pytest.raises(shared.ActionRefused, match="not one of this item's identity checks"):
        working.verify_identity(item=item, actor=assistant, fields=["shoe_size"], now=NOW)


def test_only_the_owner_verifies(item, assistant):
    with pytest.raises(shared.ActionRefused, match="Claim this item first"):
        working.verify_identity(item=item, actor=assistant, fields=["full_name"], now=NOW)


def test_appointment_on_file_cannot_be_ticked_without_an_appointment(
    practice_a, patient, assistant
):
    item = owned_item(practice_a, patient, assistant)
    assert "appointment_on_file" in item.moment.verification_fields
    with pytest.raises(shared.ActionRefused, match="no appointment on file"):
        working.verify_identity(item=item, actor=assistant, fields=["appointment_on_file"], now=NOW)
    # The other fields are enough, and the note will not claim an appointment was checked.
    others = [f for f in item.moment.verification_fields if f != "appointment_on_file"]
    working.verify_identity(item=item, actor=assistant, fields=others, now=NOW)
    assert item.identity_verified_at == NOW
    assert "appointment_on_file" not in item.verified_fields


def test_appointment_on_file_is_asked_when_there_is_one(practice_a, patient, assistant):
    factories.make_appointment(patient, starts_at=NOW + timedelta(days=2))
    item = owned_item(practice_a, patient, assistant)
    others = [f for f in item.moment.verification_fields if f != "appointment_on_file"]
    working.verify_identity(item=item, actor=assistant, fields=others, now=NOW)
    assert item.identity_verified_at is None
    working.verify_identity(item=item, actor=assistant, fields=["appointment_on_file"], now=NOW)
    assert item.identity_verified_at == NOW
