"""Escalation routes per practice and the escalations handed to them."""

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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "kind"], name="route_unique_kind"),
            models.CheckConstraint(condition=Q(ack_minutes__gte=1), name="route_ack_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.practice.slug}/{self.kind}"


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
    instruction = models.TextField(blank=True, help_text="What the assistant should do next")
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
        ]
        indexes = [
            models.Index(
                fields=["practice", "ack_due_at"],
                condition=Q(status="open"),
                name="escalation_open_due",
            ),
            models.Index(fields=["practice", "created"], name="escalation_practice_created"),
        ]

    def __str__(self) -> str:
        return f"escalation {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.ACKNOWLEDGED)
