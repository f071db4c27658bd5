"""Sessions stay in the database, read by one plain statement (queue_app.sessions): the same
rows, the same expiry, the same sign-out as Django's own store."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from queue_app.sessions import SessionStore

pytestmark = pytest.mark.django_db
QUEUE = reverse("queue:queue")


def test_a_session_reads_what_djangos_store_reads(assistant):
    saved = DjangoStore()
    saved.update({"_auth_user_id": str(assistant.pk), "last_activity": 1234.5})
    saved.save()

    assert SessionStore(saved.session_key).load() == DjangoStore(saved.session_key).load()
    assert SessionStore(saved.session_key)["last_activity"] == 1234.5


def test_an_expired_session_signs_the_person_out(client, assistant):
    client.force_login(assistant)
    assert client.get(QUEUE).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_deleted_from_the_table_is_gone_at_the_next_request(client, assistant):
    # By hand (an admin ending every session), or on another node: the table is the truth.
    client.force_login(assistant)
    assert client.get(QUEUE).status_code == 200
    Session.objects.all().delete()

    assert client.get(QUEUE).status_code == 302


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(client, assistant):
    client.force_login(assistant)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # the same cookie, kept by another tab or a thief

    assert client.get(QUEUE).status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()


def test_an_unknown_session_key_is_never_reused(assistant):
    store = SessionStore("k" * 32)
    assert store.load() == {}
    store["anything"] = 1
    store.save()
    assert store.session_key != "k" * 32
