from django.contrib import admin

from queue_app.admin import PracticeScopedAdmin
from reports.models import QualityDecision, WeeklyScorecard


@admin.register(WeeklyScorecard)
class WeeklyScorecardAdmin(PracticeScopedAdmin):
    """Read-only: snapshots change only through an explicit, recorded rebuild."""

    list_display = ("practice", "week", "definitions_version", "built_at", "service", "built_by")
    list_filter = ("practice", "definitions_version")
    readonly_fields = [f.name for f in WeeklyScorecard._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QualityDecision)
class QualityDecisionAdmin(PracticeScopedAdmin):
    list_display = ("practice", "week", "text", "moment", "template", "decided_by", "created")
    list_filter = ("practice",)
    readonly_fields = ("code", "created")
