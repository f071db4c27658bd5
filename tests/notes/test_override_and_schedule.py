"""Refuse only when sure, saving over a refusal with a reason, and the weekly QA schedule."""

from datetime import UTC, date, datetime, timedelta

import pytest

from notes import services
from notes.checker import check_note, is_refused
from notes.models import Note, QAReview
from queue_app.management.commands.setup_schedules import Command as SetupSchedules
from queue_app.models import ItemEvent, WorkItem
from tests import factories

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def test_lvm_is_refused_for_sure():
    verdict = check_note("LVM", "no_show_recovery")

    assert verdict.label == "vague"
    assert is_refused(verdict)


def test_a_refused_note_saved_with_a_reason_keeps_it_and_logs_an_override(item, assistant):
    note = services.record_actionable_note(
        item=item,
        author=assistant,
        fields={"free_text": "LVM"},
        now=NOW,
        override_reason="  Pt hung up\nbefore I could ask more  ",
    )

    note.refresh_from_db()
    assert note.label == Note.Label.VAGUE
    assert note.override_reason == "Pt hung up before I could ask more"
    assert ItemEvent.objects.filter(item=item, kind="note_override").exists()


def test_a_blank_reason_does_not_override(item, assistant):
    with pytest.raises(services.NoteRefused):
        services.record_actionable_note(
            item=item, author=assistant, fields={"free_text": "LVM"}, now=NOW, override_reason=" "
        )
    assert not Note.objects.filter(item=item).exists()


def test_an_overridden_note_is_always_in_the_next_sample(practice_a, assistant):
    start = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    items = [
        factories.make_item(
            practice_a,
            received_at=start + timedelta(hours=n),
            status=WorkItem.Status.RESOLVED,
            owner=assistant,
            resolved_at=start + timedelta(hours=n, minutes=30),
        )
        for n in range(8)
    ]
    services.record_actionable_note(
        item=items[6],
        author=assistant,
        fields={"free_text": "Handled"},
        now=start,
        override_reason="Patient only wanted the address",
    )

    services.sample_week_for_review(
        practice=practice_a, week=date(2026, 3, 2), now=NOW, sample_size=1
    )

    review = QAReview.objects.get(item=items[6])
    assert review.stratum == QAReview.Stratum.OVERRIDE


def test_setup_schedules_includes_the_weekly_qa_sample(db):
    from django_celery_beat.models import PeriodicTask

    SetupSchedules().handle()

    assert PeriodicTask.objects.filter(task="notes.tasks.sample_last_week_task").exists()
