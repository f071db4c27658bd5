"""The whole MMS path through a real Redis broker and a real Celery worker: the signed
webhook is stored, the worker processes it, queues the download, fetches the photo from the
fake Twilio, keeps it and deletes it there."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from twilio.request_validator import RequestValidator

from messaging.models import Attachment
from tests import factories
from tests.messaging.conftest import ACCOUNT_SID, AUTH_TOKEN, BASE_URL
from tests.messaging.test_attachments import JPEG
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "twilio"


def test_a_texted_photo_is_fetched_kept_and_deleted_by_the_worker(worker, fake_twilio):
    practice = factories.make_practice()
    patient = factories.make_patient(practice)
    url = fake_twilio.add_media(ACCOUNT_SID, JPEG, "image/jpeg")
    params = json.loads((FIXTURES / "inbound_sms.json").read_text())
    params.update(From=patient.phone, To=practice.phone, NumMedia="1", MediaUrl0=url,
                  MediaContentType0="image/jpeg")  # fmt: skip
    path = reverse("twilio:sms")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE_URL + path, params)

    assert Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=signature).status_code == 200

    assert wait_for(lambda: Attachment.objects.filter(status="stored").exists(), timeout=60)
    attachment = Attachment.objects.get()
    assert (worker.attachments_root / attachment.file.name).read_bytes() == JPEG
    assert attachment.message.item.patient == patient
    assert wait_for(lambda: fake_twilio.deleted_media == [attachment.provider_sid], timeout=10)
