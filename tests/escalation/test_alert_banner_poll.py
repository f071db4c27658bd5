"""The alert banner's 10-second poll on every signed-in page: an empty answer while nothing it
shows changed, the banner once something did."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from escalation import services
from escalation.models import Alert
from queue_app.access import grant_role
from queue_app.models import Role
from tests import factories
from tests.factories import verified_login

pytestmark = pytest.mark.django_db
URL = reverse("escalation:alerts")
POLL = {"HX-Request": "true", "X-Background-Poll": "1"}


@pytest.fixture(autouse=True)
def _no_redraw_within_a_test(settings):
    # The marker also turns every BANNER_REDRAW_SECONDS (test_queue_changes.py); a test that
    # crosses one must not see a redraw it did not cause.
    settings.BANNER_REDRAW_SECONDS = 10**9


def marker_in(body: str) -> str:
    """The marker the banner's poll sends next, as htmx reads it from hx-headers."""
    poll = body.index('id="escalation-alerts-poll"')
    start = body.index("hx-headers='", poll) + len("hx-headers='")
    return json.loads(body[start : body.index("'", start)])["If-None-Match"]


def first_poll(client) -> str:
    """The page's first poll (no marker yet): always the banner, with the marker to send next."""
    response = client.get(URL, headers=POLL)
    assert response.status_code == 200
    marker = marker_in(response.content.decode())
    assert marker == response["ETag"]
    return marker


def poll(client, marker):
    return client.get(URL, headers={**POLL, "If-None-Match": marker})


def escalate(item, route_kind="urgent"):
    return services.escalate_item(
        item=item, route_kind=route_kind, reason="chest pain", now=timezone.now()
    )


def test_an_unchanged_banner_answers_204(client, assistant, item):
    escalate(item)
    client.force_login(assistant)
    marker = first_poll(client)

    response = poll(client, marker)

    assert response.status_code == 204
    assert response.content == b""
    assert response["ETag"] == marker


def test_a_new_urgent_escalation_shows_at_the_next_poll(
    client, assistant, item, django_capture_on_commit_callbacks
):
    client.force_login(assistant)
    marker = first_poll(client)
    with django_capture_on_commit_callbacks(execute=True):
        escalate(item)

    response = poll(client, marker)

    body = response.content.decode()
    assert response.status_code == 200
    assert "URGENT" in body
    assert marker_in(body) == response["ETag"] != marker
    assert poll(client, response["ETag"]).status_code == 204


def test_an_acknowledgement_shows_at_the_next_poll(
    client, assistant, clinical, item, django_capture_on_commit_callbacks
):
    escalation = escalate(item)
    client.force_login(assistant)
    marker = first_poll(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge_escalation(escalation=escalation, actor=clinical, now=timezone.now())

    body = poll(client, marker).content.decode()

    assert "acknowledged" in body
    assert "waiting for acknowledgement" not in body


def test_another_practices_escalation_is_not_news(
    client, assistant, practice_b, item, django_capture_on_commit_callbacks
):
    client.force_login(assistant)
    marker = first_poll(client)
    with django_capture_on_commit_callbacks(execute=True):
        escalate(factories.make_item(practice_b, patient=factories.make_patient(practice_b)))

    assert poll(client, marker).status_code == 204


def test_an_alert_dismissed_on_another_page_goes_from_this_one(
    manager, item, django_capture_on_commit_callbacks
):
    now = timezone.now()
    escalation = escalate(item, route_kind="clinical")
    services.escalate_overdue_acknowledgements(now=now + timedelta(hours=2))
    alert = Alert.objects.get(escalation=escalation, recipient=manager, kind="overdue")
    this_page, other_page = Client(), Client()
    verified_login(this_page, manager)
    verified_login(other_page, manager)
    marker = first_poll(this_page)
    assert poll(this_page, marker).status_code == 204

    with django_capture_on_commit_callbacks(execute=True):
        other_page.post(
            reverse("escalation:alert-seen", args=[alert.code]), headers={"HX-Request": "true"}
        )
    response = poll(this_page, marker)

    assert response.status_code == 200
    assert "Acknowledgement overdue" not in response.content.decode()


def test_a_role_granted_meanwhile_shows_that_practices_escalations(
    client, outsider, practice_a, item
):
    escalate(item)
    client.force_login(outsider)
    marker = first_poll(client)
    grant_role(user=outsider, practice=practice_a, role=Role.ASSISTANT)

    response = poll(client, marker)

    assert response.status_code == 200
    assert "URGENT · Alpha" in response.content.decode()


def test_a_clinician_made_an_assistant_meanwhile_gets_the_items_link(
    client, clinical, practice_a, item
):
    escalation = escalate(item)
    client.force_login(clinical)
    marker = first_poll(client)
    grant_role(user=clinical, practice=practice_a, role=Role.ASSISTANT)

    body = poll(client, marker).content.decode()

    assert reverse("escalation:item-panel", args=[item.code]) in body
    assert reverse("escalation:detail", args=[escalation.code]) not in body


def empty_poll_queries(client, marker) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert poll(client, marker).status_code == 204
    return len(queries)


def test_the_empty_answer_reads_only_the_roles(
    client, clinical, practice_a, django_assert_max_num_queries
):
    # session, user, OTP device, roles: nothing of the escalations or alerts is read.
    escalate(factories.make_item(practice_a, patient=factories.make_patient(practice_a)))
    client.force_login(clinical)
    marker = first_poll(client)
    few = empty_poll_queries(client, marker)
    for _ in range(5):
        escalate(factories.make_item(practice_a, patient=factories.make_patient(practice_a)))
    marker = first_poll(client)

    with django_assert_max_num_queries(4):
        assert poll(client, marker).status_code == 204
    assert empty_poll_queries(client, marker) == few
