"""An inbound SMS: keywords and consent, appointment confirmations, answers to the follow-up
question, or a person's queue."""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from escalation.triage import triage
from messaging import attachments, keywords
from messaging.consent import WEBHOOK_SERVICE, record_opt_in, record_opt_out
from messaging.dispatch import enqueue_delivery
from messaging.survey import open_survey, parse_answer, record_answer
from queue_app.audit import record_service_action
from queue_app.events import record_item_event
from queue_app.models import (
    Appointment,
    Message,
    Patient,
    PracticeNumber,
    Reminder,
    WebhookEvent,
    WorkItem,
)
from queue_app.services import intake, working
from templates_lib.values import format_phone

logger = logging.getLogger(__name__)

REPLIES = {
    "opt_out_reply": {
        "en": "{practice}: You are unsubscribed and will get no more texts from us. Reply START "
        "to resubscribe. Questions: {phone}",
        "es": "{practice}: Se dio de baja y no recibirá más mensajes de texto. Responda START "
        "para volver a suscribirse. Preguntas: {phone}",
    },
    "opt_in_reply": {
        "en": "{practice}: You are subscribed to texts again. Reply HELP for help, STOP to "
        "unsubscribe. Msg&data rates may apply.",
        "es": "{practice}: Volvió a suscribirse a los mensajes. Responda AYUDA para ayuda, STOP "
        "para darse de baja. Pueden aplicar tarifas.",
    },
    "help_reply": {
        "en": "{practice}: For help call {phone}. In an emergency call 911. Msg&data rates may "
        "apply. Reply STOP to unsubscribe.",
        "es": "{practice}: Para ayuda llame al {phone}. En una emergencia llame al 911. Pueden "
        "aplicar tarifas. Responda STOP para darse de baja.",
    },
}


REVOCATION_REASON = "Possible request to stop texts: review consent before writing again."


@transaction.atomic
def handle_inbound_sms(*, event: WebhookEvent, now: datetime) -> Message | None:
    """Act on one stored inbound SMS: keywords, confirmations, or a person's queue.

    Runs once per event (the caller holds the event's lock); the inbound message's unique
    SID makes a second run a no-op as well.
    """
    data = event.payload
    sid, body = data.get("MessageSid") or event.sid, data.get("Body", "")
    sender, to = data.get("From", ""), data.get("To", "")
    number = PracticeNumber.objects.select_related("practice").filter(number=to).first()
    if number is None:
        logger.warning("inbound sms %s to a number of no practice", event.pk)
        return None
    practice = number.practice
    patients = list(Patient.objects.filter(practice=practice, phone=sender)[:5])
    patient = patients[0] if len(patients) == 1 else None
    language = patient.preferred_language if patient else _guess_language(body, practice)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                practice=practice,
                patient=patient,
                direction=Message.Direction.INBOUND,
                channel=Message.Channel.SMS,
                body=body,
                language=language,
                from_number=sender[:16],
                # The practice's number as found (a short code is its digits): replies go
                # from the number the patient wrote to.
                to_number=number.number,
                status=Message.Status.RECEIVED,
                provider_sid=sid,
                idempotency_key=f"in-{sid}",
                created=now,
            )
    except IntegrityError:
        return None  # handled before
    attachments.record_inbound_media(message=message, payload=data, now=now)
    keyword = keywords.classify_reply(body)
    if keyword is keywords.Keyword.OPT_IN or (
        keywords.is_opt_in_word(body) and any(p.opted_out_at for p in patients)
    ):
        record_opt_in(practice_id=practice.pk, phone=sender, now=now, source=f"SMS keyword {sid}")
        _reply(message, "opt_in_reply", now)
        return message
    if keyword is keywords.Keyword.OPT_OUT:
        record_opt_out(practice_id=practice.pk, phone=sender, now=now, source=f"SMS keyword {sid}")
        _reply(message, "opt_out_reply", now)
        return message
    if keyword is keywords.Keyword.HELP:
        _reply(message, "help_reply", now)
        return message
    if patient is not None and keyword in (keywords.Keyword.CONFIRM, keywords.Keyword.RESCHEDULE):
        appointment = pending_confirmation(patient=patient, now=now)
        if appointment is not None:
            _answer_confirmation(message, appointment, keyword, now)
            return message
    # A plain yes or no to "Did you know what to do next?"; any other words go to a person
    # and triage, so an emergency written beside a "no" is never taken for an answer.
    answer = parse_answer(body) if patient is not None else None
    survey = open_survey(patient=patient, now=now) if answer else None
    if survey is not None:
        record_answer(survey=survey, answer=answer, reply=message, now=now)
        return message
    to_person(message, patients, now)
    return message


def _guess_language(body: str, practice) -> str:

    spanish = {"hola", "cita", "gracias", "necesito", "quiero", "por", "favor", "mi", "llamar"}
    words = set(keywords.fold(body).split())
    if "es" in practice.languages and len(words & spanish) >= 1:
        return "es"
    return "en"


def _reply(message: Message, purpose: str, now: datetime) -> Message:
    """A keyword's required answer, sent from the number the patient wrote to."""
    practice = message.practice

    language = message.language if message.language in REPLIES[purpose] else "en"
    body = REPLIES[purpose][language].format(
        practice=practice.name, phone=format_phone(practice.phone)
    )
    reply, created = Message.objects.get_or_create(
        idempotency_key=f"reply-{message.provider_sid}",
        defaults={
            "practice": practice,
            "patient": message.patient,
            "direction": Message.Direction.OUTBOUND,
            "channel": Message.Channel.SMS,
            "body": body,
            "language": language,
            "is_automatic": True,
            "purpose": purpose,
            "to_number": message.from_number,
            "from_number": message.to_number or practice.phone,
            "status": Message.Status.QUEUED,
            "created": now,
        },
    )
    if created:
        enqueue_delivery(reply.pk)
    return reply


def pending_confirmation(*, patient: Patient, now: datetime) -> Appointment | None:
    """The next booked appointment whose confirmation request went out and awaits an answer."""
    return (
        Appointment.objects.filter(
            patient=patient,
            status=Appointment.Status.BOOKED,
            confirmation=Appointment.Confirmation.UNCONFIRMED,
            starts_at__gt=now,
            reminders__kind=Reminder.Kind.CONFIRMATION_REQUEST,
            reminders__status=Reminder.Status.QUEUED,
        )
        .order_by("starts_at")
        .first()
    )


def _answer_confirmation(message, appointment: Appointment, keyword, now: datetime) -> None:

    if keyword is keywords.Keyword.CONFIRM:
        Appointment.objects.filter(
            pk=appointment.pk, confirmation=Appointment.Confirmation.UNCONFIRMED
        ).update(confirmation=Appointment.Confirmation.CONFIRMED, confirmed_at=now, updated=now)
        record_service_action(
            service=WEBHOOK_SERVICE,
            action="appointment_confirmed",
            practice=appointment.practice,
            patient_ids=[appointment.patient_id],
        )
        return
    Appointment.objects.filter(pk=appointment.pk).update(
        confirmation=Appointment.Confirmation.RESCHEDULE_REQUESTED, updated=now
    )
    practice = appointment.practice
    item = intake.create_item(
        practice=practice,
        patient=appointment.patient,
        moment=practice.moments.get(key="reschedule"),
        channel=WorkItem.Channel.SMS,
        words=message.body,
        language=message.language,
        now=now,
        service=WEBHOOK_SERVICE,
    )
    Message.objects.filter(pk=message.pk).update(item=item)


def to_person(
    message: Message,
    patients: list[Patient],
    now: datetime,
    *,
    channel: str = WorkItem.Channel.SMS,
    service: str = WEBHOOK_SERVICE,
    thread: WorkItem | None = None,
) -> WorkItem:
    """Join the patient's open item, or open one, triaged; flag shared numbers and revocations.

    Every written channel a patient uses (SMS, portal) ends here, so each is threaded and
    triaged the same way. `thread` is the open item the channel itself says this answers
    (an email's In-Reply-To); otherwise it joins the patient's latest open item."""

    patient = message.patient
    practice = message.practice
    item = thread
    if item is None and patient is not None:
        item = (
            WorkItem.objects.open().filter(patient=patient).order_by("-received_at", "-id").first()
        )
    if item is not None:
        Message.objects.filter(pk=message.pk).update(item=item)
        record_item_event(
            item=item,
            service=service,
            kind="patient_replied",
            after={"message": str(message.code)},
            now=now,
        )
        if item.status == WorkItem.Status.WAITING:
            working.resume_item(item=item, now=now, service=service)
            item.refresh_from_db()
        # Every inbound message is triaged, follow-ups too: "also now my chest hurts".
        intake.triage_follow_up(
            item=item,
            words=message.body,
            now=now,
            service=service,
            message_code=str(message.code),
        )
        item.refresh_from_db()
    else:
        # Triaged once, here: the lane picks the moment and intake keeps the boundary.
        triaged = triage(message.body)
        item = intake.create_item(
            practice=practice,
            patient=patient,
            moment=intake.lane_moment(practice, triaged.lane),
            channel=channel,
            words=message.body,
            language=message.language,
            now=now,
            service=service,
            triaged=triaged,
        )
        Message.objects.filter(pk=message.pk).update(item=item)
    flags = []
    if len(patients) > 1:
        flags.append(
            (
                "shared_number",
                f"{len(patients)} patients share this number: confirm "
                "who wrote before disclosing anything.",
            )
        )
    if keywords.looks_like_revocation(message.body):
        flags.append(("possible_revocation", REVOCATION_REASON))
    for kind, reason in flags:
        WorkItem.objects.filter(pk=item.pk).update(
            triage_reasons=[reason, *item.triage_reasons],
            priority=F("priority") + 5,
            version=F("version") + 1,
            updated=now,
        )
        item.refresh_from_db()
        record_item_event(item=item, service=service, kind=kind, after={"reason": reason}, now=now)
    return item
