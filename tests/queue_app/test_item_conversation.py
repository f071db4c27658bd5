import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escalation import services as escalation_services
from notes.services import record_note
from queue_app.models import AuditEvent, ItemEvent, Message
from queue_app.selectors import item_timeline
from tests import factories
from tests.queue_app.queue_helpers import GOOD_NOTE, NOW, open_item

pytestmark = pytest.mark.django_db


def url(item):
    return reverse("queue:item-conversation", args=[item.code])


def reply(item, body="Thursday at 3 works for me", **overrides):
    fields = {
        "direction": Message.Direction.INBOUND,
        "status": Message.Status.RECEIVED,
        "body": body,
        "created": NOW,
    }
    fields.update(overrides)
    return factories.make_message(item, **fields)


def poll(client, item, marker=None):
    headers = {"HX-Request": "true", "X-Background-Poll": "1"}
    if marker:
        headers["If-None-Match"] = marker
    return client.get(url(item), headers=headers)


@pytest.fixture
def mine(practice_a, patient, assistant):
    return open_item(practice_a, patient, owner=assistant, status="assigned")


def test_it_shows_a_reply_in_the_practices_time(client, assistant, mine):
    reply(mine)  # 15:00 UTC is 10:00 in New York
    client.force_login(assistant)
    response = poll(client, mine)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Thursday at 3 works for me" in body
    assert "Wed 4 Mar 10:00" in body
    assert response["ETag"]


def test_the_item_panel_shows_the_whole_conversation_oldest_first(client, assistant, mine):
    factories.make_message(
        mine, body="We can move it. Which day suits you?", created=NOW - timedelta(minutes=20)
    )
    factories.make_message(
        mine,
        body="Second try",
        created=NOW - timedelta(minutes=10),
        status=Message.Status.FAILED,
        status_reason="The number is a landline or unreachable by text.",
        error_code="30006",
    )
    reply(mine)
    client.force_login(assistant)
    body = client.get(reverse("queue:item", args=[mine.code])).content.decode()
    first = body.index("We can move it.")
    assert first < body.index("Second try") < body.index("Thursday at 3 works for me")
    assert "landline or unreachable by text" in body
    assert 'hx-trigger="conversation-stale from:body"' in body  # told by the page's one poll


def test_message_text_is_escaped(client, assistant, mine):
    reply(mine, body="<script>alert(1)</script> averyveryveryverylongwordwithoutanyspaces")
    client.force_login(assistant)
    body = poll(client, mine).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_unchanged_answers_204_and_a_new_reply_answers_200(client, assistant, mine):
    client.force_login(assistant)
    first = poll(client, mine)
    marker = first["ETag"]
    unchanged = poll(client, mine, marker)
    assert unchanged.status_code == 204
    assert unchanged.content == b""
    reply(mine, body="Actually Friday is better")
    changed = poll(client, mine, marker)
    assert changed.status_code == 200
    assert "Actually Friday is better" in changed.content.decode()
    assert changed["ETag"] != marker


def test_a_delivery_status_change_is_news(client, assistant, mine):
    message = factories.make_message(mine, body="Hello", created=NOW)
    client.force_login(assistant)
    marker = poll(client, mine)["ETag"]
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.DELIVERED, updated=NOW + timedelta(minutes=1)
    )
    response = poll(client, mine, marker)
    assert response.status_code == 200
    assert "Delivered" in response.content.decode()


def test_a_poll_is_audited_only_when_it_shows_something(client, assistant, mine):
    client.force_login(assistant)
    marker = poll(client, mine)["ETag"]
    event = AuditEvent.objects.get(action="item_conversation")
    assert event.patient_ids == [mine.patient_id]
    poll(client, mine, marker)
    assert AuditEvent.objects.filter(action="item_conversation").count() == 1


def test_another_practices_assistant_gets_404(client, outsider, mine):
    reply(mine)
    client.force_login(outsider)
    assert poll(client, mine).status_code == 404
    assert not AuditEvent.objects.filter(action="item_conversation").exists()


def test_post_is_405(client, assistant, mine):
    client.force_login(assistant)
    assert client.post(url(mine)).status_code == 405


def test_calls_notes_escalation_return_and_triage_are_in_the_timeline(
    practice_a, assistant, clinical, mine
):
    factories.make_message(mine, body="Sent first", created=NOW - timedelta(minutes=25))
    inbound = reply(mine, body="My chest hurts", created=NOW - timedelta(minutes=5))
    mine.call_attempts.create(
        number=1, attempted_at=NOW - timedelta(minutes=15), outcome="no_answer", by=assistant
    )
    record_note(item=mine, author=assistant, fields=GOOD_NOTE, now=NOW - timedelta(minutes=12))
    ItemEvent.objects.create(
        item=mine,
        service="triage",
        kind="boundary_raised",
        before={"boundary": "administrative"},
        after={"boundary": "clinical", "message": str(inbound.code)},
        created=NOW - timedelta(minutes=5),
    )
    escalation = escalation_services.escalate_item(
        item=mine, route_kind="clinical", reason="asks about chest pain", now=NOW, actor=assistant
    )
    escalation_services.return_escalation(
        escalation=escalation,
        actor=clinical,
        instruction="Call her back and book today",
        now=NOW + timedelta(minutes=5),
    )
    kinds = [entry.kind for entry in item_timeline(item=mine)]
    assert kinds == ["message", "call", "note", "message", "boundary", "escalation", "returned"]
    timeline = item_timeline(item=mine)
    assert timeline[4].obj == inbound
    assert timeline[6].text == "Call her back and book today"


def fill(item, count):
    for n in range(count):
        reply(item, body=f"reply {n}", created=NOW - timedelta(minutes=count - n))
        factories.make_message(item, body=f"answer {n}", created=NOW - timedelta(minutes=count - n))


@pytest.mark.parametrize("count", [5, 50])
def test_the_timeline_takes_six_queries_at_any_length(mine, count):
    fill(mine, count)
    with CaptureQueriesContext(connection) as queries:
        timeline = item_timeline(item=mine)
    assert len(timeline) == 2 * count
    # messages, their attachments, calls, notes, escalations, triage events
    assert len(queries) == 6


def endpoint_queries(client, item, marker=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = poll(client, item, marker)
    return response.status_code, len(queries)


def test_the_endpoint_does_not_grow_with_the_history(client, assistant, practice_a, patient):
    short = open_item(practice_a, patient, owner=assistant, status="assigned")
    long = open_item(practice_a, patient, owner=assistant, status="assigned")
    fill(short, 5)
    fill(long, 50)
    client.force_login(assistant)
    poll(client, short)  # the session's first request stamps it; measure the next ones
    status_short, full_short = endpoint_queries(client, short)
    status_long, full_long = endpoint_queries(client, long)
    assert (status_short, status_long) == (200, 200)
    assert full_short == full_long
    unchanged_short = endpoint_queries(client, short, poll(client, short)["ETag"])
    unchanged_long = endpoint_queries(client, long, poll(client, long)["ETag"])
    assert unchanged_short == unchanged_long
    assert unchanged_short[0] == 204
    assert unchanged_short[1] < full_short


def test_the_poll_sends_its_marker_and_counts_as_background(client, assistant, mine):
    client.force_login(assistant)
    response = poll(client, mine)
    body = response.content.decode()
    start = body.index("hx-headers='") + len("hx-headers='")
    headers = json.loads(body[start : body.index("'", start)])
    assert headers == {"X-Background-Poll": "1", "If-None-Match": response["ETag"]}
    assert poll(client, mine, headers["If-None-Match"]).status_code == 204


def test_the_empty_answer_costs_at_most_six_queries(
    client, assistant, mine, django_assert_max_num_queries
):
    # session, user, OTP device, the roles, the item's id and practice, the marker: none of
    # them reads the conversation, nor the queue, nor the patient.
    fill(mine, 20)
    client.force_login(assistant)
    marker = poll(client, mine)["ETag"]  # also stamps the session
    with django_assert_max_num_queries(6) as queries:
        assert poll(client, mine, marker).status_code == 204
    assert not any("queue_app_patient" in query["sql"] for query in queries.captured_queries)
