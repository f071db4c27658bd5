"""Files patients send with their messages: recorded on arrival, fetched by the worker, kept
only when the bytes prove an image or a PDF within the size limit.

An MMS webhook lists its media (NumMedia, MediaUrlN, MediaContentTypeN). The message's
handler records one pending Attachment per entry; `fetch_attachment` downloads it with the
account's credentials, reads the type from the bytes (the declared type and the file name
are the sender's word, and a renamed program would pass them), stores it in the
"attachments" storage, and deletes it from Twilio. Staff see a refusal and its reason in the
conversation.
"""

import hashlib
import logging
from datetime import datetime, timedelta

import puremagic
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F

from messaging import twilio_media
from messaging.consent import WEBHOOK_SERVICE
from messaging.models import Attachment
from messaging.twilio_client import PermanentError, TwilioError
from queue_app.events import record_item_event
from queue_app.jobs import enqueue
from queue_app.models import Message

logger = logging.getLogger(__name__)

FETCH_ATTACHMENT = "messaging.attachment_tasks.fetch_attachment_task"
# Twilio allows ten media per MMS; anything past that is not a genuine webhook.
MAX_MEDIA = 10
MAX_ATTEMPTS = 3
# Past this, a pending download's task was lost (broker restarted): the sweep queues it again.
STALE_AFTER = timedelta(minutes=10)
SWEEP_BATCH = 100
ALLOWED_TYPES = {
    "image/jpeg": "JPEG photo",
    "image/png": "PNG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "image/heic": "HEIC photo",
    "image/heif": "HEIC photo",
    "application/pdf": "PDF document",
}


def sniff(content: bytes) -> str:
    """The MIME type the bytes' own signature says, or "" when no known signature matches."""
    if not content:
        return ""
    try:
        return puremagic.from_string(content, mime=True) or ""
    except puremagic.PureError:
        return ""


def record_inbound_media(*, message: Message, payload: dict, now: datetime) -> list[Attachment]:
    """One pending attachment per media entry of a Twilio webhook, each fetched by a task."""
    try:
        count = min(int(payload.get("NumMedia") or 0), MAX_MEDIA)
    except (TypeError, ValueError):
        count = 0
    created = []
    for position in range(count):
        url = str(payload.get(f"MediaUrl{position}") or "")
        if not url:
            continue
        attachment = Attachment.objects.create(
            practice_id=message.practice_id,
            message=message,
            position=position,
            source_url=url[:500],
            provider_sid=url.rstrip("/").rsplit("/", 1)[-1][:64],
            declared_type=str(payload.get(f"MediaContentType{position}") or "")[:100],
            created=now,
        )
        enqueue(FETCH_ATTACHMENT, attachment.pk)
        created.append(attachment)
    return created


def store_upload(
    *, message: Message, position: int, declared_type: str, size: int, read, now: datetime
) -> Attachment:
    """An attachment that came in the request itself (an email's file): kept or refused at
    once by the same rules; `read()` is called only when the size is within the limit."""
    attachment = Attachment.objects.create(
        practice_id=message.practice_id,
        message=message,
        position=position,
        declared_type=declared_type[:100],
        created=now,
    )
    attachment.message = message
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        _settle(attachment, Attachment.Status.REFUSED, _too_large(size, limit), now, size=size)
    else:
        _keep_or_refuse(attachment, read(), now)
    attachment.refresh_from_db()
    return attachment


def fetch_attachment(*, attachment_id: int, now: datetime) -> str:
    """Download one pending attachment and keep or refuse it; runs once to an outcome.

    Returns "stored", "refused", "failed", "retry" (Twilio could not answer now) or
    "skipped" (not pending any more).
    """
    attachment = (
        Attachment.objects.select_related("message", "practice")
        .filter(pk=attachment_id, status=Attachment.Status.PENDING)
        .first()
    )
    if attachment is None:
        return "skipped"
    try:
        ref = twilio_media.parse_media_url(attachment.source_url)
    except twilio_media.MediaUrlRefused:
        # Never fetched: the account's credentials go only to its own media.
        return _settle(attachment, Attachment.Status.FAILED, "The link was not a Twilio media "
                       "link of this practice's account, so it was not opened.", now)  # fmt: skip
    limit = settings.ATTACHMENT_MAX_BYTES
    try:
        download = twilio_media.download_media(url=attachment.source_url, max_bytes=limit)
    except TwilioError as exc:
        return _download_failed(attachment, exc, now)
    if download.too_large:
        outcome = _settle(attachment, Attachment.Status.REFUSED, _too_large(download.size, limit),
                          now, size=download.size)  # fmt: skip
    else:
        outcome = _keep_or_refuse(attachment, download.content, now)
    if outcome != "skipped" and twilio_media.delete_media(ref):
        Attachment.objects.filter(pk=attachment.pk).update(remote_deleted_at=now)
    return outcome


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_large(size: int, limit: int) -> str:
    return f"Refused: the file is {_megabytes(size)}, over the {_megabytes(limit)} limit."


def _keep_or_refuse(attachment: Attachment, content: bytes, now: datetime) -> str:
    content_type = sniff(content)
    if content_type not in ALLOWED_TYPES:
        found = content_type or "not a known file type"
        reason = f"Refused: only photos and PDFs are accepted; the file's contents are {found}."
        return _settle(attachment, Attachment.Status.REFUSED, reason[:200], now, size=len(content))
    attachment.file.save("", ContentFile(content), save=False)
    stored = Attachment.objects.filter(pk=attachment.pk, status=Attachment.Status.PENDING).update(
        status=Attachment.Status.STORED,
        file=attachment.file.name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        attempts=F("attempts") + 1,
    )
    if not stored:
        # Another run settled it first: its row wins, these bytes go.
        attachment.file.storage.delete(attachment.file.name)
        return "skipped"
    _record_event(attachment, "attachment_stored", {"type": content_type}, now)
    return "stored"


def _download_failed(attachment: Attachment, exc: TwilioError, now: datetime) -> str:
    Attachment.objects.filter(pk=attachment.pk).update(attempts=F("attempts") + 1)
    if isinstance(exc, PermanentError) or attachment.attempts + 1 >= MAX_ATTEMPTS:
        reason = "Twilio did not hand over the file; ask the patient to send it again."
        return _settle(attachment, Attachment.Status.FAILED, reason, now)
    logger.warning("attachment %s download failed: %s", attachment.pk, exc)
    return "retry"


@transaction.atomic
def _settle(
    attachment: Attachment, status: str, reason: str, now: datetime, size: int | None = None
) -> str:
    """A refusal or failure, recorded once with the reason staff will read."""
    settled = Attachment.objects.filter(pk=attachment.pk, status=Attachment.Status.PENDING).update(
        status=status, reason=reason, size=size
    )
    if not settled:
        return "skipped"
    _record_event(attachment, f"attachment_{status}", {"reason": reason}, now)
    return status


def _record_event(attachment: Attachment, kind: str, after: dict, now: datetime) -> None:
    # The event also moves the conversation's poll marker, so an open panel shows the outcome.
    if attachment.message.item_id:
        record_item_event(
            item=attachment.message.item_id,
            service=WEBHOOK_SERVICE,
            kind=kind,
            after={"attachment": str(attachment.code), **after},
            now=now,
        )


def sweep_attachments(*, now: datetime) -> dict[str, int]:
    """Queue again downloads whose task was lost, and retry Twilio deletes that failed.

    Safe to run twice: a fetch only acts on a pending row, a delete of media already gone
    counts as done."""
    stale = list(
        Attachment.objects.filter(status=Attachment.Status.PENDING, created__lt=now - STALE_AFTER)
        .exclude(source_url="")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in stale:
        enqueue(FETCH_ATTACHMENT, pk)
    undeleted = Attachment.objects.filter(
        status__in=[Attachment.Status.STORED, Attachment.Status.REFUSED],
        remote_deleted_at__isnull=True,
    ).exclude(source_url="")
    deleted = 0
    for attachment in undeleted[:SWEEP_BATCH]:
        try:
            ref = twilio_media.parse_media_url(attachment.source_url)
        except twilio_media.MediaUrlRefused:
            continue
        if twilio_media.delete_media(ref):
            deleted += Attachment.objects.filter(pk=attachment.pk).update(remote_deleted_at=now)
    return {"requeued": len(stale), "deleted": deleted}


def delete_files(*, messages) -> int:
    """Delete from storage the kept files of these messages' attachments (before a purge
    deletes the rows); returns how many were deleted."""
    deleted = 0
    stored = Attachment.objects.filter(message__in=messages).exclude(file="")
    for attachment in stored.only("pk", "file"):
        attachment.file.storage.delete(attachment.file.name)
        deleted += 1
    return deleted
