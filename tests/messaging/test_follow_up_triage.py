"""Every inbound message is triaged, follow-ups and voicemail transcripts too: a follow-up
can raise an item's boundary (and reach the route at once) but never lowers it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from escalation.models import Alert, Escalation, RouteKind
from escalation.services import escalate_item
from messaging import inbound
from queue_app.models import ItemEvent, Message, WebhookEvent, WorkItem
from tests.messaging.helpers import NOON, receive_sms
from tests.messaging.test_webhooks import sign
from tests.polling import wait_for

CHEST = "also now my chest hurts and my left arm is numb"


def test_a_red_flag_in_a_follow_up_raises_the_item_to_urgent(db, practice_a, patient, clinical):
    receive_sms(practice_a, patient.phone, "can I move my appointment to next Friday?")
    item = WorkItem.objects.get(patient=patient)
    assert item.boundary == "administrative"

    receive_sms(practice_a, patient.phone, CHEST, now=NOON + timedelta(minutes=4))

    item.refresh_from_db()
    follow_up = item.messages.get(body=CHEST)
    assert item.boundary == "urgent"
    assert item.triage_reasons[0].startswith("raised from administrative to urgent")
    raised = item.events.get(kind="boundary_raised")
    assert raised.after == {"boundary": "urgent", "message": str(follow_up.code)}
    escalation = Escalation.objects.get(item=item)
    assert escalation.route.kind == RouteKind.URGENT and escalation.is_open


def test_a_calm_follow_up_never_lowers_the_boundary(db, practice_a, patient):
    receive_sms(practice_a, patient.phone, "I can't breathe and my lips are turning blue")
    item = WorkItem.objects.get(patient=patient)
    assert item.boundary == "urgent"

    receive_sms(
        practice_a, patient.phone, "ok thanks, see you Tuesday", now=NOON + timedelta(minutes=2)
    )

    item.refresh_from_db()
    assert item.boundary == "urgent"
    assert item.events.filter(kind="follow_up_triaged").count() == 1
    assert not item.events.filter(kind="boundary_raised").exists()


def test_an_emergency_in_an_item_with_the_clinical_team_moves_it_to_the_urgent_route(
    db, practice_a, patient, clinical
):
    receive_sms(practice_a, patient.phone, "can I take my lisinopril with ibuprofen?")
    item = WorkItem.objects.get(patient=patient)
    escalation = Escalation.objects.get(item=item)
    assert item.boundary == "clinical" and escalation.route.kind == RouteKind.CLINICAL

    receive_sms(practice_a, patient.phone, CHEST, now=NOON + timedelta(minutes=10))

    escalation.refresh_from_db()
    assert escalation.route.kind == RouteKind.URGENT
    assert escalation.status == Escalation.Status.OPEN
    assert escalation.ack_due_at > NOON + timedelta(minutes=10)
    assert Escalation.objects.filter(item=item).count() == 1
    assert item.events.filter(kind="escalation_raised").exists()


def test_an_escalated_item_is_never_moved_to_a_lesser_route(db, practice_a, patient):
    receive_sms(practice_a, patient.phone, "my chest is crushing and I'm sweating")
    item = WorkItem.objects.get(patient=patient)
    assert Escalation.objects.get(item=item).route.kind == RouteKind.URGENT

    receive_sms(
        practice_a, patient.phone, "also this is the 3rd time nobody called, I want a manager"
    )

    assert Escalation.objects.get(item=item).route.kind == RouteKind.URGENT
    assert WorkItem.objects.get(pk=item.pk).boundary == "urgent"


def test_a_voicemail_transcript_is_triaged_like_any_message(db, practice_a, patient):
    base = {"CallSid": "CA9", "From": patient.phone, "To": practice_a.phone}
    call = WebhookEvent.objects.create(kind="call", sid="CA9", path="/", received_at=NOON,
                                       payload=base)  # fmt: skip
    text = WebhookEvent.objects.create(
        kind="transcription", sid="TR9", path="/", received_at=NOON,
        payload={**base, "TranscriptionSid": "TR9", "TranscriptionStatus": "completed",
                 "TranscriptionText": "hi um it's about my husband his face is drooping on one "
                                      "side and he can't get his words out"},
    )  # fmt: skip
    for event in (call, text):
        assert inbound.process_webhook_event(event_id=event.pk, now=NOON) == "processed"

    item = WorkItem.objects.get(patient=patient)
    assert item.boundary == "urgent"
    assert "drooping" in item.patient_words
    assert Escalation.objects.get(item=item).route.kind == RouteKind.URGENT


@pytest.mark.worker
def test_a_red_flag_follow_up_through_the_signed_webhook_alerts_the_urgent_route(
    worker, practice_a, patient, clinical
):
    item_words = "hi, need to reschedule my physical"
    client, path = Client(), reverse("twilio:sms")
    for number, body in enumerate([item_words, CHEST]):
        sid = f"SM{'7' * 31}{number}"
        params = {"MessageSid": sid, "From": patient.phone, "To": practice_a.phone, "Body": body}
        signature = sign("https://queue.example.org" + path, params)
        response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
        assert response.status_code == 200
        assert wait_for(lambda sid=sid: Message.objects.filter(provider_sid=sid).exists())

    assert wait_for(lambda: WorkItem.objects.filter(patient=patient, boundary="urgent").exists())
    item = WorkItem.objects.get(patient=patient)
    assert Escalation.objects.get(item=item).route.kind == RouteKind.URGENT
    # The alerts are written by the worker's next step, after the boundary: wait for them too.
    assert wait_for(
        lambda: Alert.objects.filter(escalation__item=item, recipient=clinical).exists()
    )
    assert ItemEvent.objects.filter(item=item, kind="boundary_raised").exists()


def test_raising_keeps_one_open_escalation(db, practice_a, patient):
    receive_sms(practice_a, patient.phone, "please reschedule me")
    item = WorkItem.objects.get(patient=patient)
    escalate_item(item=item, route_kind=RouteKind.COMPLAINTS, reason="rude staff", now=NOON)

    receive_sms(practice_a, patient.phone, CHEST, now=NOON + timedelta(minutes=1))

    assert Escalation.objects.filter(item=item).count() == 1
    assert Escalation.objects.get(item=item).route.kind == RouteKind.URGENT
