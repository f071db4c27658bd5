"""MMS attachments: fetched from (fake) Twilio with the account's credentials, kept only when
the bytes are a photo or a PDF under the limit, deleted from Twilio, and shown only to the
practice's staff through an audited view."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from twilio.request_validator import RequestValidator

from messaging import inbound
from messaging.attachment_tasks import fetch_attachment_task
from messaging.attachments import delete_files, sweep_attachments
from messaging.models import Attachment
from queue_app.models import AuditEvent, ItemEvent, Message, WebhookEvent
from tests.messaging.conftest import ACCOUNT_SID, AUTH_TOKEN, BASE_URL
from tests.messaging.helpers import NOON

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "twilio"
# The first bytes of real files: enough for their signatures, padded to a plausible size.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x11" * 4000
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"%" * 2000 + b"\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 4000


@pytest.fixture
def store(settings, tmp_path):
    """The attachments storage in a fresh folder, as configured: a FileSystemStorage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


def texted(client, practice, patient, media: list[str], types: list[str], body="My card"):
    """Twilio's signed MMS webhook, then the worker's processing of it."""
    params = json.loads((FIXTURES / "inbound_sms.json").read_text())
    params.update(From=patient.phone, To=practice.phone, Body=body, NumMedia=str(len(media)))
    for n, (url, kind) in enumerate(zip(media, types, strict=True)):
        params[f"MediaUrl{n}"], params[f"MediaContentType{n}"] = url, kind
    path = reverse("twilio:sms")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE_URL + path, params)
    response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    event = WebhookEvent.objects.get(sid=params["MessageSid"])
    assert inbound.process_webhook_event(event_id=event.pk, now=NOON) == "processed"
    return Message.objects.get(provider_sid=params["MessageSid"])


def fetch_all(message) -> list[str]:
    """Run the download task for each of the message's attachments, as the worker would."""
    return [
        fetch_attachment_task.apply(args=[a.pk]).get()
        for a in message.attachments.order_by("position")
    ]


def test_a_texted_photo_shows_in_the_conversation_for_the_practice_only(
    fake_twilio, store, practice_a, patient, assistant, outsider, django_capture_on_commit_callbacks
):
    url = fake_twilio.add_media(ACCOUNT_SID, JPEG, "image/jpeg")
    with django_capture_on_commit_callbacks() as queued:
        message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])
    assert len(queued) >= 1  # the download is queued once the message is committed

    assert fetch_all(message) == ["stored"]

    attachment = message.attachments.get()
    assert attachment.status == "stored"
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(JPEG)
    assert (store / attachment.file.name).read_bytes() == JPEG
    # Its checksum is what a restored backup is checked against (bin/restore-drill).
    assert attachment.sha256 == hashlib.sha256(JPEG).hexdigest()
    # The stored name says nothing of the patient or the file: two opaque codes.
    assert attachment.file.name == f"{practice_a.code}/{attachment.code}"
    # Fetched with the account's credentials, then deleted from Twilio.
    assert fake_twilio.media_auth and fake_twilio.media_auth[0].startswith("Basic ")
    assert fake_twilio.deleted_media == [attachment.provider_sid]
    assert attachment.remote_deleted_at is not None
    assert ItemEvent.objects.filter(item=message.item, kind="attachment_stored").exists()

    staff = Client()
    staff.force_login(assistant)
    conversation = staff.get(
        reverse("queue:item-conversation", args=[message.item.code]),
        headers={"HX-Request": "true"},
    ).content.decode()
    link = reverse("queue:attachment", args=[attachment.code])
    assert f'<img src="{link}"' in conversation
    # An opaque code, nothing else: no patient, practice or file name to guess from.
    assert link.rstrip("/").rsplit("/", 1)[-1] == str(attachment.code)

    photo = staff.get(link)
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content) == JPEG
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert photo["Content-Disposition"].startswith("inline; filename=")
    assert "no-store" in photo["Cache-Control"]
    assert "sandbox" in photo["Content-Security-Policy"]
    seen = AuditEvent.objects.get(action="attachment_view")
    assert seen.actor == assistant and seen.patient_ids == [patient.pk]
    assert seen.object_code == str(attachment.code)

    other = Client()
    other.force_login(outsider)
    assert other.get(link).status_code == 404
    assert Client().get(link).status_code == 302  # to the login page
    assert AuditEvent.objects.filter(action="attachment_view").count() == 1


def test_a_pdf_is_kept_and_offered_as_a_download(
    fake_twilio, store, practice_a, patient, assistant
):
    url = fake_twilio.add_media(ACCOUNT_SID, PDF, "application/pdf")
    message = texted(Client(), practice_a, patient, [url], ["application/pdf"])

    assert fetch_all(message) == ["stored"]
    staff = Client()
    staff.force_login(assistant)
    pdf = staff.get(reverse("queue:attachment", args=[message.attachments.get().code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment; filename=")


def test_an_attachment_whose_file_is_gone_answers_not_found(
    fake_twilio, store, practice_a, patient, assistant
):
    url = fake_twilio.add_media(ACCOUNT_SID, PDF, "application/pdf")
    message = texted(Client(), practice_a, patient, [url], ["application/pdf"])
    assert fetch_all(message) == ["stored"]
    stored = message.attachments.get()
    (store / stored.file.name).unlink()  # a restore without the attachments' backup

    staff = Client(raise_request_exception=False)
    staff.force_login(assistant)
    assert staff.get(reverse("queue:attachment", args=[stored.code])).status_code == 404


def test_a_program_renamed_jpg_is_refused_with_its_reason_shown_to_staff(
    fake_twilio, store, practice_a, patient, assistant
):
    url = fake_twilio.add_media(ACCOUNT_SID, EXE, "image/jpeg")
    message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])

    assert fetch_all(message) == ["refused"]

    attachment = message.attachments.get()
    assert attachment.status == "refused"
    assert attachment.file.name == ""
    assert list(store.iterdir()) == []  # nothing half stored
    assert "only photos and PDFs" in attachment.reason
    assert fake_twilio.deleted_media == [attachment.provider_sid]
    staff = Client()
    staff.force_login(assistant)
    conversation = staff.get(
        reverse("queue:item-conversation", args=[message.item.code])
    ).content.decode()
    assert "only photos and PDFs are accepted" in conversation
    assert reverse("queue:attachment", args=[attachment.code]) not in conversation
    assert staff.get(reverse("queue:attachment", args=[attachment.code])).status_code == 404


def test_a_30_mb_attachment_is_refused_without_being_kept(
    fake_twilio, store, settings, practice_a, patient
):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    big = JPEG + b"\x00" * (30 * 1024 * 1024)
    url = fake_twilio.add_media(ACCOUNT_SID, big, "image/jpeg")
    message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])

    assert fetch_all(message) == ["refused"]

    attachment = message.attachments.get()
    assert attachment.reason.startswith("Refused: the file is 30.0 MB, over the 10.0 MB limit")
    assert list(store.iterdir()) == []
    assert ItemEvent.objects.filter(item=message.item, kind="attachment_refused").exists()


def test_a_photo_and_its_words_still_reach_the_queue(fake_twilio, store, practice_a, patient):
    urls = [fake_twilio.add_media(ACCOUNT_SID, JPEG, "image/jpeg") for _ in range(2)]
    message = texted(
        Client(), practice_a, patient, urls, ["image/jpeg", "image/jpeg"], body="New insurance"
    )

    assert message.item is not None and message.body == "New insurance"
    assert fetch_all(message) == ["stored", "stored"]
    assert fetch_all(message) == ["skipped", "skipped"]  # a repeated task changes nothing
    assert len(list(store.rglob("*"))) == 3  # the practice's folder and two files


def test_a_link_outside_this_twilio_account_is_never_opened(
    fake_twilio, store, practice_a, patient
):
    url = fake_twilio.add_media("AC" + "1" * 32, JPEG, "image/jpeg")
    message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])

    assert fetch_all(message) == ["failed"]
    assert fake_twilio.media_auth == []  # the credentials never went out
    assert "not a Twilio media link" in Attachment.objects.get().reason


def test_media_gone_from_twilio_is_recorded_as_failed(fake_twilio, store, practice_a, patient):
    url = fake_twilio.add_media(ACCOUNT_SID, JPEG, "image/jpeg")
    fake_twilio.media.clear()
    message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])

    assert fetch_all(message) == ["failed"]
    assert "send it again" in Attachment.objects.get().reason


def test_a_failed_twilio_delete_is_retried_by_the_sweep(fake_twilio, store, practice_a, patient):
    url = fake_twilio.add_media(ACCOUNT_SID, JPEG, "image/jpeg")
    message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])
    fake_twilio.fail_deletes = True

    assert fetch_all(message) == ["stored"]
    assert Attachment.objects.get().remote_deleted_at is None
    assert fake_twilio.deleted_media == []

    fake_twilio.fail_deletes = False
    assert sweep_attachments(now=NOON) == {"requeued": 0, "deleted": 1}

    assert Attachment.objects.get().remote_deleted_at == NOON
    assert len(fake_twilio.deleted_media) == 1
    assert sweep_attachments(now=NOON) == {"requeued": 0, "deleted": 0}


def test_a_download_whose_task_was_lost_is_queued_again(
    fake_twilio, store, practice_a, patient, django_capture_on_commit_callbacks
):
    url = fake_twilio.add_media(ACCOUNT_SID, JPEG, "image/jpeg")
    message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])
    attachment = message.attachments.get()
    later = attachment.created + timedelta(minutes=11)

    with django_capture_on_commit_callbacks() as queued:
        assert sweep_attachments(now=attachment.created + timedelta(minutes=5))["requeued"] == 0
        assert sweep_attachments(now=later)["requeued"] == 1
    assert len(queued) == 1


def test_a_purged_message_takes_its_attachment_and_file_with_it(
    fake_twilio, store, practice_a, patient
):
    url = fake_twilio.add_media(ACCOUNT_SID, JPEG, "image/jpeg")
    message = texted(Client(), practice_a, patient, [url], ["image/jpeg"])
    fetch_all(message)
    path = store / message.attachments.get().file.name
    assert path.exists()

    assert delete_files(messages=Message.objects.filter(pk=message.pk)) == 1
    Message.objects.filter(pk=message.pk).update(item=None)
    message.delete()

    assert not path.exists()
    assert Attachment.objects.count() == 0
