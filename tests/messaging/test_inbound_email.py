"""Inbound email through the provider's signed webhook (Mailgun's format): a patient's email
threads into their open item, triaged, with its PDF kept; unsigned, forged, replayed or
stale posts and unknown senders are refused with nothing stored."""

import hashlib
import hmac
import time
from datetime import timedelta
from itertools import count

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from messaging.models import Attachment, SignatureToken
from queue_app.models import ItemEvent, Message, WorkItem
from tests import factories
from tests.messaging.test_attachments import EXE, PDF

pytestmark = pytest.mark.django_db
KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
URL = reverse("email-inbound")
_serial = count(1)


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path):
    settings.INBOUND_EMAIL_SIGNING_KEY = KEY
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }


@pytest.fixture
def writer(practice_a):
    return factories.make_patient(practice_a, email="luz.rivera@example.org")


def signed(fields: dict, *, at: float | None = None, token: str | None = None) -> dict:
    timestamp = str(int(at if at is not None else time.time()))
    token = token or hashlib.sha256(str(next(_serial)).encode()).hexdigest()[:50]
    signature = hmac.new(KEY.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {**fields, "timestamp": timestamp, "token": token, "signature": signature}


def email(practice, sender="Luz Rivera <Luz.Rivera@example.org>", **overrides) -> dict:
    n = next(_serial)
    fields = {
        "recipient": f"{practice.slug}@inbound.example.org",
        "sender": "luz.rivera@example.org",
        "from": sender,
        "subject": "My appointment",
        "body-plain": "Can we move Thursday's visit?\n\n> quoted old text",
        "stripped-text": "Can we move Thursday's visit?",
        "Message-Id": f"<m{n}@mail.example.org>",
    }
    fields.update(overrides)
    return fields


def test_an_email_with_a_pdf_threads_into_the_open_item_and_shows_it(practice_a, writer, assistant):
    item = factories.make_item(practice_a, patient=writer, owner=assistant, status="assigned")
    pdf = SimpleUploadedFile("referral.pdf", PDF, content_type="application/pdf")

    response = Client().post(URL, signed({**email(practice_a), "attachment-1": pdf}))

    assert response.status_code == 200
    message = Message.objects.get(channel="email")
    assert (message.item, message.patient) == (item, writer)
    assert message.body == "Can we move Thursday's visit?"
    assert ItemEvent.objects.filter(item=item, kind="patient_replied").exists()
    attachment = Attachment.objects.get(message=message)
    assert (attachment.status, attachment.content_type) == ("stored", "application/pdf")
    staff = Client()
    staff.force_login(assistant)
    page = staff.get(reverse("queue:item-conversation", args=[item.code])).content.decode()
    assert reverse("queue:attachment", args=[attachment.code]) in page
    assert "PDF 1 from the patient" in page


def test_a_new_need_by_email_opens_an_email_item_triaged(practice_a, writer):
    fields = email(practice_a, **{"stripped-text": "I have chest pain and can't breathe"})

    assert Client().post(URL, signed(fields)).status_code == 200

    item = WorkItem.objects.get(patient=writer)
    assert item.channel == WorkItem.Channel.EMAIL
    assert item.boundary == WorkItem.Boundary.URGENT


def test_a_reply_follows_its_thread_to_the_item_it_answers(practice_a, writer, assistant):
    first = email(practice_a)
    Client().post(URL, signed(first))
    older = Message.objects.get(channel="email").item
    newer = factories.make_item(
        practice_a,
        patient=writer,
        owner=assistant,
        status="assigned",
        received_at=older.received_at + timedelta(minutes=1),
    )

    reply = email(practice_a, **{"In-Reply-To": first["Message-Id"], "References": ""})
    assert Client().post(URL, signed(reply)).status_code == 200

    answered = Message.objects.filter(channel="email").latest("id")
    assert answered.item == older != newer
    # Without the header, the same email joins the patient's latest open item instead.
    assert Client().post(URL, signed(email(practice_a))).status_code == 200
    assert Message.objects.filter(channel="email").latest("id").item == newer


def test_a_program_named_jpg_in_an_email_is_refused_and_the_email_kept(practice_a, writer):
    exe = SimpleUploadedFile("card.jpg", EXE, content_type="image/jpeg")

    assert Client().post(URL, signed({**email(practice_a), "attachment-1": exe})).status_code == 200

    attachment = Attachment.objects.get()
    assert attachment.status == "refused" and attachment.file.name == ""
    assert "only photos and PDFs" in attachment.reason
    assert Message.objects.filter(channel="email").count() == 1


def test_an_attachment_over_the_limit_is_refused_without_reading_it(settings, practice_a, writer):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 2 * 1024 * 1024, "application/pdf")

    Client().post(URL, signed({**email(practice_a), "attachment-1": big}))

    assert Attachment.objects.get().reason.startswith("Refused: the file is 2.0 MB")


def test_an_unsigned_email_is_401_and_nothing_is_stored(practice_a, writer):
    response = Client().post(URL, email(practice_a))
    assert response.status_code == 401
    assert Message.objects.count() == 0


def test_a_forged_signature_is_403(practice_a, writer):
    fields = signed(email(practice_a))
    fields["signature"] = "0" * 64
    assert Client().post(URL, fields).status_code == 403
    assert Message.objects.count() == 0 and SignatureToken.objects.count() == 0


def test_a_replayed_post_is_403_and_stored_once(practice_a, writer):
    fields = signed(email(practice_a))
    assert Client().post(URL, fields).status_code == 200

    again = Client().post(URL, {**fields, "stripped-text": "Cancel all my visits"})

    assert again.status_code == 403 and again.json()["error"] == "replayed"
    assert list(Message.objects.values_list("body", flat=True)) == ["Can we move Thursday's visit?"]


def test_a_stale_post_is_403(practice_a, writer):
    response = Client().post(URL, signed(email(practice_a), at=time.time() - 3600))
    assert response.status_code == 403 and response.json()["error"] == "stale"
    assert Message.objects.count() == 0


def test_the_providers_retry_with_a_new_signature_stores_nothing_new(practice_a, writer):
    fields = email(practice_a)
    Client().post(URL, signed(fields))
    retry = Client().post(URL, signed(fields))
    assert retry.status_code == 200 and retry.json()["duplicate"] is True
    assert Message.objects.count() == 1


def test_an_unknown_sender_is_refused_clearly_and_nothing_is_stored(practice_a, writer):
    fields = email(practice_a, sender="someone@else.example")
    fields["sender"] = "someone@else.example"
    pdf = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")

    response = Client().post(URL, signed({**fields, "attachment-1": pdf}))

    assert response.status_code == 406
    assert response.json()["error"] == "unknown_sender"
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0
    assert SignatureToken.objects.count() == 0
    assert WorkItem.objects.count() == 0


def test_mail_to_no_practice_is_refused(practice_a, writer):
    fields = email(practice_a, recipient="nobody@inbound.example.org")
    response = Client().post(URL, signed(fields))
    assert response.status_code == 406 and response.json()["error"] == "unknown_recipient"


def test_an_email_failing_spf_and_dkim_is_flagged_before_anything_is_disclosed(practice_a, writer):
    fields = email(practice_a, **{"X-Mailgun-Spf": "Fail", "X-Mailgun-Dkim-Check-Result": "Fail"})

    assert Client().post(URL, signed(fields)).status_code == 200

    item = WorkItem.objects.get(patient=writer)
    assert item.triage_reasons[0].startswith("The email's sender could not be verified")
    assert ItemEvent.objects.filter(item=item, kind="sender_unverified").exists()


def test_an_email_passing_dkim_is_not_flagged(practice_a, writer):
    fields = email(
        practice_a, **{"X-Mailgun-Spf": "SoftFail", "X-Mailgun-Dkim-Check-Result": "Pass"}
    )

    assert Client().post(URL, signed(fields)).status_code == 200

    assert not ItemEvent.objects.filter(kind="sender_unverified").exists()
