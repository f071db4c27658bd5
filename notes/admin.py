from django.contrib import admin

from notes.models import Note, QAReview, QASettings
from queue_app.admin import ReadOnlyPracticeScopedAdmin


@admin.register(Note)
class NoteAdmin(ReadOnlyPracticeScopedAdmin):
    """Read-only: a note is never edited or deleted; a correction is a new note."""

    list_display = ("code", "practice", "author", "label", "language", "created")
    list_filter = ("label", "language", "practice")
    search_fields = ("code",)
    readonly_fields = [field.name for field in Note._meta.fields]


@admin.register(QAReview)
class QAReviewAdmin(ReadOnlyPracticeScopedAdmin):
    """Scored through the review queue (services.submit_review), so read-only here."""

    list_display = ("code", "practice", "assistant", "week", "stratum", "status", "passed")
    list_filter = ("status", "stratum", "practice")
    readonly_fields = [field.name for field in QAReview._meta.fields]


@admin.register(QASettings)
class QASettingsAdmin(admin.ModelAdmin):
    list_display = ("practice", "sample_size")
