"""Stored weekly scorecards and the quality loop's decisions.

A snapshot names the version of the metric definitions it was computed with, so a later
change in data or rules never rewrites a past week silently: a rebuild is a new row that
points back at the row it replaces, and the old row stays, marked superseded.
"""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q

from queue_app.models import CommunicationMoment, Practice


class WeeklyScorecard(models.Model):
    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="scorecards")
    week = models.DateField(help_text="Monday of the week, in the practice's time zone")
    definitions_version = models.CharField(max_length=16)
    # {"all": <metrics>, "by_language": {"es": <metrics>, ...}}: numbers, keys and labels only.
    data = models.JSONField()
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A worker builds on its own behalf ("beat", "command"); a person's rebuild names them.
    service = models.CharField(max_length=40, blank=True)
    rebuilt_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rebuilt_as"
    )
    rebuild_reason = models.CharField(max_length=200, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "-built_at"]
        constraints = [
            # Safe to run twice: only one current snapshot per practice, week and definitions.
            models.UniqueConstraint(
                fields=["practice", "week", "definitions_version"],
                condition=Q(superseded_at__isnull=True),
                name="scorecard_one_current_per_week",
            ),
            models.CheckConstraint(
                condition=Q(built_by__isnull=False, service="")
                | Q(built_by__isnull=True) & ~Q(service=""),
                name="scorecard_named_builder",
            ),
            models.CheckConstraint(condition=Q(week__iso_week_day=1), name="scorecard_week_monday"),
            models.CheckConstraint(
                condition=Q(rebuilt_from__isnull=True) | ~Q(rebuild_reason=""),
                name="scorecard_rebuild_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["practice", "week"], name="scorecard_practice_week")]

    def __str__(self) -> str:
        return f"scorecard {self.practice_id} {self.week} v{self.definitions_version}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class QualityDecision(models.Model):
    """A manager's decision in the weekly quality loop, tied to one playbook item.

    It shows as done once the playbook item has a newer approved version: for a template,
    a later version of the same moment, language, channel and purpose approved after the
    decision; for a moment, any of its templates approved after the decision.
    """

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="decisions")
    week = models.DateField(help_text="Monday of the reviewed week")
    text = models.CharField(max_length=300)
    moment = models.ForeignKey(
        CommunicationMoment, on_delete=models.PROTECT, related_name="decisions"
    )
    template = models.ForeignKey(
        "templates_lib.ResponseTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="decision_has_text"),
            models.CheckConstraint(condition=Q(week__iso_week_day=1), name="decision_week_monday"),
        ]
        indexes = [models.Index(fields=["practice", "week"], name="decision_practice_week")]

    def __str__(self) -> str:
        return f"decision {self.code}"
