"""Admin: routes are configuration and editable; escalations, alerts and recoveries are a
record, read-only here (their changes go through escalation.services, with the item's trail)."""

from django.contrib import admin

from escalation.models import Alert, Escalation, EscalationRoute, ServiceRecovery
from queue_app.admin import PracticeScopedAdmin


@admin.register(EscalationRoute)
class EscalationRouteAdmin(PracticeScopedAdmin):
    list_display = ("practice", "kind", "name", "ack_minutes", "backup")
    list_filter = ("kind", "practice")
    filter_horizontal = ("recipients",)
    raw_id_fields = ("backup",)


class ReadOnlyAdmin(PracticeScopedAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("code", "practice", "route", "status", "created", "ack_due_at")
    list_filter = ("status", "route__kind", "practice")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("code", "practice", "kind", "recipient", "created", "seen_at", "emailed_at")
    list_filter = ("kind", "practice")


@admin.register(ServiceRecovery)
class ServiceRecoveryAdmin(ReadOnlyAdmin):
    list_display = ("code", "practice", "cause", "status", "follow_up_at", "created")
    list_filter = ("cause", "status", "practice")
