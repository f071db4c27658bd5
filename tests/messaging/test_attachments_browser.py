"""In a real browser: a photo a patient texted shows in the assistant's conversation (the
image decodes, under the CSP), and another practice's assistant gets 404 for its URL."""

import struct
import zlib

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from messaging import inbound
from messaging.attachment_tasks import fetch_attachment_task
from queue_app.models import Message, WebhookEvent
from tests.browser.pages import sign_in
from tests.messaging.conftest import ACCOUNT_SID
from tests.messaging.helpers import NOON

pytestmark = pytest.mark.browser


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_texted_photo_is_seen_by_the_practice_and_refused_to_another(
    transactional_db, live_server, page: Page, fake_twilio, settings, tmp_path,
    practice_a, patient, assistant, outsider,
):  # fmt: skip
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    url = fake_twilio.add_media(ACCOUNT_SID, one_pixel_png(), "image/png")
    sid = "SM" + "7" * 32
    event = WebhookEvent.objects.create(
        kind="sms", sid=sid, path="/twilio/sms/", received_at=NOON,
        payload={"MessageSid": sid, "From": patient.phone, "To": practice_a.phone,
                 "Body": "Here is my new insurance card", "NumMedia": "1",
                 "MediaUrl0": url, "MediaContentType0": "image/png"},
    )  # fmt: skip
    inbound.process_webhook_event(event_id=event.pk, now=NOON)
    message = Message.objects.get(provider_sid=sid)
    assert fetch_attachment_task.apply(args=[message.attachments.get().pk]).get() == "stored"
    photo_url = reverse("queue:attachment", args=[message.attachments.get().code])
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    sign_in(page, live_server.url, assistant.username)
    page.goto(f"{live_server.url}{reverse('queue:item', args=[message.item.code])}")
    page.wait_for_load_state("networkidle")
    image = page.locator(f'#conversation img[src="{photo_url}"]')
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1
    assert image.get_attribute("alt") == "Photo 1 from the patient"
    assert violations == []

    sign_in(page, live_server.url, outsider.username)
    response = page.goto(f"{live_server.url}{photo_url}")
    assert response is not None and response.status == 404
