"""The portal intake endpoint: only a signed, fresh post from a practice's token is taken,
once per sender message id, for a patient known by MRN, and it reaches the patient's open
item triaged like a text."""

import json
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from messaging.models import PortalToken
from messaging.portal import create_portal_token, sign
from queue_app.models import AuditEvent, ItemEvent, Message, WorkItem
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("portal-message")


@pytest.fixture
def token(practice_a) -> str:
    return create_portal_token(practice=practice_a, label="Patient portal", now=timezone.now())[1]


def post(body: dict | bytes, token: str | None, *, at: float | None = None, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(at if at is not None else time.time()))
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
        headers["X-Portal-Timestamp"] = timestamp
        headers["X-Portal-Signature"] = signature or sign(
            token=token, timestamp=timestamp, body=raw
        )
    return Client().post(URL, raw, content_type="application/json", headers=headers)


def note(patient, text="Can I get a refill of my lisinopril?", message_id="msg-1") -> dict:
    return {"message_id": message_id, "mrn": patient.external_id, "text": text}


def test_the_token_is_kept_only_as_a_hash(practice_a, token):
    row = PortalToken.objects.get()
    assert token not in (row.token_hash, row.prefix) and row.token_hash
    assert row.practice == practice_a


def test_a_signed_post_joins_the_patients_open_item_triaged(practice_a, patient, assistant, token):
    item = factories.make_item(practice_a, patient=patient, owner=assistant, status="waiting")

    response = post(note(patient, "Also my chest hurts and I feel faint"), token)

    assert response.status_code == 201
    message = Message.objects.get(channel="portal")
    assert response.json() == {
        "message": str(message.code), "item": str(item.code), "duplicate": False,
    }  # fmt: skip
    assert message.item == item and message.patient == patient
    assert message.direction == "in"
    item.refresh_from_db()
    assert item.status != WorkItem.Status.WAITING  # resumed, as a texted reply would
    kinds = set(ItemEvent.objects.filter(item=item).values_list("kind", flat=True))
    assert "patient_replied" in kinds
    assert item.boundary == WorkItem.Boundary.URGENT  # triaged: chest pain raises it
    assert AuditEvent.objects.filter(service="portal", action="portal_message_received").exists()


def test_a_new_request_opens_a_portal_item(practice_a, patient, token):
    response = post(note(patient, "I need a copy of my vaccination record"), token)

    assert response.status_code == 201
    item = WorkItem.objects.get(code=response.json()["item"])
    assert item.channel == WorkItem.Channel.PORTAL
    assert item.patient == patient


def test_the_same_message_id_is_stored_once(practice_a, patient, token):
    first = post(note(patient), token)
    again = post(note(patient), token)

    assert first.status_code == 201
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["message"] == first.json()["message"]
    assert Message.objects.filter(channel="portal").count() == 1
    assert WorkItem.objects.filter(patient=patient).count() == 1


def test_an_unknown_mrn_is_refused_clearly_and_nothing_is_stored(practice_a, patient, token):
    response = post({**note(patient), "mrn": "NOPE-404"}, token)

    assert response.status_code == 422
    assert response.json()["error"] == "unknown_patient"
    assert "MRN" in response.json()["detail"]
    assert Message.objects.count() == 0 and WorkItem.objects.count() == 0


def test_a_patient_of_another_practice_is_unknown_to_this_token(practice_b, token):
    stranger = factories.make_patient(practice_b)
    response = post(note(stranger), token)
    assert response.status_code == 422
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    "case",
    ["no token", "unknown token", "revoked token", "no signature", "no timestamp"],
)
def test_an_unauthenticated_or_unsigned_post_is_401(practice_a, patient, token, case):
    raw = json.dumps(note(patient)).encode()
    now = str(int(time.time()))
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Portal-Timestamp": now,
        "X-Portal-Signature": sign(token=token, timestamp=now, body=raw),
    }
    if case == "no token":
        del headers["Authorization"]
    elif case == "unknown token":
        headers["Authorization"] = "Bearer pq_" + "x" * 43
    elif case == "revoked token":
        PortalToken.objects.update(revoked_at=timezone.now())
    elif case == "no signature":
        del headers["X-Portal-Signature"]
    else:
        del headers["X-Portal-Timestamp"]

    response = Client().post(URL, raw, content_type="application/json", headers=headers)

    assert response.status_code == 401
    assert Message.objects.count() == 0


def test_a_forged_or_altered_post_is_403(practice_a, patient, token):
    other = create_portal_token(practice=practice_a, label="Other", now=timezone.now())[1]
    raw = json.dumps(note(patient)).encode()
    now = str(int(time.time()))
    altered = json.dumps(note(patient, "Cancel everything")).encode()

    signed_by_other = post(raw, token, signature=sign(token=other, timestamp=now, body=raw))
    body_changed = post(altered, token, signature=sign(token=token, timestamp=now, body=raw))

    assert signed_by_other.status_code == 403
    assert body_changed.status_code == 403
    assert body_changed.json()["error"] == "bad_signature"
    assert Message.objects.count() == 0


def test_a_replayed_post_from_outside_the_window_is_403(practice_a, patient, token):
    response = post(note(patient), token, at=time.time() - 3600)

    assert response.status_code == 403
    assert response.json()["error"] == "stale"
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not json", "bad_json"),
        (b"[1, 2]", "bad_json"),
        (json.dumps({"mrn": "x", "text": "hi"}).encode(), "bad_message_id"),
        (json.dumps({"message_id": "m", "mrn": "x", "text": ""}).encode(), "bad_text"),
    ],
)
def test_a_malformed_body_is_400_with_its_reason(practice_a, token, body, error):
    response = post(body, token)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert Message.objects.count() == 0


def test_get_is_405(token):
    assert Client().get(URL).status_code == 405


def test_the_command_prints_a_token_that_works_once_stored_hashed(practice_a, patient):
    out = StringIO()
    call_command("create_portal_token", practice_a.slug, "EHR", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]

    assert post(note(patient), token).status_code == 201
    assert PortalToken.objects.get().label == "EHR"
