"""An open item shows who else is in it, and who is typing, from the shared cache (Redis)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from queue_app.presence import PRESENCE_SECONDS, others_present, record_presence
from tests import factories

pytestmark = pytest.mark.django_db


def url(item):
    return reverse("queue:item-presence", args=[item.code])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def beat(client, item, typing=False):
    return client.post(
        url(item), {"typing": "1" if typing else "0"}, headers={"HX-Request": "true"}
    )


def test_the_cache_is_the_shared_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def test_two_people_in_one_item_see_each_other(assistant, assistant_2, item):
    ana, ben = signed_in(assistant), signed_in(assistant_2)

    first = beat(ana, item)
    assert first.status_code == 200
    assert first.content.decode().strip() == ""  # alone so far

    body = beat(ben, item, typing=True).content.decode()
    assert "Also here: <strong>assistant-a</strong>" in body
    assert "(typing)" not in body

    body = beat(ana, item).content.decode()
    assert "Also here: <strong>assistant-a2</strong> (typing)" in body


def test_someone_who_left_disappears_after_the_ttl(assistant, assistant_2, item):
    now = timezone.now()
    record_presence(item=item, user=assistant_2, typing=False, now=now)
    assert [p.name for p in others_present(item=item, user=assistant, now=now)] == ["assistant-a2"]
    later = now + timedelta(seconds=PRESENCE_SECONDS + 1)
    assert others_present(item=item, user=assistant, now=later) == []


def test_only_people_of_the_practice_are_named(assistant, outsider, clinical, item):
    # Even a mark left under the item by someone of another practice is never shown.
    now = timezone.now()
    record_presence(item=item, user=outsider, typing=True, now=now)
    record_presence(item=item, user=clinical, typing=False, now=now)
    names = [p.name for p in others_present(item=item, user=assistant, now=now)]
    assert names == ["clinical-a"]


def test_an_outsider_gets_404_and_leaves_no_mark(assistant, outsider, item):
    response = beat(signed_in(outsider), item)
    assert response.status_code == 404
    assert beat(signed_in(assistant), item).content.decode().strip() == ""


def test_get_is_405_and_anonymous_is_sent_to_sign_in(client, assistant, item):
    assert client.post(url(item)).status_code == 302
    assert signed_in(assistant).get(url(item)).status_code == 405


def test_the_open_panel_polls_the_heartbeat(assistant, item):
    body = signed_in(assistant).get(
        reverse("queue:item", args=[item.code]), headers={"HX-Request": "true"}
    )
    text = body.content.decode()
    assert f'hx-post="{url(item)}"' in text
    assert 'hx-trigger="load, every 10s, presence-typing"' in text


def test_a_heartbeat_costs_the_same_queries_for_2_or_12_colleagues(
    assistant, practice_a, item, django_assert_max_num_queries
):
    ana = signed_in(assistant)
    beat(ana, item)
    with CaptureQueriesContext(connection) as few:
        beat(ana, item)
    for n in range(10):
        colleague = factories.make_user(f"colleague-{n}", practice_a, "assistant")
        record_presence(item=item, user=colleague, typing=False, now=timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = beat(ana, item).content.decode()
    assert body.count("<strong>") == 10
