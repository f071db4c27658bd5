"""A full journey with a canary patient leaves no trace of them in logs, URLs or the broker.

The canary's name, phone and words are unique strings: finding any of them anywhere outside
the database and the pages the assistant is allowed to see is a leak.
"""

import logging
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from messaging import inbound
from queue_app.models import Message, PracticeNumber, Role, WebhookEvent, WorkItem
from tests import factories
from tests.messaging.conftest import awake_quiet_hours
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db

CANARY_NAME = ("Qzxv", "Canarypatient")
CANARY_PHONE = "+15005550199"
CANARY_WORDS = "canary-body-7f3a please move my thursday visit"
CANARIES = ("Qzxv", "Canarypatient", "5550199", "canary-body-7f3a")


def signed_sms(client, token: str, params: dict):
    url = settings.BASE_URL + reverse("twilio:sms")
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post(reverse("twilio:sms"), params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def broker():
    connection = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    connection.delete("celery")
    yield connection
    connection.delete("celery")


def test_a_canary_journey_leaves_no_phi_in_logs_urls_or_broker(
    practice_a,
    fake_twilio,
    caplog,
    broker,
    django_capture_on_commit_callbacks,
):
    caplog.set_level(logging.DEBUG)
    awake_quiet_hours(practice_a, timezone.now())
    patient = factories.make_patient(
        practice_a,
        first_name=CANARY_NAME[0],
        last_name=CANARY_NAME[1],
        phone=CANARY_PHONE,
        date_of_birth=timezone.now().date() - timedelta(days=20000),
    )
    assistant = factories.make_user("assistant-c", practice_a, Role.ASSISTANT, ["en", "es"])
    client = verified_client(assistant)
    visited = []

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_sms(
            client,
            settings.TWILIO_AUTH_TOKEN,
            {
                "MessageSid": "SM" + "c" * 32,
                "AccountSid": settings.TWILIO_ACCOUNT_SID,
                "From": CANARY_PHONE,
                "To": PracticeNumber.objects.filter(practice=practice_a).first().number,
                "Body": CANARY_WORDS,
                "NumMedia": "0",
            },
        )
    assert response.status_code == 200
    # What the worker does with the stored event (its task was published to Redis above).
    for event in WebhookEvent.objects.filter(processed_at__isnull=True):
        with django_capture_on_commit_callbacks(execute=True):
            inbound.process_webhook_event(event_id=event.pk, now=timezone.now())
    item = WorkItem.objects.get(patient=patient)

    for name, kwargs in [
        ("queue:queue", {}),
        ("queue:item", {"code": item.code}),
        ("notes:item-notes", {"code": item.code}),
    ]:
        url = reverse(name, kwargs=kwargs)
        visited.append(url)
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        for name, data in [
            ("queue:item-claim", {}),
            ("queue:item-verify", {"fields": item.moment.verification_fields}),
        ]:
            url = reverse(name, kwargs={"code": item.code})
            visited.append(url)
            client.post(url, data)

    leaks = [c for c in CANARIES if c in caplog.text]
    assert leaks == [], "patient details in log lines"
    assert not [u for u in visited if any(c in u for c in CANARIES)]
    published = b"".join(broker.lrange("celery", 0, -1)).decode(errors="replace")
    assert not [c for c in CANARIES if c in published], "patient details in broker messages"
    assert Message.objects.filter(item=item, direction="in").exists()
