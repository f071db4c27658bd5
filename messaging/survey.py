"""After an item is resolved: "Did you know what to do next?", asked once, and the answer.

A periodic job asks the patient of each item resolved ASK_DELAY ago with a message sent to
them. The question is an automated SMS through the ordinary outbox, so consent, opt-out and
quiet hours are checked again when it goes, and it counts against the patient's limit of
automated messages (`messaging.frequency`). A patient is asked at most once in the
practice's `survey_interval_days`. A reply from that patient within ANSWER_WINDOW that is
plainly yes or no is the answer (recorded against the resolved item's moment, language and
the template version they got); a "no" opens an item for an assistant. Anything else, "no,
I have chest pain now" included, goes to triage and a person like any text.
"""

from datetime import datetime, timedelta

from django.db import connection, transaction

from escalation.triage import TriageResult
from messaging import keywords
from messaging.consent import WEBHOOK_SERVICE
from messaging.dispatch import enqueue_delivery
from messaging.models import Survey
from queue_app.events import record_item_event
from queue_app.models import Message, Patient, WorkItem
from queue_app.services import intake
from templates_lib.channel_rules import check_send, has_consent

# The wording, the one place it is kept; "{practice}" is the practice's name.
QUESTION = {
    "en": "{practice}: Did you know what to do next? Reply YES or NO, or tell us more.",
    "es": "{practice}: ¿Supo qué hacer después? Responda SÍ o NO, o cuéntenos más.",
}
PURPOSE = "survey"
SERVICE = "worker"
# Long enough that the question does not crowd the message that closed the item.
ASK_DELAY = timedelta(minutes=30)
# A resolution older than this (a worker down for a day) is no longer asked about.
ASK_WITHIN = timedelta(days=1)
ANSWER_WINDOW = timedelta(days=3)
BATCH = 200
SENT = (Message.Status.SENT, Message.Status.DELIVERED)
NEVER_SENT = (Message.Status.BLOCKED, Message.Status.CANCELLED)
PENDING = (
    Message.Status.SCHEDULED,
    Message.Status.QUEUED,
    Message.Status.SENDING,
    Message.Status.UNKNOWN,
)
# The first key of the two-key advisory lock on a patient (messaging.frequency uses 7301).
LOCK_NAMESPACE = 7302
NO_REASON = "The patient answered NO to “Did you know what to do next?”"

_YES = {"yes", "y", "yeah", "yep", "yup", "si", "yes thanks", "yes thank you", "si gracias"}
_NO = {"no", "n", "nope", "nah", "not really", "no realmente", "la verdad no"}
_THUMBS = {"\U0001f44d": Survey.Answer.YES, "\U0001f44e": Survey.Answer.NO}


def parse_answer(body: str) -> str | None:
    """YES or NO when the whole message says only that (thumbs too), else None.

    Deliberately strict: "no, I have chest pain now" is not an answer but a message for
    triage, and a contradiction ("yes 👎") is left to a person."""
    found = {answer for thumb, answer in _THUMBS.items() if thumb in body}
    text = keywords.fold(body)  # emoji, accents, case and punctuation fall away
    if text in _YES:
        found.add(Survey.Answer.YES)
    elif text in _NO:
        found.add(Survey.Answer.NO)
    elif text:
        return None
    return found.pop() if len(found) == 1 else None


# ---------------------------------------------------------------------------- asking


def ask_due_surveys(*, now: datetime) -> int:
    """Decide the question for each item resolved a while ago and not decided yet; returns
    how many were asked. Safe to run twice: one Survey row per item."""
    ids = WorkItem.objects.filter(
        status=WorkItem.Status.RESOLVED,
        resolved_at__gt=now - ASK_WITHIN,
        resolved_at__lte=now - ASK_DELAY,
        patient__isnull=False,
        # A duplicate merged into another item was not resolved for the patient: the item
        # it joined is asked about when it closes.
        merged_into__isnull=True,
        survey__isnull=True,
    ).values_list("pk", flat=True)
    return sum(_decide(item_id, now) for item_id in list(ids.order_by("resolved_at")[:BATCH]))


@transaction.atomic
def _decide(item_id: int, now: datetime) -> int:
    """Ask or skip (with the reason) once, under the item's lock and its patient's."""
    item = (
        WorkItem.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("practice", "patient", "moment__practice")
        .filter(pk=item_id, status=WorkItem.Status.RESOLVED, survey__isnull=True)
        .first()
    )
    if item is None:
        return 0
    outbound = item.messages.filter(direction=Message.Direction.OUTBOUND)
    if outbound.filter(status__in=PENDING).exists():
        return 0  # the closing message is still on its way (quiet hours): a later beat asks
    _lock_patient(item.patient_id)  # two items of one patient: one question in N days
    sent = outbound.filter(status__in=SENT)
    template_id = (
        sent.filter(template__isnull=False)
        .order_by("-created", "-id")
        .values_list("template_id", flat=True)
        .first()
    )
    reason, not_before = _refusal(item, has_message=sent.exists(), now=now)
    survey = Survey(
        practice=item.practice,
        item=item,
        patient=item.patient,
        template_id=template_id,
        created=now,
    )
    if reason:
        survey.status, survey.skip_reason = Survey.Status.SKIPPED, reason
        survey.save()
        record_item_event(
            item=item, service=SERVICE, kind="survey_skipped", after={"reason": reason}, now=now
        )
        return 0
    survey.status, survey.question = Survey.Status.ASKED, _question(item, not_before, now)
    survey.save()
    record_item_event(
        item=item,
        service=SERVICE,
        kind="survey_queued",
        after={"message": str(survey.question.code)},
        now=now,
    )
    if not_before is None:
        enqueue_delivery(survey.question.pk)
    return 1


def _refusal(item: WorkItem, *, has_message: bool, now: datetime) -> tuple[str, datetime | None]:
    """Why the patient is not asked about this item (or ""), and when quiet hours end."""
    patient = item.patient
    # Closed without a word to the patient (a duplicate, a call only): nothing to rate.
    if not has_message:
        return "No message went to the patient on this item.", None
    # STOP is final until START, whatever consent rows say.
    if patient.opted_out_at:
        return "The patient opted out of texts (STOP).", None
    # Asked for consent even where the moment's SMS rule does not require it: the
    # question serves the practice, not the patient's request.
    if not has_consent(patient, "sms"):
        return "No SMS consent is on record for the patient.", None
    days = item.practice.survey_interval_days
    recent = Survey.objects.filter(
        patient=patient, status=Survey.Status.ASKED, created__gt=now - timedelta(days=days)
    )
    # A question held back for good (the cap, STOP) never reached the patient.
    if recent.exclude(question__status__in=NEVER_SENT).exists():
        return f"The patient was asked within the last {days} days.", None
    decision = check_send(patient=patient, moment=item.moment, channel="sms", now=now)
    if not decision.allowed and decision.not_before is None:
        return decision.reason, None
    return "", decision.not_before


def _question(item: WorkItem, not_before: datetime | None, now: datetime) -> Message:
    patient, practice = item.patient, item.practice
    language = next(
        (lang for lang in (item.language, patient.preferred_language) if lang in QUESTION), "en"
    )
    return Message.objects.create(
        practice=practice,
        item=item,
        patient=patient,
        direction=Message.Direction.OUTBOUND,
        channel=Message.Channel.SMS,
        body=QUESTION[language].format(practice=practice.name),
        language=language,
        is_automatic=True,
        purpose=PURPOSE,
        to_number=patient.phone,
        from_number=practice.phone,
        status=Message.Status.SCHEDULED if not_before else Message.Status.QUEUED,
        send_after=not_before,
        idempotency_key=f"survey-{item.pk}",
        created=now,
    )


def _lock_patient(patient_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, patient_id])


# ---------------------------------------------------------------------------- the answer


def open_survey(*, patient: Patient, now: datetime) -> Survey | None:
    """The patient's question that went out within ANSWER_WINDOW and awaits its answer."""
    return (
        Survey.objects.select_related("item__moment", "item__practice")
        .filter(
            patient=patient,
            status=Survey.Status.ASKED,
            answer="",
            question__status__in=SENT,
            question__claimed_at__gte=now - ANSWER_WINDOW,
        )
        .order_by("-created")
        .first()
    )


@transaction.atomic
def record_answer(*, survey: Survey, answer: str, reply: Message, now: datetime) -> WorkItem:
    """Record the patient's yes or no once; a "no" opens an item in the resolved item's lane,
    whose words say so. Returns the resolved item, or the item the "no" opened."""
    changed = Survey.objects.filter(pk=survey.pk, answer="").update(
        answer=answer, answered_at=now, reply=reply
    )
    item = survey.item
    if changed:
        record_item_event(
            item=item,
            service=WEBHOOK_SERVICE,
            kind="survey_answered",
            after={"answer": answer, "message": str(reply.code)},
            now=now,
        )
    # The reply stays under the question, on the resolved item: the thread reads as asked.
    Message.objects.filter(pk=reply.pk).update(item=item)
    if not changed or answer == Survey.Answer.YES:
        return item
    # Not the patient's request in their words: no triage, an administrative task.
    triaged = TriageResult(
        lane=item.moment.key, boundary=WorkItem.Boundary.ADMINISTRATIVE, reasons=(NO_REASON,)
    )
    follow_up = intake.create_item(
        practice=item.practice,
        patient=survey.patient,
        moment=item.moment,
        channel=WorkItem.Channel.SMS,
        words=f"{NO_REASON} Their earlier request was resolved; find out what is still unclear.",
        language=item.language,
        now=now,
        service=WEBHOOK_SERVICE,
        triaged=triaged,
    )
    Survey.objects.filter(pk=survey.pk).update(follow_up=follow_up)
    record_item_event(
        item=follow_up,
        service=WEBHOOK_SERVICE,
        kind="survey_answered_no",
        after={"resolved_item": str(item.code), "message": str(reply.code)},
        now=now,
    )
    return follow_up
