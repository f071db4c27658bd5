"""Approved response templates (versioned) and channel rules, per practice and moment."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from queue_app.models import CommunicationMoment, Language, Practice


class TemplateChannel(models.TextChoices):
    SMS = "sms", "SMS"
    PORTAL = "portal", "Portal"
    EMAIL = "email", "Email"
    VOICE = "voice", "Call / voicemail script"


class Purpose(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    FOLLOW_UP = "follow_up", "Follow-up"
    CONFIRMATION_REQUEST = "confirmation_request", "Confirmation request"
    REMINDER = "reminder", "Appointment reminder"
    TELEHEALTH_LINK = "telehealth_link", "Telehealth link and technology check"
    FORM_REMINDER = "form_reminder", "Form reminder"
    CALLBACK_FALLBACK = "callback_fallback", "Written fallback after call attempts"
    VOICEMAIL_SCRIPT = "voicemail_script", "Voicemail script"


class ResponseTemplate(models.Model):
    """One version of an approved response. An approved version is never edited in place."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        RETIRED = "retired", "Retired"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="templates")
    moment = models.ForeignKey(
        CommunicationMoment, on_delete=models.CASCADE, related_name="templates"
    )
    language = models.CharField(max_length=2, choices=Language)
    channel = models.CharField(max_length=8, choices=TemplateChannel)
    purpose = models.CharField(max_length=24, choices=Purpose, default=Purpose.FIRST_RESPONSE)
    version = models.PositiveIntegerField()
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored_templates",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_templates",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField()

    class Meta:
        ordering = ["moment", "language", "channel", "purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "language", "channel", "purpose", "version"],
                name="template_unique_version",
            ),
            models.UniqueConstraint(
                fields=["moment", "language", "channel", "purpose"],
                condition=Q(status="approved"),
                name="template_one_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="template_approved_has_time",
            ),
            # Four eyes: nobody approves their own draft.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(author__isnull=True)
                | ~Q(approved_by=F("author")),
                name="template_not_self_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.moment.key}/{self.language}/{self.channel}/{self.purpose} v{self.version}"


class ChannelRule(models.Model):
    """Per moment and channel: allowed, consent, quiet hours, when a live call is required."""

    moment = models.ForeignKey(
        CommunicationMoment, on_delete=models.CASCADE, related_name="channel_rules"
    )
    channel = models.CharField(max_length=8, choices=TemplateChannel)
    allowed = models.BooleanField(default=True)
    consent_required = models.BooleanField(default=True)
    respects_quiet_hours = models.BooleanField(default=True)
    # After this many unanswered written attempts the item needs a live call.
    live_call_after_attempts = models.PositiveSmallIntegerField(default=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["moment", "channel"], name="channel_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.moment.key}/{self.channel}"
