"""The page's one poll: every 10 s it sends what each live part of the screen shows (the queue's
rows, the open item's conversation and who else is in it, the alert banner) and is answered
204 while none changed, or told which parts changed; only those then fetch themselves."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from escalation import services as escalation_services
from queue_app.models import AuditEvent, Message
from queue_app.presence import record_presence
from queue_app.services import ownership
from tests import factories
from tests.queue_app.test_queue_page import add_items

pytestmark = pytest.mark.django_db
URL = reverse("queue:live")
POLL = {"HX-Request": "true", "X-Background-Poll": "1"}


@pytest.fixture(autouse=True)
def _no_banner_redraw_within_a_test(settings):
    # The banner's marker also turns every BANNER_REDRAW_SECONDS (test_queue_changes.py); a
    # test that crosses that moment must not see a change it did not cause.
    settings.BANNER_REDRAW_SECONDS = 10**9


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def screen(client, item) -> dict:
    """What the browser sends: the data-live marks of the queue page with the item open and
    the banner drawn, merged in document order as static/js/live.js does."""
    page = client.get(reverse("queue:queue") + "?block=").content.decode()
    panel = client.get(reverse("queue:item", args=[item.code]), headers={"HX-Request": "true"})
    banner = client.get(reverse("escalation:alerts"), headers=POLL).content.decode()
    line = client.post(reverse("queue:item-presence", args=[item.code]), headers=POLL)
    sent = {}
    for html in (page, panel.content.decode(), banner, line.content.decode()):
        for marks in re.findall(r"data-live='([^']*)'", html):
            sent.update(json.loads(marks))
    return sent


def poll(client, sent: dict, typing: bool = False):
    return client.post(URL, {**sent, "typing": "1" if typing else "0"}, headers=POLL)


def stale(response) -> set[str]:
    return set(json.loads(response.get("HX-Trigger", "{}")))


def test_a_screen_where_nothing_changed_is_answered_204_and_nothing_is_audited(assistant, item):
    ana = signed_in(assistant)
    sent = screen(ana, item)
    assert set(sent) == {"queue", "alerts", "item", "conversation", "presence"}
    audited = AuditEvent.objects.count()

    response = poll(ana, sent)

    assert response.status_code == 204
    assert response.content == b""
    assert AuditEvent.objects.count() == audited


def test_a_new_patient_reply_names_the_conversation_alone(
    assistant, item, django_capture_on_commit_callbacks
):
    ana = signed_in(assistant)
    sent = screen(ana, item)
    factories.make_message(
        item, direction=Message.Direction.INBOUND, status="received", body="Thursday works"
    )

    response = poll(ana, sent)

    assert response.status_code == 200
    assert response.content == b""  # the conversation fetches itself (its own view audits)
    assert stale(response) == {"conversation-stale"}


def test_a_colleagues_claim_names_the_queue_the_conversation_and_the_banner(
    assistant, assistant_2, item, django_capture_on_commit_callbacks
):
    ana = signed_in(assistant)
    sent = screen(ana, item)
    with django_capture_on_commit_callbacks(execute=True):
        ownership.claim_item(item=item, actor=assistant_2, now=timezone.now())

    # The claim is an event of the item's timeline and of its practice, whose marks the queue's
    # rows and the banner are both drawn under.
    assert stale(poll(ana, sent)) == {"queue-stale", "conversation-stale", "alerts-stale"}


def test_an_urgent_escalation_names_the_banner(assistant, item, django_capture_on_commit_callbacks):
    ana = signed_in(assistant)
    sent = screen(ana, item)
    with django_capture_on_commit_callbacks(execute=True):
        escalation_services.escalate_item(
            item=item, route_kind="urgent", reason="chest pain", now=timezone.now()
        )

    assert "alerts-stale" in stale(poll(ana, sent))


def test_a_colleague_who_opens_the_item_names_the_presence_line(assistant, assistant_2, item):
    ana = signed_in(assistant)
    sent = screen(ana, item)
    assert poll(ana, sent).status_code == 204

    record_presence(item=item, user=assistant_2, typing=False, now=timezone.now())

    assert stale(poll(ana, sent)) == {"presence-stale"}


def test_the_poll_says_i_am_here_and_whether_i_am_typing(assistant, assistant_2, item):
    ana, ben = signed_in(assistant), signed_in(assistant_2)
    sent = screen(ana, item)

    poll(ana, sent, typing=True)

    line = ben.post(reverse("queue:item-presence", args=[item.code]), headers=POLL)
    assert "Also here: <strong>assistant-a</strong> (typing)" in line.content.decode()


def test_a_change_in_another_practice_is_not_news(
    assistant, practice_b, item, django_capture_on_commit_callbacks
):
    ana = signed_in(assistant)
    sent = screen(ana, item)
    elsewhere = factories.make_item(practice_b, patient=factories.make_patient(practice_b))
    with django_capture_on_commit_callbacks(execute=True):
        ownership.claim_item(
            item=elsewhere,
            actor=factories.make_user("b-1", practice_b, "assistant"),
            now=timezone.now(),
        )
        escalation_services.escalate_item(
            item=elsewhere, route_kind="urgent", reason="chest pain", now=timezone.now()
        )

    assert poll(ana, sent).status_code == 204


def test_an_item_the_person_may_not_read_tells_nothing_and_leaves_no_mark(
    assistant, outsider, item
):
    nosy = signed_in(outsider)
    before = nosy.post(URL, {}, headers=POLL)

    response = poll(nosy, {"item": str(item.code), "conversation": "", "presence": ""})

    assert (before.status_code, response.status_code) == (204, 204)
    line = signed_in(assistant).post(reverse("queue:item-presence", args=[item.code]), headers=POLL)
    assert line.content.decode().strip() == ""


def test_a_malformed_item_is_refused(assistant):
    assert poll(signed_in(assistant), {"item": "not-a-code"}).status_code == 400


def test_get_is_405_and_anonymous_is_sent_to_sign_in(client, assistant):
    assert client.post(URL, {}).status_code == 302
    assert signed_in(assistant).get(URL).status_code == 405


def test_every_signed_in_page_polls_once_every_10_seconds(assistant, item):
    body = signed_in(assistant).get(reverse("escalation:inbox")).content.decode()
    start = body.index('id="live-poll"')
    poller = body[start : body.index("></span>", start)]
    assert f'hx-post="{URL}"' in poller
    assert 'hx-trigger="every 10s"' in poller
    assert 'hx-swap="none"' in poller
    assert "X-Background-Poll" in poller


def queries_of_an_empty_answer(client, sent) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert poll(client, sent).status_code == 204
    return len(queries)


def test_the_empty_answer_does_not_grow_with_the_queue_or_the_conversation(
    assistant, practice_a, item, django_assert_max_num_queries
):
    # session, user, OTP device, roles, the item's id and practice, its timeline's marker, the
    # people who may read it: nothing of the queue, the conversation or the patient.
    ana = signed_in(assistant)
    sent = screen(ana, item)
    few = queries_of_an_empty_answer(ana, sent)
    add_items(practice_a, 300)  # without events, as a seed would: no change announced
    for n in range(30):
        factories.make_message(item, body=f"line {n}")
    sent = screen(ana, item)

    with django_assert_max_num_queries(7) as queries:
        assert poll(ana, sent).status_code == 204
    assert queries_of_an_empty_answer(ana, sent) == few
    assert not any("queue_app_patient" in query["sql"] for query in queries.captured_queries)
