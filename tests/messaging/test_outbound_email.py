"""Email to patients: an assistant's reply goes through Django's mail backend from the
practice's address with a Message-Id the patient's reply threads by; no email consent or a
suppressed address refuses it in plain words; the provider's signed bounce and complaint
events suppress the address, and a forged one changes nothing."""

import hashlib
import hmac
import json
import time
from datetime import timedelta
from email.utils import parseaddr
from itertools import count
from uuid import uuid4

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from messaging import delivery
from messaging.models import EmailSuppression
from queue_app.models import Consent, Message, WorkItem
from queue_app.services import composing
from queue_app.services.shared import ActionRefused
from templates_lib.models import ChannelRule, ResponseTemplate
from tests import factories
from tests.queue_app.queue_helpers import owned_item, verified

pytestmark = pytest.mark.django_db
KEY = "key-outbound-email-tests-0123456789"
DOMAIN = "inbound.example.org"
ADDRESS = "luz.rivera@example.org"
_serial = count(1)


@pytest.fixture(autouse=True)
def email_settings(settings):
    settings.INBOUND_EMAIL_SIGNING_KEY = KEY
    settings.PRACTICE_EMAIL_DOMAIN = DOMAIN
    settings.CHANNEL_BACKEND = "messaging.channels.OutboxBackend"


@pytest.fixture
def writer(practice_a):
    patient = factories.make_patient(practice_a, email=ADDRESS, first_name="Luz")
    Consent.objects.create(
        patient=patient,
        channel=Consent.Channel.EMAIL,
        granted=True,
        source="intake form",
        recorded_at=timezone.now() - timedelta(days=10),
    )
    return patient


@pytest.fixture
def email_playbook(practice_a):
    """The referral moment allows email with consent, and has an approved email reply."""
    moment = factories.moment(practice_a, "referral_status")
    ChannelRule.objects.filter(moment=moment, channel="email").update(
        allowed=True, consent_required=True
    )
    now = timezone.now()
    for language, body in (
        ("en", "{practice_name}: we got your message and are checking on your referral."),
        ("es", "{practice_name}: recibimos su mensaje y estamos revisando su referido."),
    ):
        ResponseTemplate.objects.create(
            practice=practice_a,
            moment=moment,
            language=language,
            channel="email",
            purpose="first_response",
            version=1,
            body=body,
            status=ResponseTemplate.Status.APPROVED,
            approved_at=now,
            created=now,
        )
    return moment


def ready(practice, patient, owner) -> WorkItem:
    return verified(owned_item(practice, patient, owner, key="referral_status"))


def email_option(item: WorkItem) -> composing.Option:
    options = composing.composer_options(item=item, now=timezone.now(), sent=[])
    return next(o for o in options if o.label == "First response · Email")


def send_email_reply(item: WorkItem, actor) -> Message:
    result = composing.send_composition(
        item=item,
        actor=actor,
        composition=composing.Composition(choice=email_option(item).key),
        token=uuid4(),
        now=timezone.now(),
    )
    return result.message


def deliver(message: Message) -> str:
    return delivery.deliver_message(message_id=message.pk, now=timezone.now())


def signed_event(event_data: dict, *, key: str = KEY) -> str:
    timestamp = str(int(time.time()))
    token = hashlib.sha256(f"event-{next(_serial)}".encode()).hexdigest()[:50]
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": event_data,
        }
    )


def bounce(message_id: str, recipient: str = ADDRESS) -> dict:
    return {
        "event": "failed",
        "severity": "permanent",
        "recipient": recipient,
        "message": {"headers": {"message-id": message_id.strip("<>")}},
        "delivery-status": {"code": 550, "message": "5.1.1 mailbox does not exist"},
    }


def post_event(body: str):
    return Client().post(reverse("email-events"), body, content_type="application/json")


def test_a_reply_by_email_goes_from_the_practice_with_a_message_id(
    client, practice_a, writer, assistant, email_playbook
):
    item = ready(practice_a, writer, assistant)
    client.force_login(assistant)
    page = client.get(reverse("queue:item", args=[item.code])).content.decode()
    assert "First response · Email" in page
    assert '<option value="email"' in page  # free text may go by email too

    response = client.post(
        reverse("queue:item-send", args=[item.code]),
        {"choice": email_option(item).key, "token": str(uuid4())},
        headers={"HX-Request": "true"},
    )
    assert "Message queued for sending." in response.content.decode()
    message = Message.objects.get(item=item, direction="out")
    assert message.channel == "email"
    assert deliver(message) == "sent"

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [ADDRESS]
    assert parseaddr(sent.from_email) == (practice_a.name, f"{practice_a.slug}@{DOMAIN}")
    assert sent.subject == f"A message from {practice_a.name}"
    assert sent.body == f"{practice_a.name}: we got your message and are checking on your referral."
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert sent.extra_headers["Message-ID"] == f"<{message.provider_sid}@{DOMAIN}>"
    assert sent.message()["Message-ID"] == f"<{message.provider_sid}@{DOMAIN}>"


def test_email_is_not_offered_to_a_patient_without_an_address(
    practice_a, assistant, email_playbook
):
    patient = factories.make_patient(practice_a)
    item = ready(practice_a, patient, assistant)

    options = composing.composer_options(item=item, now=timezone.now(), sent=[])

    assert "Email" not in " ".join(o.label for o in options)
    client = Client()
    client.force_login(assistant)
    page = client.get(reverse("queue:item", args=[item.code])).content.decode()
    assert "First response · SMS" in page
    assert "· Email" not in page and '<option value="email"' not in page
    with pytest.raises(composing.ComposeRefused, match="Choose SMS, portal or email"):
        composing.send_composition(
            item=item,
            actor=assistant,
            composition=composing.Composition(choice="free", channel="email", text="Hello"),
            token=uuid4(),
            now=timezone.now(),
        )
    assert not Message.objects.filter(item=item).exists()


def test_the_patients_reply_threads_into_the_same_item(
    practice_a, writer, assistant, email_playbook
):
    item = ready(practice_a, writer, assistant)
    message = send_email_reply(item, assistant)
    deliver(message)
    sent_id = mail.outbox[0].extra_headers["Message-ID"]
    # A newer open item for the same patient: without the headers the reply would go there.
    newer = factories.make_item(
        practice_a, patient=writer, owner=assistant, status="assigned", key="reschedule"
    )
    assert newer.received_at > item.received_at

    timestamp, token = str(int(time.time())), "reply-token-1"
    signature = hmac.new(KEY.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    reply = {
        "recipient": f"{practice_a.slug}@{DOMAIN}",
        "sender": ADDRESS,
        "from": f"Luz Rivera <{ADDRESS}>",
        "stripped-text": "Thank you, any news on the referral?",
        "Message-Id": "<reply-1@mail.example.org>",
        "In-Reply-To": sent_id,
        "References": sent_id,
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }
    assert Client().post(reverse("email-inbound"), reply).status_code == 200

    inbound = Message.objects.get(direction="in", channel="email")
    assert inbound.item == item
    assert not newer.messages.exists()


def test_without_email_consent_nothing_is_sent(practice_a, writer, assistant, email_playbook):
    item = ready(practice_a, writer, assistant)
    queued = send_email_reply(item, assistant)
    # Consent is withdrawn before the worker sends: the send-time check stops it.
    Consent.objects.create(
        patient=writer,
        channel=Consent.Channel.EMAIL,
        granted=False,
        source="patient asked by phone",
        recorded_at=timezone.now(),
    )

    assert deliver(queued) == "blocked"

    queued.refresh_from_db()
    assert queued.status == Message.Status.BLOCKED
    assert queued.status_reason == "No EMAIL consent is on record for the patient."
    assert mail.outbox == []
    # And the composer refuses a new one in the same words, storing nothing.
    with pytest.raises(ActionRefused, match="No EMAIL consent is on record"):
        send_email_reply(item, assistant)
    assert Message.objects.filter(item=item).count() == 1


def test_a_bounce_suppresses_the_address_and_the_next_send_is_refused(
    practice_a, writer, assistant, email_playbook
):
    item = ready(practice_a, writer, assistant)
    first = send_email_reply(item, assistant)
    deliver(first)
    queued = factories.make_message(
        item, channel="email", body="A second email already waiting.", sent_by=assistant
    )

    response = post_event(signed_event(bounce(mail.outbox[0].extra_headers["Message-ID"])))

    assert response.status_code == 200
    assert response.json() == {"outcome": "suppressed"}
    suppression = EmailSuppression.objects.get(practice=practice_a)
    assert (suppression.address, suppression.reason) == (ADDRESS, "bounced")
    first.refresh_from_db()
    assert first.status == Message.Status.FAILED
    assert first.status_reason.startswith("The email to the patient could not be delivered")
    assert item.events.filter(kind="message_failed").exists()
    # The one already queued is stopped by the worker; a new one by the composer.
    assert deliver(queued) == "blocked"
    queued.refresh_from_db()
    assert "bounced" in queued.status_reason
    assert len(mail.outbox) == 1
    with pytest.raises(ActionRefused, match="Email to this address bounced"):
        send_email_reply(item, assistant)


def test_a_complaint_stops_email_to_the_address(practice_a, writer, assistant, email_playbook):
    item = ready(practice_a, writer, assistant)
    first = send_email_reply(item, assistant)
    deliver(first)
    event = {
        "event": "complained",
        "recipient": ADDRESS,
        "message": {"headers": {"message-id": mail.outbox[0].extra_headers["Message-ID"]}},
    }

    assert post_event(signed_event(event)).status_code == 200

    assert EmailSuppression.objects.get(practice=practice_a).reason == "complained"
    first.refresh_from_db()
    assert first.status == Message.Status.SENT  # it reached the patient
    assert "reported our email as spam" in first.status_reason
    with pytest.raises(ActionRefused, match="reported our email as spam"):
        send_email_reply(item, assistant)


def test_a_forged_or_replayed_bounce_is_refused_and_changes_nothing(
    practice_a, writer, assistant, email_playbook
):
    item = ready(practice_a, writer, assistant)
    first = send_email_reply(item, assistant)
    deliver(first)
    event = bounce(mail.outbox[0].extra_headers["Message-ID"])

    forged = post_event(signed_event(event, key="not-the-signing-key"))
    unsigned = post_event(json.dumps({"event-data": event}))

    assert forged.status_code == 403
    assert unsigned.status_code == 401
    assert not EmailSuppression.objects.exists()
    first.refresh_from_db()
    assert first.status == Message.Status.SENT
    body = signed_event({"event": "delivered", **{k: event[k] for k in ("recipient", "message")}})
    assert post_event(body).status_code == 200
    assert post_event(body).status_code == 403  # the same signature, replayed
