"""Admin: routes are configuration and editable; escalations, alerts and recoveries are a
record, read-only here (their changes go through escalation.services, with the item's trail)."""

from django.contrib import admin

from escalation.models import Alert, Escalation, EscalationRoute, ServiceRecovery
from queue_app.admin import PracticeScopedAdmin, ReadOnlyPracticeScopedAdmin


@admin.register(EscalationRoute)
class EscalationRouteAdmin(PracticeScopedAdmin):
    list_display = ("practice", "kind", "name", "ack_minutes", "backup")
    list_filter = ("kind", "practice")
    filter_horizontal = ("recipients",)
    raw_id_fields = ("backup",)


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyPracticeScopedAdmin):
    list_display = ("code", "practice", "route", "status", "created", "ack_due_at")
    list_filter = ("status", "route__kind", "practice")


@admin.register(Alert)
class AlertAdmin(ReadOnlyPracticeScopedAdmin):
    list_display = ("code", "practice", "kind", "recipient", "created", "seen_at", "emailed_at")
    list_filter = ("kind", "practice")


@admin.register(ServiceRecovery)
class ServiceRecoveryAdmin(ReadOnlyPracticeScopedAdmin):
    list_display = ("code", "practice", "cause", "status", "follow_up_at", "created")
    list_filter = ("cause", "status", "practice")
