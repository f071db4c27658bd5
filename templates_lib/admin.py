"""Django admin: a read-only window on templates and channel rules, scoped to the practices
whose playbook the person keeps. Changes go through the playbook pages, whose services keep
four-eyes approval, versioning and the audit trail; the admin would bypass all three."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from queue_app.access import PLAYBOOK, practices_for
from queue_app.admin import ReadOnlyAdmin
from templates_lib.models import ChannelRule, ResponseTemplate


class PlaybookReadOnlyAdmin(ReadOnlyAdmin):
    practice_path = "practice"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        kept = practices_for(request.user, PLAYBOOK)
        return super().get_queryset(request).filter(**{f"{self.practice_path}__in": kept})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return practices_for(request.user, PLAYBOOK).exists()

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(PlaybookReadOnlyAdmin):
    list_display = (
        "moment",
        "language",
        "channel",
        "purpose",
        "version",
        "status",
        "approved_by",
        "approved_at",
        "edit_link",
    )
    list_filter = ("status", "language", "channel", "purpose", "practice")
    search_fields = ("moment__key", "body")
    list_select_related = ("moment", "approved_by", "practice")

    @admin.display(description="Edit in the playbook")
    def edit_link(self, obj: ResponseTemplate) -> str:
        url = reverse("playbook:template", args=[obj.practice.slug, obj.code])
        return format_html('<a href="{}">Open</a>', url)


@admin.register(ChannelRule)
class ChannelRuleAdmin(PlaybookReadOnlyAdmin):
    practice_path = "moment__practice"
    list_display = (
        "moment",
        "channel",
        "allowed",
        "consent_required",
        "respects_quiet_hours",
        "live_call_after_attempts",
    )
    list_filter = ("channel", "allowed", "moment__practice")
    list_select_related = ("moment",)
