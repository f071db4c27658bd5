"""A message that finally failed is put in front of a person, and can be sent again once.

When the provider refused a text for good, or kept refusing it until it was no longer worth
trying, nobody may learn it from a log line only: the reminder row records it, an assistant
sees it on the item (a reply) or on a new item in the reminder's lane (a reminder has no
item), and a practice admin sees the dead letter on the failed-messages page, where one
press sends a fresh copy through the ordinary outbox.
"""

import logging
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from escalation.triage import TriageResult
from messaging.dispatch import enqueue_delivery
from messaging.reminders import MOMENT_FOR
from messaging.retries import deadline_for
from messaging.survey import PURPOSE as SURVEY_PURPOSE
from queue_app.events import record_item_event
from queue_app.lanes import Lane
from queue_app.models import DeadLetter, Message, Practice, Reminder, WorkItem
from queue_app.services import intake, working
from templates_lib.values import format_date

logger = logging.getLogger(__name__)
SERVICE = "worker"
UNDELIVERED = "The text to the patient could not be delivered: "


class RetryRefused(Exception):
    """A dead letter that may not be sent again; the message says why in plain words."""


def undelivered(detail: str) -> str:
    """The reason an assistant reads, starting with what happened to the patient's text."""
    detail = detail.rstrip(".")
    if detail.startswith(UNDELIVERED):
        return (detail + ".")[:200]
    return (UNDELIVERED + detail[:1].lower() + detail[1:] + ".")[:200]


def surface_failure(*, message: Message, reason: str, now: datetime, opted_out: bool) -> None:
    """Show a finally failed message to the people who can act on it (call once per failure).

    Its reminder gets the status FAILED and, unless the patient opted out of texts, a new
    item in the reminder's lane asks an assistant to reach the patient another way. A reply
    on an item that waited on the patient is handed back to its owner (the patient never
    got it); on a resolved item a new item in the same lane says so.
    """
    reminder = (
        Reminder.objects.select_related("appointment__patient", "appointment__practice")
        .filter(message_id=message.pk, status=Reminder.Status.QUEUED)
        .first()
    )
    if reminder is not None:
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.QUEUED).update(
            status=Reminder.Status.FAILED, status_reason=reason[:200], updated=now
        )
        if not opted_out:
            _open_reminder_item(reminder, reason, now)
    # The follow-up question is the practice's, not an answer the patient waits for.
    if message.item_id is None or message.purpose == SURVEY_PURPOSE:
        return
    item = WorkItem.objects.select_related("practice", "patient", "moment").get(pk=message.item_id)
    if item.status == WorkItem.Status.WAITING:
        working.resume_item(item=item, now=now, service=SERVICE)
    elif item.status == WorkItem.Status.RESOLVED:
        _open_item(item.practice, item.patient, item.moment, reason, item.language, now)


def _open_reminder_item(reminder: Reminder, reason: str, now: datetime) -> None:
    appointment = reminder.appointment
    practice = appointment.practice
    moment = practice.moments.filter(key=MOMENT_FOR[reminder.kind]).first()
    moment = moment or practice.moments.filter(key=Lane.OTHER_ADMIN).first()
    if moment is None:
        logger.error("reminder %s failed and its practice has no lane for it", reminder.pk)
        return
    when = format_date(appointment.starts_at, practice.timezone, "en")
    words = (
        f"{reminder.get_kind_display()} for the appointment on {when}: {reason} "
        "Reach the patient another way."
    )
    language = appointment.patient.preferred_language
    item = _open_item(practice, appointment.patient, moment, words, language, now)
    logger.warning("reminder %s failed; item %s opened", reminder.pk, item.pk)


def _open_item(practice: Practice, patient, moment, words: str, language: str, now: datetime):
    # Not the patient's words: no triage, an administrative task in the lane it belongs to.
    triaged = TriageResult(
        lane=moment.key, boundary=WorkItem.Boundary.ADMINISTRATIVE, reasons=("text not delivered",)
    )
    return intake.create_item(
        practice=practice,
        patient=patient,
        moment=moment,
        channel=WorkItem.Channel.SCHEDULE,
        words=words,
        language=language,
        now=now,
        service=SERVICE,
        triaged=triaged,
    )


# ---------------------------------------------------------------------------- the admin page


def failed_messages(*, practice: Practice, limit: int = 200) -> list[tuple[DeadLetter, Message]]:
    """The practice's dead-lettered messages, those not sent again first, newest first."""
    messages = Message.objects.filter(practice=practice).select_related("patient", "item")
    letters = list(
        DeadLetter.objects.filter(kind=DeadLetter.Kind.MESSAGE, object_id__in=messages.values("pk"))
        .select_related("resolved_by")
        .order_by("resolved_at", "-created", "-id")[:limit]
    )
    by_id = messages.in_bulk([letter.object_id for letter in letters])
    return [(letter, by_id[letter.object_id]) for letter in letters]


def what_it_was(message: Message) -> str:
    """A failed message's kind in words: a reminder's kind, a reply, or an automatic text."""
    if message.purpose in Reminder.Kind.values:
        return Reminder.Kind(message.purpose).label
    if message.purpose:
        return message.purpose.replace("_", " ").capitalize()
    return "Reply from the queue" if message.sent_by_id else "Automatic text"


@transaction.atomic
def retry_failed_message(*, practice: Practice, code, actor: User, now: datetime) -> Message:
    """Send a dead-lettered message again as a fresh outbox row, at most once per dead letter.

    The dead letter is locked and marked resolved in the same transaction that creates the
    copy (its idempotency key is the dead letter's), so a double click or two admins at once
    send one copy. A reminder whose appointment is now too close is refused.
    """
    message = Message.objects.filter(practice=practice, code=code).first()
    letter = (
        DeadLetter.objects.select_for_update()
        .filter(kind=DeadLetter.Kind.MESSAGE, object_id=getattr(message, "pk", None))
        .first()
    )
    if message is None or letter is None:
        raise RetryRefused("This failed message is not on file.")
    if letter.resolved_at is not None:
        raise RetryRefused("This message was already sent again.")
    if message.purpose in Reminder.Kind.values and now >= deadline_for(message):
        raise RetryRefused("The appointment is too close now: the reminder would come too late.")
    copy = Message.objects.create(
        practice=message.practice,
        item=message.item,
        patient=message.patient,
        direction=Message.Direction.OUTBOUND,
        channel=message.channel,
        body=message.body,
        language=message.language,
        template=message.template,
        is_automatic=message.is_automatic,
        sent_by=message.sent_by,
        # The number on file now: a wrong number may have been corrected since.
        to_number=message.patient.phone if message.patient else message.to_number,
        from_number=message.from_number,
        status=Message.Status.QUEUED,
        purpose=message.purpose,
        idempotency_key=f"dead-letter-retry-{letter.pk}",
        created=now,
    )
    DeadLetter.objects.filter(pk=letter.pk).update(resolved_at=now, resolved_by=actor)
    Reminder.objects.filter(message=message, status=Reminder.Status.FAILED).update(
        status=Reminder.Status.QUEUED, message=copy, status_reason="", updated=now
    )
    if message.item_id is not None:
        record_item_event(
            item=message.item_id,
            actor=actor,
            kind="message_retried",
            after={"message": str(copy.code), "failed": str(message.code)},
            now=now,
        )
    enqueue_delivery(copy.pk)
    return copy
