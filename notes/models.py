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
