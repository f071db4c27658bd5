"""Campaigns: one message written for a group of a practice's patients, approved by a second
person, sent once to each through the outbox (campaigns.sending)."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from queue_app.models import CommunicationMoment, Message, Patient, Practice


class Campaign(models.Model):
    class Audience(models.TextChoices):
        APPOINTMENT_DAY = "appointment_day", "Patients with an appointment on a day"
        MRN_LIST = "mrn_list", "A list of MRNs (CSV)"
        OVERDUE_RECALL = "overdue_recall", "Patients overdue for a visit (recall)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: needs approval"
        APPROVED = "approved", "Approved: ready to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(max_length=120)
    # Its channel rules (SMS allowed, consent, quiet hours) are the ones the sends obey.
    moment = models.ForeignKey(CommunicationMoment, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=16, choices=Audience)
    appointment_date = models.DateField(null=True, blank=True)
    provider_name = models.CharField(max_length=120, blank=True)
    # Overdue recall: the last completed visit was more than this many months ago.
    recall_months = models.PositiveSmallIntegerField(null=True, blank=True)
    mrns = models.JSONField(default=list, blank=True)
    body_en = models.TextField(blank=True)
    body_es = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    # Bumped by every edit: an approval names the version its approver read.
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    send_started_at = models.DateTimeField(null=True, blank=True)
    # How many parts of the group workers are still sending (set once when the send is split).
    parts_left = models.PositiveSmallIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField()
    updated = models.DateTimeField()

    class Meta:
        ordering = ["-created"]
        constraints = [
            # Four eyes: whoever last wrote the wording cannot be the one who approves it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("author")),
                name="campaign_not_self_approved",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="campaign_approved_before_sending",
            ),
            models.CheckConstraint(
                condition=~Q(audience="appointment_day") | Q(appointment_date__isnull=False),
                name="campaign_day_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(audience="overdue_recall") | Q(recall_months__gte=1),
                name="campaign_recall_has_months",
            ),
        ]

    def __str__(self) -> str:
        return f"campaign {self.code}"

    def body_for(self, language: str) -> str:
        return {"en": self.body_en, "es": self.body_es}.get(language, "")

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.APPROVED)


class Recipient(models.Model):
    """A patient the campaign reached: at most one per campaign, whatever clicks or workers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="recipients")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    message = models.OneToOneField(
        Message, on_delete=models.PROTECT, related_name="campaign_recipient"
    )
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "patient"], name="campaign_one_message_per_patient"
            )
        ]

    def __str__(self) -> str:
        return f"recipient {self.pk} of campaign {self.campaign_id}"
