"""Escalation routes per practice and the escalations handed to them."""

from datetime import datetime
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q

from queue_app.models import Practice, WorkItem


class RouteKind(models.TextChoices):
    CLINICAL = "clinical", "Clinical team"
    URGENT = "urgent", "Urgent"
    BILLING = "billing", "Billing"
    COMPLAINTS = "complaints", "Complaints / manager"
    INTERPRETER = "interpreter", "Interpreter"


class EscalationRoute(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="routes")
    kind = models.CharField(max_length=12, choices=RouteKind)
    name = models.CharField(max_length=80)
    ack_minutes = models.PositiveIntegerField(default=60)
    # The person an unacknowledged escalation goes up to when its deadline passes.
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # What the assistant tells the patient meanwhile: {"en": ..., "es": ...}
    patient_script = models.JSONField(default=dict, blank=True)
    # Who is told of a new escalation; empty means everyone holding the route's default role.
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="escalation_routes"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "kind"], name="route_unique_kind"),
            models.CheckConstraint(condition=Q(ack_minutes__gte=1), name="route_ack_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.practice.slug}/{self.kind}"

    def script(self, language: str) -> str:
        return self.patient_script.get(language) or self.patient_script.get("en", "")


class Escalation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for acknowledgement"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RETURNED = "returned", "Returned to the assistant"
        RESOLVED = "resolved", "Resolved"

    class DetectedBy(models.TextChoices):
        ASSISTANT = "assistant", "Assistant"
        TRIAGE = "triage", "Triage"
        QA = "qa", "QA review"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="escalations")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="escalations")
    route = models.ForeignKey(EscalationRoute, on_delete=models.PROTECT, related_name="escalations")
    reason = models.TextField()
    detected_by = models.CharField(max_length=10, choices=DetectedBy)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    created = models.DateTimeField()
    ack_due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_to_backup_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instruction = models.TextField(blank=True, help_text="What the assistant should do next")
    resolution_note = models.TextField(blank=True)
    judged_appropriate = models.BooleanField(null=True, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="escalation_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | Q(acknowledged_at__isnull=False)
                | Q(status="returned"),
                name="escalation_acknowledged_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="escalation_resolved_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_at__isnull=False) & ~Q(instruction=""),
                name="escalation_returned_has_instruction",
            ),
        ]
        indexes = [
            models.Index(
                fields=["practice", "ack_due_at"],
                condition=Q(status="open"),
                name="escalation_open_due",
            ),
            models.Index(fields=["practice", "created"], name="escalation_practice_created"),
            # The inbox's past views (resolved, unjudged) read the newest first and stop at a
            # page: without it they sorted every escalation ever closed (49,097 at 1M items).
            models.Index(
                fields=["-created"],
                condition=~Q(status__in=["open", "acknowledged"]),
                name="escalation_closed_recent",
            ),
        ]

    def __str__(self) -> str:
        return f"escalation {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.ACKNOWLEDGED)

    def is_overdue(self, now: datetime) -> bool:
        return self.status == self.Status.OPEN and self.ack_due_at < now


class Alert(models.Model):
    """One notification to one person: an urgent escalation, a missed deadline, a complaint.

    Rows are the record that a person was told; the banner shows the unseen ones and the
    email worker sends each at most once (emailed_at is claimed by a conditional update).
    """

    class Kind(models.TextChoices):
        URGENT = "urgent", "Urgent escalation"
        ESCALATED = "escalated", "New escalation"
        COMPLAINT = "complaint", "Complaint"
        OVERDUE = "overdue", "Acknowledgement overdue"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="alerts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalation_alerts"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    created = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A periodic job that runs twice must not tell the same person twice.
            models.UniqueConstraint(
                fields=["escalation", "recipient", "kind"], name="alert_once_per_person"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created"],
                condition=Q(seen_at__isnull=True),
                name="alert_unseen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert {self.code}"


class ServiceRecovery(models.Model):
    """The recovery flow of a complaint: cause, action, promised follow-up, and its route."""

    class Cause(models.TextChoices):
        NO_CALLBACK = "no_callback", "No callback or reply"
        WAIT_TIME = "wait_time", "Long wait or hold time"
        SCHEDULING = "scheduling", "Scheduling problem"
        BILLING = "billing", "Billing or charges"
        STAFF_COURTESY = "staff_courtesy", "Staff courtesy"
        WRONG_INFORMATION = "wrong_information", "Wrong or unclear information"
        MESSAGES = "messages", "Reminders or messages (wrong, missing, too many)"
        TELEHEALTH = "telehealth", "Telehealth technology"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="recoveries")
    item = models.OneToOneField(WorkItem, on_delete=models.PROTECT, related_name="recovery")
    patient = models.ForeignKey(
        "queue_app.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recoveries",
    )
    route = models.ForeignKey(EscalationRoute, on_delete=models.PROTECT, related_name="+")
    escalation = models.ForeignKey(
        Escalation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cause = models.CharField(max_length=20, choices=Cause)
    action = models.TextField(help_text="What was done or will be done about it")
    follow_up_at = models.DateTimeField(help_text="When the patient was promised an update")
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="recovery_closed_has_time",
            ),
            models.CheckConstraint(condition=~Q(action=""), name="recovery_action_named"),
        ]
        indexes = [
            models.Index(
                fields=["patient", "created"],
                condition=Q(status="open"),
                name="recovery_open_patient",
            ),
            models.Index(fields=["practice", "created"], name="recovery_practice_created"),
        ]

    def __str__(self) -> str:
        return f"service recovery {self.code}"


class TriageLabel(models.Model):
    """An assistant's confirmation of an unsure triage: a labelled example for the next
    training round (`manage.py export_triage_labels`). Holds the patient's words: PHI."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="triage_labels")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="triage_labels")
    words = models.TextField()
    language = models.CharField(max_length=2)
    channel = models.CharField(max_length=16)
    suggested_lane = models.CharField(max_length=40)
    suggested_boundary = models.CharField(max_length=16, choices=WorkItem.Boundary)
    lane = models.CharField(max_length=40)
    boundary = models.CharField(max_length=16, choices=WorkItem.Boundary)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["practice", "created"], name="triage_label_created")]

    def __str__(self) -> str:
        return f"triage label {self.pk}: {self.lane} / {self.boundary}"
