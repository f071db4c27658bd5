"""Messaging's own rows: what patients attach to their messages, who may post from a portal,
and the follow-up question after a resolved item.

The message itself stays in queue_app.models (see docs/ARCHITECTURE.md); these tables only
point at it.
"""

from uuid import uuid4

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject, empty

from queue_app.models import Message, Patient, Practice, WorkItem


class AttachmentStorage(LazyObject):
    """The "attachments" storage of settings.STORAGES: outside the web root, no public URL.

    Resolved on first use, and again after STORAGES changes (tests), like default_storage."""

    def _setup(self) -> None:
        self._wrapped = storages["attachments"]


attachments_storage = AttachmentStorage()


def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        attachments_storage._wrapped = empty


setting_changed.connect(_storages_changed)


def attachment_storage() -> AttachmentStorage:
    # A callable, so migrations name it instead of freezing a backend.
    return attachments_storage


def attachment_name(instance: "Attachment", filename: str) -> str:
    # Opaque: the practice and the attachment's own codes, nothing of the patient or the file.
    return f"{instance.practice.code}/{instance.code}"


class Attachment(models.Model):
    """A file a patient sent with a message (MMS media), kept only once it proved an image or
    a PDF within the size limit; a refused one keeps its reason and no bytes."""

    class Status(models.TextChoices):
        PENDING = "pending", "Downloading"
        STORED = "stored", "Stored"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Could not be downloaded"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="attachments")
    # Goes with its message (a retention purge); the stored bytes must be deleted with
    # `attachments.delete_files` first, as a cascade does not reach the storage.
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # Its place in the provider's list (Twilio's MediaUrl0, MediaUrl1, ...).
    position = models.PositiveSmallIntegerField()
    source_url = models.URLField(max_length=500, blank=True)
    provider_sid = models.CharField(max_length=64, blank=True)
    declared_type = models.CharField(max_length=100, blank=True)
    # What the bytes are, read from the bytes themselves; never the sender's word for it.
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    # Hex sha256 of the kept bytes, taken as they were stored: a restored backup is checked
    # against it (bin/restore-drill), so a file changed on the way is caught, not only a lost one.
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.FileField(
        storage=attachment_storage, upload_to=attachment_name, max_length=200, blank=True
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    reason = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    remote_deleted_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "position"], name="attachment_unique_position"
            ),
            # Bytes are kept only for a stored attachment, and a stored one has them.
            models.CheckConstraint(
                condition=Q(status="stored", content_type__gt="", size__isnull=False) & ~Q(file="")
                | ~Q(status="stored") & Q(file=""),
                name="attachment_file_only_when_stored",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["refused", "failed"]) | ~Q(reason=""),
                name="attachment_refusal_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "created"],
                condition=Q(status="pending"),
                name="attachment_pending",
            )
        ]

    def __str__(self) -> str:
        return f"attachment {self.code}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def shows_inline(self) -> bool:
        """Browsers draw these in an <img>; HEIC and PDF are offered as a download."""
        return self.content_type in ("image/jpeg", "image/png", "image/gif", "image/webp")


class PortalToken(models.Model):
    """A patient portal's or EHR's credential to post messages for one practice.

    Only a hash of the token is kept: the row shows who holds one, never the token itself.
    """

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="portal_tokens")
    label = models.CharField(max_length=80)
    # sha256 of the token, hex; the token is 256 random bits, so no slow hash is needed.
    token_hash = models.CharField(max_length=64, unique=True)
    # The token's first characters, to tell tokens apart in the admin.
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"portal token {self.prefix}… ({self.label})"


class SignatureToken(models.Model):
    """A signed webhook's one-time token (Mailgun's `token`), kept so the same signature is
    never accepted twice: its signature covers the timestamp and token, not the body."""

    provider = models.CharField(max_length=16)
    token = models.CharField(max_length=100)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "token"], name="signature_token_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} token"


class EmailSuppression(models.Model):
    """An address the practice no longer emails: the provider reported a permanent bounce or
    the patient's complaint (marked as spam). Checked at every send (channel rules)."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "The address bounced (it does not exist or refuses mail)"
        COMPLAINED = "complained", "The patient reported our email as spam"

    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="email_suppressions"
    )
    # Lower-cased; matched against Patient.email case-insensitively.
    address = models.EmailField()
    reason = models.CharField(max_length=10, choices=Reason)
    # The provider's words for a bounce (its SMTP answer), for the admins; never patient text.
    detail = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "address"], name="email_suppression_once")
        ]

    def __str__(self) -> str:
        return f"email suppression ({self.reason})"


class Survey(models.Model):
    """The question "Did you know what to do next?" after one resolved item: asked or
    skipped (and why), then the patient's yes or no. The item gives the moment and language
    it is counted under; `template` is the approved version of the last message the patient
    got on it."""

    class Status(models.TextChoices):
        ASKED = "asked", "Asked"
        SKIPPED = "skipped", "Not asked"

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="surveys")
    # One decision per resolved item: the unique row makes a second run of the job a no-op.
    item = models.OneToOneField(WorkItem, on_delete=models.PROTECT, related_name="survey")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="surveys")
    template = models.ForeignKey(
        "templates_lib.ResponseTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    status = models.CharField(max_length=8, choices=Status)
    skip_reason = models.CharField(max_length=200, blank=True)
    # The question in the outbox; its status says whether it really went.
    question = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_asked"
    )
    answer = models.CharField(max_length=3, choices=Answer, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reply = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_answered"
    )
    # The item a "no" opened for an assistant.
    follow_up = models.OneToOneField(
        WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_follow_up"
    )
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="asked", question__isnull=False, skip_reason="")
                | Q(status="skipped", question__isnull=True) & ~Q(skip_reason=""),
                name="survey_asked_or_skipped_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True, reply__isnull=True)
                | ~Q(answer="") & Q(status="asked", answered_at__isnull=False, reply__isnull=False),
                name="survey_answer_complete",
            ),
        ]
        indexes = [models.Index(fields=["patient", "created"], name="survey_patient_created")]

    def __str__(self) -> str:
        return f"survey {self.code}"
