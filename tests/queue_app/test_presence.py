"""An open item shows who else is in it, and who is typing, from the shared cache (Redis)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_users_with_perms

from queue_app import access
from queue_app.models import Role
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


def test_the_people_named_are_those_the_practice_grants_to_read_items(
    assistant, manager, clinical, admin_user, outsider, practice_a, item
):
    # By a group's grant too; never an admin without a reading role, a deactivated person,
    # a superuser or a global permission (the grants access.py reads, and guardian too).
    grouped = factories.make_user("front-desk-1")
    group = Group.objects.create(name="front desk")
    group.user_set.add(grouped)
    assign_perm(f"queue_app.{access.WORK}", group, practice_a)
    gone = factories.make_user("gone", practice_a, Role.ASSISTANT)
    gone.is_active = False
    gone.save()
    boss = factories.make_user("boss")
    boss.is_superuser = True
    boss.save()
    boss.user_permissions.add(Permission.objects.get(codename=access.WORK))
    now = timezone.now()
    for person in (manager, clinical, admin_user, outsider, grouped, gone, boss):
        record_presence(item=item, user=person, typing=False, now=now)

    names = [p.name for p in others_present(item=item, user=assistant, now=now)]

    assert names == ["clinical-a", "front-desk-1", "manager-a"]
    readers = [access.WORK, access.ESCALATIONS]
    guardian = get_users_with_perms(practice_a, only_with_perms_in=readers).filter(is_active=True)
    assert set(access.people_holding(practice_a.pk, readers)) == set(guardian)


def test_an_outsider_gets_404_and_leaves_no_mark(assistant, outsider, item):
    response = beat(signed_in(outsider), item)
    assert response.status_code == 404
    assert beat(signed_in(assistant), item).content.decode().strip() == ""


def test_get_is_405_and_anonymous_is_sent_to_sign_in(client, assistant, item):
    assert client.post(url(item)).status_code == 302
    assert signed_in(assistant).get(url(item)).status_code == 405


def test_the_open_panel_says_it_is_there_and_joins_the_pages_poll(assistant, item):
    # On opening, when typing starts and when the page's one poll finds the others changed;
    # that poll says "I am here" every 10 s in between (test_live_poll.py).
    body = signed_in(assistant).get(
        reverse("queue:item", args=[item.code]), headers={"HX-Request": "true"}
    )
    text = body.content.decode()
    assert f'hx-post="{url(item)}"' in text
    assert 'hx-trigger="load, presence-typing, presence-stale from:body"' in text
    assert f'data-live=\'{{"item": "{item.code}", "presence": ""}}\'' in text


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


def test_a_heartbeat_reads_the_grants_once_no_patient_and_no_navigation(
    assistant, assistant_2, item, django_assert_max_num_queries
):
    # session, user, OTP device, roles, the item's id, practice and status, the people who
    # may read it; nothing of the patient; the line is drawn without the page's navigation
    # (its roles, the admins' security alerts).
    ana = signed_in(assistant)
    beat(signed_in(assistant_2), item)
    beat(ana, item)
    with django_assert_max_num_queries(6) as queries:
        body = beat(ana, item).content.decode()
    assert "Also here: <strong>assistant-a2</strong>" in body
    assert not any("queue_app_patient" in query["sql"] for query in queries.captured_queries)
