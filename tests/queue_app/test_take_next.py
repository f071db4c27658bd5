"""Take next: one click claims the most pressing item nobody has, in the assistant's languages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from queue_app.models import StaffProfile, WorkItem
from queue_app.services import ownership
from tests import factories
from tests.concurrency import at_once


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_take_next_claims_the_most_pressing_unowned_item(db, practice_a, assistant, assistant_2):
    now = timezone.now()
    later = factories.make_item(practice_a, due_at=now + timedelta(hours=3))
    sooner = factories.make_item(practice_a, due_at=now + timedelta(minutes=10))
    urgent = factories.make_item(practice_a, boundary="urgent", due_at=now + timedelta(hours=5))
    factories.make_item(practice_a, boundary="urgent", owner=assistant_2, status="assigned")

    taken = [ownership.take_next(actor=assistant, now=now) for _ in range(3)]

    assert [item.pk for item in taken] == [urgent.pk, sooner.pk, later.pk]
    assert all(item.owner == assistant and item.status == "assigned" for item in taken)
    assert ownership.take_next(actor=assistant, now=now) is None


def test_take_next_keeps_to_the_assistants_languages(db, practice_a, assistant):
    StaffProfile.objects.update_or_create(user=assistant, defaults={"languages": ["en"]})
    spanish = factories.make_item(practice_a, language="es", boundary="urgent")
    english = factories.make_item(practice_a, language="en")

    assert ownership.take_next(actor=assistant, now=timezone.now()).pk == english.pk
    spanish.refresh_from_db()
    assert spanish.owner is None


@pytest.mark.django_db(transaction=True)
def test_two_assistants_taking_next_at_once_never_get_the_same_item(
    practice_a, assistant, assistant_2
):
    for _ in range(2):
        factories.make_item(practice_a)
    first, second = at_once(
        *[
            lambda user=user: ownership.take_next(actor=user, now=timezone.now())
            for user in (assistant, assistant_2)
        ]
    )

    assert first and second
    assert first.pk != second.pk
    assert WorkItem.objects.filter(owner=None).count() == 0


def test_the_button_opens_the_taken_item_and_says_when_there_is_none(
    client, practice_a, assistant
):
    item = factories.make_item(practice_a)
    client.force_login(assistant)

    response = client.post(reverse("queue:take-next"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"You have this item now." in response.content
    assert str(item.code).encode() in response.content
    assert item.events.filter(kind="claimed", actor=assistant).exists()
    assert client.post(reverse("queue:take-next"), HTTP_HX_REQUEST="true").content == (
        b'<p class="empty" role="status">Nothing to take right now.</p>'
    )


def test_take_next_refuses_get(client, assistant):
    client.force_login(assistant)
    assert client.get(reverse("queue:take-next")).status_code == 405
