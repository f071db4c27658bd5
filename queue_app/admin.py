"""Django admin: rows holding patient data are scoped to the practices the person was granted.

Model-level ("global") permissions let staff open an admin page; they never widen which
practices' rows it lists (RELIABILITY A5, J3).
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from queue_app.access import visible_practices


class PracticeScopedAdmin(admin.ModelAdmin):
    """Lists and opens only rows of the practices where the user holds a role."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(practice__in=visible_practices(request.user))


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record, not configuration: its rows change only through the owning app's services."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyPracticeScopedAdmin(ReadOnlyAdmin, PracticeScopedAdmin):
    """A record of the practices where the user holds a role, to read only."""
