"""Recording notes and judging them against their moment's note standard; weekly QA review."""

import logging
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from escalation.models import Escalation, RouteKind
from escalation.services import open_escalation
from notes.checker import NoteVerdict, check_note, is_refused
from notes.models import Note, QAReview, QASettings
from queue_app.clock import zone
from queue_app.events import record_item_event
from queue_app.lanes import LANES, NOTE_ELEMENTS, SERVICE_RECOVERY, required_elements
from queue_app.models import CallAttempt, Message, Practice, WorkItem

logger = logging.getLogger(__name__)

FIELDS = (*NOTE_ELEMENTS, "free_text")
COMPLAINT_MOMENT = SERVICE_RECOVERY


class NoteRefused(Exception):
    """A note that does not meet its moment's standard; `verdict` says what to add."""

    def __init__(self, verdict: NoteVerdict) -> None:
        super().__init__("The note is missing: " + ", ".join(verdict.missing))
        self.verdict = verdict


class ReviewRefused(Exception):
    """A QA review that cannot be saved as it is; the message says what to fix."""


# ------------------------------------------------------------------------------------ notes
def judge(*, item: WorkItem, text: str, language: str, now: datetime) -> NoteVerdict:
    """The checker's verdict for this item's moment and the practice's own standard.

    What the item's record already proves (record_facts) counts for its element, so the
    text only needs what the system cannot know.
    """
    required = tuple(item.moment.note_elements) or None
    if required is None and item.moment.key not in LANES:
        # A practice's own moment without a standard is held to the general one.
        required = required_elements("other_admin")
    known = record_facts(item=item, language=language, now=now, evidence=True)
    return check_note(text, item.moment.key, required=required, language=language, known=known)


def note_text(fields: dict[str, str]) -> str:
    """The structured fields as the one text the checker reads."""
    return Note(**{name: (fields.get(name) or "").strip() for name in FIELDS}).as_text()


def check_fields(
    *, item: WorkItem, fields: dict[str, str], language: str, now: datetime
) -> NoteVerdict:
    """Judge a note being written, before it is saved (the form's live check)."""
    return judge(item=item, text=note_text(fields), language=language, now=now)


@transaction.atomic
def record_note(
    *,
    item: WorkItem,
    author: User,
    fields: dict[str, str],
    now: datetime,
    language: str = "en",
    follow_up_at: datetime | None = None,
    corrects: Note | None = None,
) -> Note:
    """Append a note (never edit one); its verdict is stored with it."""
    if corrects is not None and corrects.item_id != item.pk:
        raise ValueError("A correction must point to a note of the same item.")
    note = Note(
        practice=item.practice,
        item=item,
        author=author,
        language=language,
        follow_up_at=follow_up_at,
        corrects=corrects,
        created=now,
        **{name: (fields.get(name) or "").strip() for name in FIELDS},
    )
    verdict = judge(item=item, text=note.as_text(), language=language, now=now)
    note.label, note.missing = verdict.label, list(verdict.missing)
    note.save()
    after = {"note": str(note.code), "label": note.label}
    if corrects is not None:
        after["corrects"] = str(corrects.code)
    record_item_event(
        item=item,
        actor=author,
        kind="note_corrected" if corrects is not None else "note_added",
        after=after,
        now=now,
    )
    return note


@transaction.atomic
def record_actionable_note(
    *,
    item: WorkItem,
    author: User,
    fields: dict[str, str],
    now: datetime,
    language: str = "en",
    follow_up_at: datetime | None = None,
    corrects: Note | None = None,
    override_reason: str = "",
) -> Note:
    """Append a note unless an element is clearly absent (NoteRefused).

    An unsure verdict warns and saves. A refusal can be overridden with a one-line reason;
    the note keeps the reason and its item is always drawn into the next QA sample.
    """
    verdict = check_fields(item=item, fields=fields, language=language, now=now)
    reason = " ".join(override_reason.split())[:200]
    if not is_refused(verdict):
        reason = ""
    elif not reason:
        raise NoteRefused(verdict)
    note = record_note(
        item=item,
        author=author,
        fields=fields,
        now=now,
        language=language,
        follow_up_at=follow_up_at,
        corrects=corrects,
    )
    if reason:
        Note.objects.filter(pk=note.pk).update(override_reason=reason)
        note.override_reason = reason
        record_item_event(
            item=item,
            actor=author,
            kind="note_override",
            after={"note": str(note.code), "missing": note.missing},
            now=now,
        )
    return note


def latest_note_verdict(item: WorkItem) -> NoteVerdict | None:
    """The verdict on the item's latest note, or None when it has no note yet."""
    note = item.notes.order_by("-created", "-id").first()
    if note is None:
        return None
    return judge(item=item, text=note.as_text(), language=note.language, now=note.created)


def notes_of(item: WorkItem) -> QuerySet[Note]:
    """The item's notes, newest first, with what each one corrects."""
    return item.notes.select_related("author", "corrects").order_by("-created", "-id")


# ---------------------------------------------------------------------------------- prefill
_CALL_OUTCOME = {
    "en": {
        CallAttempt.Outcome.REACHED: "reached the patient",
        CallAttempt.Outcome.NO_ANSWER: "no answer, no voicemail left",
        CallAttempt.Outcome.VOICEMAIL: "no answer, voicemail left",
        CallAttempt.Outcome.TEXT_INSTEAD: "no answer; SMS sent instead",
        CallAttempt.Outcome.WRONG_NUMBER: "wrong number, no voicemail left",
    },
    "es": {
        CallAttempt.Outcome.REACHED: "se habló con el paciente",
        CallAttempt.Outcome.NO_ANSWER: "no contestó, no se dejó mensaje",
        CallAttempt.Outcome.VOICEMAIL: "no contestó, se dejó mensaje de voz",
        CallAttempt.Outcome.TEXT_INSTEAD: "no contestó; se mandó SMS en su lugar",
        CallAttempt.Outcome.WRONG_NUMBER: "número equivocado, no se dejó mensaje",
    },
}
_CHANNEL = {
    "en": {"sms": "SMS", "portal": "portal message", "voice": "voice call"},
    "es": {"sms": "SMS", "portal": "mensaje del portal", "voice": "llamada"},
}
# The request as the patient put it: quoted, never paraphrased by the software.
REQUEST_WORDS = 300
_PATIENT_WORDS = {
    "en": {False: "Patient wrote: “{words}”", True: "Patient said: “{words}”"},
    "es": {False: "El paciente escribió: «{words}»", True: "El paciente dijo: «{words}»"},
}
_VERIFIED_FIELD = {
    "en": {
        "full_name": "full name",
        "date_of_birth": "DOB",
        "phone_on_file": "phone on file",
        "appointment_on_file": "appointment on file",
        "insurance_member_id": "insurance member ID",
        "address_on_file": "address on file",
    },
    "es": {
        "full_name": "nombre completo",
        "date_of_birth": "fecha de nacimiento",
        "phone_on_file": "teléfono registrado",
        "appointment_on_file": "cita registrada",
        "insurance_member_id": "número de afiliado del seguro",
        "address_on_file": "dirección registrada",
    },
}
# Phrased so the checker reads them as a route taken: the assistant confirms, not retypes.
_ESCALATION = {
    "en": {
        RouteKind.CLINICAL: "Routed to the clinical team {when}",
        RouteKind.URGENT: "Routed as urgent to on-call clinical staff {when}",
        RouteKind.COMPLAINTS: "Complaint escalated to the practice manager {when}",
        RouteKind.BILLING: "Escalated to billing {when}",
        RouteKind.INTERPRETER: "Escalated to an interpreter {when}",
    },
    "es": {
        RouteKind.CLINICAL: "Se pasó a enfermería (equipo clínico) {when}",
        RouteKind.URGENT: "Se pasó como urgente a enfermería de guardia {when}",
        RouteKind.COMPLAINTS: "Queja enviada a la gerente {when}",
        RouteKind.BILLING: "Se pasó a facturación {when}",
        RouteKind.INTERPRETER: "Se pidió intérprete {when}",
    },
}
_UNSENT = [Message.Status.BLOCKED, Message.Status.CANCELLED, Message.Status.FAILED]


def _lang(language: str) -> str:
    return "es" if language == "es" else "en"


def when_text(moment_at: datetime, *, tz: str, language: str, now: datetime) -> str:
    """'at 10:42 AM' today, 'on 3/5 at 10:42 AM' another day; in Spanish 'a las 10:42 a. m.'."""
    local, today = moment_at.astimezone(zone(tz)), now.astimezone(zone(tz)).date()
    clock = f"{local.hour % 12 or 12}:{local.minute:02d}"
    day = f"{local.month}/{local.day}"
    if _lang(language) == "es":
        text = f"a las {clock} {'a. m.' if local.hour < 12 else 'p. m.'}"
        return text if local.date() == today else f"el {day} {text}"
    text = f"at {clock} {'AM' if local.hour < 12 else 'PM'}"
    return text if local.date() == today else f"on {day} {text}"


def _join(words: list[str], language: str) -> str:
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {'y' if language == 'es' else 'and'} {words[-1]}"


# Call outcomes that complete a contact attempt on their own (README: reached, voicemail
# left, or another channel used instead); "no answer, nothing left" still needs the text.
_COMPLETE_OUTCOMES = {
    CallAttempt.Outcome.REACHED,
    CallAttempt.Outcome.VOICEMAIL,
    CallAttempt.Outcome.TEXT_INSTEAD,
}


def prefill_fields(*, item: WorkItem, language: str, now: datetime) -> dict[str, str]:
    """Draft note fields from what was done on the item: the call, the send, the checks, and
    the request in the patient's own words.

    Whether anything clinical came up is never prefilled: the assistant must say it.
    """
    fields = record_facts(item=item, language=language, now=now)
    words = " ".join(item.patient_words.split())[:REQUEST_WORDS]
    if words:
        lang = _lang(language)
        spoken = item.channel in ("voicemail", "call")
        fields["request"] = _PATIENT_WORDS[lang][spoken].format(words=words)
    return fields


def record_facts(
    *, item: WorkItem, language: str, now: datetime, evidence: bool = False
) -> dict[str, str]:
    """The note elements the item's own record shows, phrased for the note.

    With `evidence`, only facts that satisfy their element by themselves are kept: a call
    with no voicemail left is a draft for the assistant, not a complete contact attempt.
    """
    lang, tz = _lang(language), item.practice.timezone

    def when(moment_at: datetime) -> str:
        return when_text(moment_at, tz=tz, language=lang, now=now)

    fields: dict[str, str] = {}
    call = item.call_attempts.exclude(attempted_at=None).order_by("-attempted_at").first()
    if call is not None and call.outcome in _CALL_OUTCOME[lang]:
        verb = "Llamada" if lang == "es" else "Called"
        fields["contact_attempt"] = (
            f"{verb} {when(call.attempted_at)}, {_CALL_OUTCOME[lang][call.outcome]}"
        )
        if evidence and call.outcome not in _COMPLETE_OUTCOMES:
            del fields["contact_attempt"]
        if call.next_attempt_at is not None:
            label = "Próximo intento" if lang == "es" else "Next attempt"
            fields["promised_follow_up"] = f"{label} {when(call.next_attempt_at)}"
    if "promised_follow_up" not in fields and item.follow_up_at is not None:
        label = "Seguimiento" if lang == "es" else "Follow-up"
        fields["promised_follow_up"] = f"{label} {when(item.follow_up_at)}"
    sent = (
        item.messages.filter(direction=Message.Direction.OUTBOUND, is_automatic=False)
        .exclude(template=None)
        .exclude(status__in=_UNSENT)
        .order_by("-created", "-id")
        .first()
    )
    if sent is not None:
        moment, channel = item.moment.label(lang), _CHANNEL[lang].get(sent.channel, sent.channel)
        sent_at = sent.send_after if sent.status == Message.Status.SCHEDULED else sent.created
        if lang == "es":
            fields["action_taken"] = (
                f"Se envió la respuesta aprobada de {moment} por {channel} {when(sent_at)}"
            )
        else:
            fields["action_taken"] = f"Sent approved {moment} response by {channel} {when(sent_at)}"
    if item.identity_verified_at is not None and item.verified_fields:
        names = [
            _VERIFIED_FIELD[lang].get(name, name.replace("_", " ")) for name in item.verified_fields
        ]
        if lang == "es":
            fields["verified_details"] = f"Se verificó {_join(names, lang)}"
        else:
            text = _join(names, lang)
            fields["verified_details"] = f"{text[:1].upper()}{text[1:]} verified"
    escalation = open_escalation(item)
    if escalation is not None:
        phrase = _ESCALATION[lang].get(escalation.route.kind, _ESCALATION[lang][RouteKind.CLINICAL])
        fields["escalation_status"] = phrase.format(when=when(escalation.created))
    return fields


# ------------------------------------------------------------------------------- QA review
ALWAYS_REVIEWED = (QAReview.Stratum.OVERRIDE, QAReview.Stratum.FREE_TEXT)
STRATA_ORDER = (
    QAReview.Stratum.OVERRIDE,
    QAReview.Stratum.ESCALATED,
    QAReview.Stratum.COMPLAINT,
    QAReview.Stratum.BILINGUAL,
)


@dataclass(frozen=True)
class _Candidate:
    item_id: int
    owner_id: int
    strata: frozenset[str]


def sample_size_for(practice: Practice) -> int:
    row = QASettings.objects.filter(practice=practice).first()
    return row.sample_size if row else QASettings.DEFAULT_SAMPLE_SIZE


@transaction.atomic
def set_sample_size(*, practice: Practice, sample_size: int) -> QASettings:
    """Store the practice's weekly QA sample size per assistant."""
    row, _ = QASettings.objects.update_or_create(
        practice=practice, defaults={"sample_size": sample_size}
    )
    return row


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(*, practice: Practice, week: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the practice's time zone."""
    tz = zone(practice.timezone)
    monday = week_start(week)
    start = datetime.combine(monday, time.min, tzinfo=tz)
    return start, datetime.combine(monday + timedelta(days=7), time.min, tzinfo=tz)


def _candidates(*, practice: Practice, start: datetime, end: datetime) -> list[_Candidate]:
    rows = (
        WorkItem.objects.filter(
            practice=practice,
            status=WorkItem.Status.RESOLVED,
            resolved_at__gte=start,
            resolved_at__lt=end,
            owner__isnull=False,
        )
        .annotate(
            escalated=Exists(Escalation.objects.filter(item=OuterRef("pk"))),
            override=Exists(Note.objects.filter(item=OuterRef("pk")).exclude(override_reason="")),
            free_text=Exists(
                Message.objects.filter(
                    item=OuterRef("pk"),
                    direction=Message.Direction.OUTBOUND,
                    purpose=Message.FREE_TEXT,
                )
            ),
            complaint=Q(boundary=WorkItem.Boundary.COMPLAINT) | Q(moment__key=COMPLAINT_MOMENT),
        )
        .order_by("resolved_at", "pk")
        .values_list(
            "pk", "owner_id", "escalated", "complaint", "language", "override", "free_text"
        )
    )
    candidates = []
    for pk, owner_id, escalated, complaint, language, override, free_text in rows:
        strata = {
            QAReview.Stratum.OVERRIDE: override,
            QAReview.Stratum.FREE_TEXT: free_text,
            QAReview.Stratum.ESCALATED: escalated,
            QAReview.Stratum.COMPLAINT: complaint,
            QAReview.Stratum.BILINGUAL: language != "en",
        }
        candidates.append(_Candidate(pk, owner_id, frozenset(s for s, on in strata.items() if on)))
    return candidates


def _pick(pool: list[_Candidate], size: int, rng: random.Random) -> list[tuple[_Candidate, str]]:
    """One item of each stratum that exists (escalated, complaint, non-English), then at random."""
    # Notes saved over a refusal and messages in the assistant's own words (not an approved
    # template) are always reviewed, even beyond the sample size.
    chosen = []
    for candidate in pool:
        always = next((s for s in ALWAYS_REVIEWED if s in candidate.strata), None)
        if always is not None:
            chosen.append((candidate, always))
    left = [c for c in pool if not c.strata & set(ALWAYS_REVIEWED)]
    for stratum in STRATA_ORDER:
        if len(chosen) >= size or any(stratum in c.strata for c, _ in chosen):
            continue
        fitting = [c for c in left if stratum in c.strata]
        if fitting:
            pick = rng.choice(fitting)
            chosen.append((pick, stratum))
            left.remove(pick)
    rng.shuffle(left)
    for candidate in left[: max(0, size - len(chosen))]:
        primary = next((s for s in STRATA_ORDER if s in candidate.strata), "routine")
        chosen.append((candidate, primary))
    return chosen


@transaction.atomic
def sample_week_for_review(
    *, practice: Practice, week: date, now: datetime, sample_size: int | None = None
) -> int:
    """Put a stratified sample of each assistant's resolved items of the week up for review.

    Deterministic (seeded by practice and week) and idempotent: an item is reviewed at
    most once, and an assistant's week is topped up to the sample size, never beyond.
    Returns how many reviews were added.
    """
    monday = week_start(week)
    size = sample_size or sample_size_for(practice)
    start, end = week_bounds(practice=practice, week=monday)
    by_owner: dict[int, list[_Candidate]] = {}
    for candidate in _candidates(practice=practice, start=start, end=end):
        by_owner.setdefault(candidate.owner_id, []).append(candidate)
    reviewed = set(
        QAReview.objects.filter(
            item__practice=practice,
            item_id__in=[c.item_id for pool in by_owner.values() for c in pool],
        ).values_list("item_id", flat=True)
    )
    new: list[QAReview] = []
    for owner_id, pool in sorted(by_owner.items()):
        rng = random.Random(f"{practice.code}:{monday.isoformat()}:{owner_id}")
        done = [c for c in pool if c.item_id in reviewed]
        picks = _pick([c for c in pool if c.item_id not in reviewed], size - len(done), rng)
        new += [
            QAReview(
                practice=practice,
                item_id=candidate.item_id,
                assistant_id=owner_id,
                week=monday,
                stratum=stratum,
                created=now,
            )
            for candidate, stratum in picks
        ]
    # A concurrent run may have sampled the same item: the unique constraint keeps one.
    created = QAReview.objects.bulk_create(new, ignore_conflicts=True)
    logger.info("qa sample practice=%s week=%s added=%d", practice.pk, monday, len(created))
    return len(created)


def sample_last_week(*, now: datetime) -> int:
    """Sample the previous week (each practice's own Monday to Sunday) in every practice."""
    added = 0
    for practice in Practice.objects.order_by("pk"):
        today = now.astimezone(zone(practice.timezone)).date()
        added += sample_week_for_review(
            practice=practice, week=week_start(today) - timedelta(days=7), now=now
        )
    return added


@transaction.atomic
def submit_review(
    *,
    review: QAReview,
    reviewer: User,
    checks: dict[str, bool],
    missed_escalation: bool,
    comment: str,
    now: datetime,
) -> QAReview:
    """Score a pending review once; it passes only when every check is met."""
    if reviewer.pk == review.assistant_id:
        raise ReviewRefused("You can't review your own work; another manager reviews it.")
    names = [name for name, _ in QAReview.CHECKS]
    if set(checks) != set(names):
        raise ReviewRefused("Answer every check of the checklist.")
    scored = {name: bool(checks[name]) for name in names}
    changed = QAReview.objects.filter(pk=review.pk, status=QAReview.Status.PENDING).update(
        status=QAReview.Status.DONE,
        reviewer=reviewer,
        checks=scored,
        passed=all(scored.values()),
        missed_escalation=missed_escalation,
        comment=comment.strip(),
        reviewed_at=now,
    )
    if not changed:
        raise ReviewRefused("This review was already scored.")
    review.refresh_from_db()
    return review
