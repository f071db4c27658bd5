"""Campaigns: one message written for a group of a practice's patients, approved by a second
person, sent once to each through the outbox (campaigns.sending).

A recurring campaign is the rule (wording, group, when); each of its occurrences is a send of
its own, a Campaign row with `parent` and `occurs_on`, unique per (parent, day), so that the
periodic job makes each occurrence once however often it runs (campaigns.services).
"""

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
        # A recurring campaign's own states: its occurrences are the sends.
        REPEATING = "repeating", "Repeating"
        PAUSED = "paused", "Paused"

    class Repeat(models.TextChoices):
        ONCE = "once", "Once"
        WEEKLY = "weekly", "Every week"
        MONTHLY = "monthly", "Every month"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(max_length=120)
    # Its channel rules (SMS allowed, consent, quiet hours) are the ones the sends obey.
    moment = models.ForeignKey(CommunicationMoment, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=16, choices=Audience)
    appointment_date = models.DateField(null=True, blank=True)
    # A recurring appointment-day campaign: appointments this many days after each occurrence.
    days_ahead = models.PositiveSmallIntegerField(null=True, blank=True)
    provider_name = models.CharField(max_length=120, blank=True)
    # Overdue recall: the last completed visit was more than this many months ago.
    recall_months = models.PositiveSmallIntegerField(null=True, blank=True)
    mrns = models.JSONField(default=list, blank=True)
    body_en = models.TextField(blank=True)
    body_es = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    repeat = models.CharField(max_length=8, choices=Repeat, default=Repeat.ONCE)
    # A recurring campaign's first occurrence and the local time of each (practice time zone).
    first_send_on = models.DateField(null=True, blank=True)
    send_time = models.TimeField(null=True, blank=True)
    # An occurrence: the recurring campaign it is a send of, and its day.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="occurrences"
    )
    occurs_on = models.DateField(null=True, blank=True)
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
    # A send: when it started. A recurring campaign: when it last started or resumed repeating
    # (an occurrence due before then is not sent).
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
                condition=~Q(audience="appointment_day")
                | Q(appointment_date__isnull=False)
                | ~Q(repeat="once") & Q(days_ahead__isnull=False),
                name="campaign_day_has_date",
            ),
            models.CheckConstraint(
                condition=Q(repeat="once")
                | Q(first_send_on__isnull=False, send_time__isnull=False, parent__isnull=True),
                name="campaign_repeat_has_schedule",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["repeating", "paused"]) | ~Q(repeat="once"),
                name="campaign_only_recurring_repeats",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(occurs_on__isnull=False),
                name="campaign_occurrence_has_day",
            ),
            # Exactly one send per occurrence, whatever runs the periodic job and how often.
            models.UniqueConstraint(
                fields=["parent", "occurs_on"], name="campaign_one_send_per_occurrence"
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
        # An edit to a recurring campaign stops it until the new version is approved.
        editable = (self.Status.DRAFT, self.Status.APPROVED, self.Status.REPEATING)
        return self.status in (*editable, self.Status.PAUSED)

    @property
    def is_recurring(self) -> bool:
        return self.repeat != self.Repeat.ONCE


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
