from django.contrib import admin

from queue_app.admin import PracticeScopedAdmin, ReadOnlyPracticeScopedAdmin
from reports.models import QualityDecision, WeeklyScorecard


@admin.register(WeeklyScorecard)
class WeeklyScorecardAdmin(ReadOnlyPracticeScopedAdmin):
    """Read-only: snapshots change only through an explicit, recorded rebuild."""

    list_display = ("practice", "week", "definitions_version", "built_at", "service", "built_by")
    list_filter = ("practice", "definitions_version")
    readonly_fields = [f.name for f in WeeklyScorecard._meta.fields]


@admin.register(QualityDecision)
class QualityDecisionAdmin(PracticeScopedAdmin):
    list_display = ("practice", "week", "text", "moment", "template", "decided_by", "created")
    list_filter = ("practice",)
    readonly_fields = ("code", "created")
