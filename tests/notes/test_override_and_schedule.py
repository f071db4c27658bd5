"""Refuse only when sure, saving over a refusal with a reason, and the weekly QA schedule."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from config.celery import app
from notes import services
from notes.checker import check_note, is_refused
from notes.models import Note, QAReview
from queue_app.management.commands.setup_schedules import Command as SetupSchedules
from queue_app.models import ItemEvent, WorkItem
from queue_app.schedules import PERIODIC_TASKS
from reports.schedules import SCORECARD_TASK_PATH
from tests import factories

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


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


def _called_somewhere(task_name: str) -> bool:
    """A task is called when its function name is used with .delay/.apply_async/.s outside tests."""
    function = task_name.rsplit(".", 1)[-1]
    call = re.compile(rf"\b{function}\.(?:delay|delay_on_commit|apply_async|s|si|signature)\b")
    for path in REPO.glob("*/**/*.py"):
        if path.parts[len(REPO.parts)] in {"tests", ".venv", "bench"}:
            continue
        if call.search(path.read_text(encoding="utf-8")):
            return True
    return False


# Found by this test: a copy of queue_app.tasks.escalate_overdue_acknowledgements_task (the
# scheduled one). Escalation is being rewritten on its own branch; drop the entry once merged.
KNOWN_ORPHANS = {"escalation.tasks.escalate_overdue_acknowledgements_task"}


def test_every_celery_task_has_a_schedule_or_a_caller():
    app.loader.import_default_modules()
    scheduled = {task for task, _ in PERIODIC_TASKS.values()} | {SCORECARD_TASK_PATH}
    ours = [name for name in app.tasks if not name.startswith("celery.")]

    orphans = {name for name in ours if name not in scheduled and not _called_somewhere(name)}

    assert ours
    assert orphans - KNOWN_ORPHANS == set()
