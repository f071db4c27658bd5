"""handle_inbound_sms: keywords update consent at once, confirmations, a person's queue."""

from datetime import timedelta

import pytest

from messaging import delivery, inbound, inbound_sms
from queue_app.models import (
    Appointment,
    Consent,
    ItemEvent,
    Message,
    Reminder,
    WebhookEvent,
    WorkItem,
)
from tests import factories
from tests.messaging.helpers import NOON, outbound, receive_sms

OPT_OUT_WORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
                 "OPT OUT", "PARAR", "DETENER", "CANCELAR", "BAJA", "NO MÁS"]  # fmt: skip
SPELLINGS = [str.upper, str.lower, str.title, lambda w: f"  {w}  ", lambda w: f"{w}.",
             lambda w: f"{w}!"]  # fmt: skip
CONFIRMATIONS = ["C", "Y", "1", "yes", "Yes!", "sí", "Si", "confirmo", "ok", "OK 👍", "👍"]


@pytest.mark.slow
def test_the_opt_out_corpus_opts_the_number_out_at_once(db, practice_a):
    corpus = [spell(word) for word in OPT_OUT_WORDS for spell in SPELLINGS]
    assert len(corpus) >= 60
    for n, body in enumerate(corpus):
        patient = factories.make_patient(practice_a, phone=f"+1202557{n:04d}")
        receive_sms(practice_a, patient.phone, body)
        patient.refresh_from_db()
        assert patient.opted_out_at == NOON, body
        assert Consent.objects.filter(patient=patient, granted=False).exists(), body
        reply = Message.objects.get(to_number=patient.phone, purpose="opt_out_reply")
        assert "START" in reply.body and reply.status == "queued"


def test_nothing_is_sent_after_an_opt_out(db, fake_twilio, practice_a, patient):
    item = factories.make_item(practice_a, patient=patient, received_at=NOON - timedelta(hours=1))
    pending = outbound(item)
    receive_sms(practice_a, patient.phone, "STOP")
    later = outbound(item, status="queued")

    pending.refresh_from_db()
    assert pending.status == "cancelled"
    assert delivery.deliver_message(message_id=later.pk, now=NOON) == "blocked"
    reply = Message.objects.get(purpose="opt_out_reply")
    # The confirmation the carriers require still goes.
    assert delivery.deliver_message(message_id=reply.pk, now=NOON) == "sent"
    assert fake_twilio.total_posts() == 1


def test_an_opt_out_covers_every_patient_on_the_number(db, practice_a):
    parent = factories.make_patient(practice_a, phone="+12025550777")
    child = factories.make_patient(practice_a, phone="+12025550777", first_name="Kid")
    receive_sms(practice_a, parent.phone, "stop")
    parent.refresh_from_db()
    child.refresh_from_db()
    assert parent.opted_out_at and child.opted_out_at


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
def test_start_or_unstop_or_yes_from_the_number_opts_back_in(db, practice_a, patient, word):
    receive_sms(practice_a, patient.phone, "STOP")
    receive_sms(practice_a, patient.phone, word, now=NOON + timedelta(minutes=5))
    patient.refresh_from_db()
    assert patient.opted_out_at is None
    keyed = Consent.objects.filter(patient=patient, source__startswith="SMS keyword")
    assert list(keyed.order_by("recorded_at").values_list("granted", flat=True)) == [False, True]
    assert Message.objects.filter(purpose="opt_in_reply").count() == 1


def test_help_is_answered_and_changes_no_consent(db, practice_a, patient):
    receive_sms(practice_a, patient.phone, "HELP")
    reply = Message.objects.get(purpose="help_reply")
    assert "911" in reply.body and practice_a.name in reply.body
    patient.refresh_from_db()
    assert patient.opted_out_at is None


def pending_confirmation(patient):
    appointment = factories.make_appointment(patient, starts_at=NOON + timedelta(days=2))
    message = outbound(factories.make_item(patient.practice, patient=patient,
                                           received_at=NOON - timedelta(hours=1)))  # fmt: skip
    Reminder.objects.create(
        appointment=appointment, kind="confirmation_request", offset_minutes=4320,
        due_at=NOON - timedelta(hours=1), status="queued", message=message, created=NOON,
        updated=NOON,
    )  # fmt: skip
    return appointment


@pytest.mark.parametrize("reply", CONFIRMATIONS)
def test_a_confirmation_reply_confirms_the_appointment(db, practice_a, patient, reply):
    appointment = pending_confirmation(patient)
    items_before = WorkItem.objects.count()

    receive_sms(practice_a, patient.phone, reply)

    appointment.refresh_from_db()
    assert appointment.confirmation == Appointment.Confirmation.CONFIRMED
    assert appointment.confirmed_at == NOON
    assert WorkItem.objects.count() == items_before
    assert not Message.objects.filter(direction="out", purpose__contains="invalid").exists()


def test_r_opens_a_reschedule_item(db, practice_a, patient):
    appointment = pending_confirmation(patient)
    receive_sms(practice_a, patient.phone, "R")
    appointment.refresh_from_db()
    assert appointment.confirmation == Appointment.Confirmation.RESCHEDULE_REQUESTED
    item = WorkItem.objects.filter(patient=patient, moment__key="reschedule").latest("id")
    assert item.channel == "sms" and item.events.filter(kind="created").exists()


def test_anything_else_goes_to_a_person_never_an_invalid_response(db, practice_a, patient):
    pending_confirmation(patient)
    receive_sms(practice_a, patient.phone, "Can I bring my daughter to the visit?")
    message = Message.objects.get(direction="in")
    assert message.item is not None
    assert not Message.objects.filter(direction="out", purpose__in=["help_reply"]).exists()


def test_a_new_text_opens_an_item_and_a_second_joins_it(db, practice_a, patient):
    receive_sms(practice_a, patient.phone, "I need to move my appointment on Thursday")
    receive_sms(practice_a, patient.phone, "Friday morning works", now=NOON + timedelta(minutes=3))
    items = WorkItem.objects.filter(patient=patient)
    assert items.count() == 1
    item = items.get()
    assert item.moment.key == "reschedule"
    assert item.messages.filter(direction="in").count() == 2
    assert item.events.filter(kind="patient_replied", service="twilio-webhook").count() == 1


def test_a_free_text_revocation_is_flagged_for_review(db, practice_a, patient):
    receive_sms(practice_a, patient.phone, "please stop texting me, wrong person")
    patient.refresh_from_db()
    item = WorkItem.objects.get(patient=patient)
    assert patient.opted_out_at is None  # a person decides
    assert item.events.filter(kind="possible_revocation").exists()
    assert inbound_sms.REVOCATION_REASON in item.triage_reasons


def test_a_shared_number_is_flagged_and_names_nobody(db, practice_a):
    factories.make_patient(practice_a, phone="+12025550888")
    factories.make_patient(practice_a, phone="+12025550888", first_name="Sam")
    receive_sms(practice_a, "+12025550888", "Is my appointment still on?")
    item = WorkItem.objects.get(practice=practice_a)
    assert item.patient is None
    event = ItemEvent.objects.get(item=item, kind="shared_number")
    assert "2 patients share this number" in event.after["reason"]


def test_an_unknown_sender_still_reaches_the_queue(db, practice_a):
    receive_sms(practice_a, "+12025559999", "Hi, I'd like to book a new patient visit")
    item = WorkItem.objects.get(practice=practice_a)
    assert item.patient is None and item.channel == "sms"


def test_a_text_to_a_number_of_no_practice_is_kept_but_does_nothing(db, practice_a):
    event = WebhookEvent.objects.create(
        kind="sms", sid="SMnowhere", path="/twilio/sms/", received_at=NOON,
        payload={"MessageSid": "SMnowhere", "From": "+12025550101", "To": "+19999999999",
                 "Body": "hello"},
    )  # fmt: skip
    assert inbound.process_webhook_event(event_id=event.pk, now=NOON) == "processed"
    assert Message.objects.count() == 0


def test_a_voicemail_becomes_a_missed_call_item_with_recording_and_transcript(db, practice_a):
    patient = factories.make_patient(practice_a, phone="+12025550101", contact_window="after 3pm")
    base = {"CallSid": "CA1", "From": patient.phone, "To": practice_a.phone}
    call = WebhookEvent.objects.create(kind="call", sid="CA1", path="/", received_at=NOON,
                                       payload=base)  # fmt: skip
    rec = WebhookEvent.objects.create(
        kind="recording", sid="RE1", path="/", received_at=NOON,
        payload={**base, "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/r/RE1",
                 "RecordingDuration": "12"},
    )  # fmt: skip
    text = WebhookEvent.objects.create(
        kind="transcription", sid="TR1", path="/", received_at=NOON,
        payload={**base, "TranscriptionSid": "TR1", "TranscriptionStatus": "completed",
                 "TranscriptionText": "Calling back about my appointment time"},
    )  # fmt: skip
    # The recording may be processed before its call: it waits and is retried.
    assert inbound.process_webhook_event(event_id=rec.pk, now=NOON) == "not-ready"
    for event in (call, rec, text):
        assert inbound.process_webhook_event(event_id=event.pk, now=NOON) == "processed"

    item = WorkItem.objects.get(patient=patient)
    assert (item.moment.key, item.channel) == ("missed_call_callback", "voicemail")
    assert item.patient_words == "Calling back about my appointment time"
    message = item.messages.get(direction="in")
    assert "RE1" in message.body and "Calling back" in message.body
    assert item.call_attempts.count() == practice_a.callback_attempts
    kinds = set(item.events.values_list("kind", flat=True))
    assert {"created", "callbacks_scheduled", "voicemail_recorded", "transcript_added"} <= kinds


def test_an_event_that_keeps_failing_becomes_a_dead_letter(db, practice_a):
    from queue_app.models import DeadLetter

    event = WebhookEvent.objects.create(
        kind="recording", sid="RE404", path="/", received_at=NOON, payload={"CallSid": "CAnone"}
    )
    for _ in range(3):
        inbound.process_webhook_event(event_id=event.pk, now=NOON)
    assert DeadLetter.objects.filter(kind="webhook_event", object_id=event.pk).exists()
    assert inbound.sweep_webhook_events(now=NOON + timedelta(hours=1)) == 0
