"""Structured notes on work items: append-only; a correction is a new note pointing back."""

from uuid import uuid4

from django.conf import settings
from django.db import models

from queue_app.models import Language, Practice, WorkItem


class Note(models.Model):
    class Label(models.TextChoices):
        ACTIONABLE = "actionable", "Actionable"
        VAGUE = "vague", "Vague"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="notes")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    request = models.TextField(blank=True)
    verified_details = models.TextField(blank=True)
    action_taken = models.TextField(blank=True)
    promised_follow_up = models.TextField(blank=True)
    follow_up_at = models.DateTimeField(null=True, blank=True)
    contact_attempt = models.TextField(blank=True)
    escalation_status = models.TextField(blank=True)
    free_text = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    # The checker's verdict when the note was written, kept for QA and the scorecard.
    label = models.CharField(max_length=10, choices=Label)
    missing = models.JSONField(default=list, blank=True)
    # Set when the assistant saved over a refusal; such notes always go into the next QA sample.
    override_reason = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField()

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["item", "created"], name="note_item_created")]

    def __str__(self) -> str:
        return f"note {self.code}"

    def as_text(self) -> str:
        """The note as one text, the way the checker and the next reader see it."""
        parts = [
            self.request,
            self.verified_details,
            self.action_taken,
            self.contact_attempt,
            self.promised_follow_up,
            self.escalation_status,
            self.free_text,
        ]
        return " ".join(p.strip().rstrip(".") + "." for p in parts if p.strip())


class QAReview(models.Model):
    """A manager's review of a sampled, resolved item's notes and messages against a checklist."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        DONE = "done", "Reviewed"

    class Stratum(models.TextChoices):
        ESCALATED = "escalated", "Escalated"
        COMPLAINT = "complaint", "Complaint"
        BILINGUAL = "bilingual", "Non-English"
        OVERRIDE = "override", "Saved over a refusal"
        FREE_TEXT = "free_text", "Message in the assistant's own words"
        ROUTINE = "routine", "Routine"

    CHECKS = (
        ("outcome_present", "Outcome present"),
        ("escalation_clear", "Escalation status clear"),
        ("next_step_clear", "Next step clear"),
        ("language_consistent", "Language consistent"),
        ("identity_before_disclosure", "Identity verified before disclosure"),
        ("approved_template_used", "Approved template used"),
    )

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="qa_reviews")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="qa_reviews")
    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_reviews_received"
    )
    week = models.DateField(help_text="Monday of the reviewed week, in the practice's time zone")
    stratum = models.CharField(max_length=10, choices=Stratum)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="qa_reviews_given",
    )
    checks = models.JSONField(default=dict, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    missed_escalation = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    created = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item"], name="qa_review_once_per_item"),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | models.Q(reviewed_at__isnull=False, passed__isnull=False),
                name="qa_review_done_has_verdict",
            ),
        ]
        indexes = [models.Index(fields=["practice", "week"], name="qa_practice_week")]

    def __str__(self) -> str:
        return f"QA review {self.code}"


class QASettings(models.Model):
    """A practice's QA review settings: how many resolved items per assistant each week."""

    DEFAULT_SAMPLE_SIZE = 5

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="qa_settings")
    sample_size = models.PositiveSmallIntegerField(
        default=DEFAULT_SAMPLE_SIZE, help_text="Resolved items sampled per assistant per week"
    )

    class Meta:
        verbose_name = "QA settings"
        verbose_name_plural = "QA settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sample_size__gte=1, sample_size__lte=50),
                name="qa_sample_size_range",
            )
        ]

    def __str__(self) -> str:
        return f"QA settings of {self.practice}"


class Draft(models.Model):
    """Text an assistant is typing into an item's form, kept on the server while they type.

    Patient details never go to browser storage, so this row is what brings the words back
    after a session expired or a tab closed. Deleted when the form is saved; purged after
    `notes.drafts.KEEP_DRAFTS`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="drafts")
    field = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item", "field"], name="draft_one_per_field")
        ]
        indexes = [models.Index(fields=["updated"], name="draft_updated")]

    def __str__(self) -> str:
        return f"draft {self.field} of item {self.item_id}"


class DraftStash(models.Model):
    """Text posted by a browser whose session had already ended, waiting for its sign-in.

    Nobody is signed in when it arrives, so it is held under a random key that only the
    browser that posted it receives (signed, short-lived); the key names no patient. The
    person who signs in with it gets the text as their drafts, if they may work the item.
    """

    key = models.UUIDField(default=uuid4, unique=True, editable=False)
    item_code = models.UUIDField()
    fields = models.JSONField(default=dict)
    created = models.DateTimeField()

    def __str__(self) -> str:
        return f"draft stash {self.pk}"
