"""The queue's 15-second poll: an empty answer while nothing changed, the rows once it did."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from queue_app.models import AuditEvent
from queue_app.services import intake, ownership
from tests import factories
from tests.queue_app.test_queue_page import add_items

pytestmark = pytest.mark.django_db
URL = reverse("queue:queue") + "?block="
POLL = {"HX-Request": "true", "X-Background-Poll": "1"}


def poll(client, marker):
    return client.get(URL, headers={**POLL, "If-None-Match": marker})


def marker_in(body: str) -> str:
    """The marker the rows send with their next poll, as htmx reads it from hx-headers."""
    rows = body.index('id="queue-rows"')
    start = body.index("hx-headers='", rows) + len("hx-headers='")
    return json.loads(body[start : body.index("'", start)])["If-None-Match"]


def new_item(practice, patient):
    return intake.create_item(
        practice=practice,
        patient=patient,
        moment=factories.moment(practice),
        channel="sms",
        words="Can I move my Thursday visit?",
        language="en",
        now=timezone.now(),
        service="sms",
    )


def test_an_unchanged_queue_answers_204_and_records_no_access(client, assistant, item):
    client.force_login(assistant)
    page = client.get(URL)
    marker = marker_in(page.content.decode())
    shown = AuditEvent.objects.filter(action="queue_view").count()
    response = poll(client, marker)
    assert response.status_code == 204
    assert response.content == b""
    assert response["ETag"] == marker
    assert AuditEvent.objects.filter(action="queue_view").count() == shown


def test_a_new_item_shows_at_the_next_poll(
    client, assistant, practice_a, patient, item, django_capture_on_commit_callbacks
):
    client.force_login(assistant)
    marker = marker_in(client.get(URL).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        created = new_item(practice_a, patient)
    response = poll(client, marker)
    body = response.content.decode()
    assert response.status_code == 200
    assert str(created.code) in body and str(item.code) in body
    assert response["ETag"] != marker
    assert marker_in(body) == response["ETag"]
    assert poll(client, response["ETag"]).status_code == 204


def test_a_colleagues_claim_shows_at_the_next_poll(
    client, assistant, assistant_2, item, django_capture_on_commit_callbacks
):
    client.force_login(assistant)
    marker = marker_in(client.get(URL).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        ownership.claim_item(item=item, actor=assistant_2, now=timezone.now())
    response = poll(client, marker)
    assert response.status_code == 200
    assert "Taken by" in response.content.decode()


def test_a_change_in_another_practice_is_not_news(
    client, assistant, practice_b, item, django_capture_on_commit_callbacks
):
    client.force_login(assistant)
    marker = marker_in(client.get(URL).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        new_item(practice_b, factories.make_patient(practice_b))
    assert poll(client, marker).status_code == 204


def test_a_change_not_yet_committed_is_not_announced(
    client, assistant, practice_a, patient, item, django_capture_on_commit_callbacks
):
    client.force_login(assistant)
    marker = marker_in(client.get(URL).content.decode())
    with django_capture_on_commit_callbacks(execute=False) as pending:
        new_item(practice_a, patient)
        assert poll(client, marker).status_code == 204
    assert pending  # the mark is renewed by the commit, which this test never reaches


def test_only_a_background_poll_gets_the_empty_answer(client, assistant, item):
    client.force_login(assistant)
    marker = marker_in(client.get(URL).content.decode())
    whole_page = client.get(URL, headers={"If-None-Match": marker})
    filter_change = client.get(URL, headers={"HX-Request": "true", "If-None-Match": marker})
    assert (whole_page.status_code, filter_change.status_code) == (200, 200)
    assert str(item.code) in filter_change.content.decode()


def empty_poll_queries(client, marker) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert poll(client, marker).status_code == 204
    return len(queries)


def test_the_empty_answer_costs_four_queries_at_any_queue_size(
    client, assistant, practice_a, django_assert_max_num_queries
):
    # session, user, OTP device, roles: nothing of the queue is read.
    add_items(practice_a, 10)
    client.force_login(assistant)
    marker = marker_in(client.get(URL).content.decode())  # also stamps the session
    small = empty_poll_queries(client, marker)
    # Added without events, as a seed would: the marker stays, the queue is 51 times longer.
    add_items(practice_a, 500)
    with django_assert_max_num_queries(4):
        assert poll(client, marker).status_code == 204
    assert empty_poll_queries(client, marker) == small
