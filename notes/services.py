"""Recording notes and judging them against their moment's note standard."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from notes.checker import NoteVerdict, check_note
from notes.models import Note
from queue_app.models import ItemEvent, WorkItem

FIELDS = (
    "request",
    "verified_details",
    "action_taken",
    "promised_follow_up",
    "contact_attempt",
    "escalation_status",
    "free_text",
)


def judge(*, item: WorkItem, text: str, language: str) -> NoteVerdict:
    """The checker's verdict for this item's moment and the practice's own standard."""
    required = tuple(item.moment.note_elements) or None
    return check_note(text, item.moment.key, required=required, language=language)


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
    note = Note(
        practice=item.practice,
        item=item,
        author=author,
        language=language,
        follow_up_at=follow_up_at,
        corrects=corrects,
        created=now,
        **{name: fields.get(name, "").strip() for name in FIELDS},
    )
    verdict = judge(item=item, text=note.as_text(), language=language)
    note.label, note.missing = verdict.label, list(verdict.missing)
    note.save()
    ItemEvent.objects.create(
        item=item,
        actor=author,
        kind="note_added",
        after={"note": str(note.code), "label": note.label},
        created=now,
    )
    return note


def latest_note_verdict(item: WorkItem) -> NoteVerdict | None:
    """The verdict on the item's latest note, or None when it has no note yet."""
    note = item.notes.order_by("-created", "-id").first()
    if note is None:
        return None
    return judge(item=item, text=note.as_text(), language=note.language)
