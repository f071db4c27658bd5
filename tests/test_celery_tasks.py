"""Every Celery task is run by beat or queued by some code path; none lies there unused."""

import re
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command

from config.celery import app
from queue_app.jobs import all_schedules

ROOT = Path(__file__).resolve().parents[1]


@cache
def _tasks() -> list[str]:
    # autodiscovery imports every app's tasks module without the worker's start-up checks
    # (some of which ask the database for its version, which collection may not touch).
    app.autodiscover_tasks(force=True)
    return sorted(name for name in app.tasks if not name.startswith("celery."))


@cache
def _source_outside(path: Path) -> str:
    """The project's code except the module defining the task, tests, migrations and the
    schedules (being named in a SCHEDULE counts only when the schedule is stored)."""
    return "\n".join(
        file.read_text(encoding="utf-8")
        for file in ROOT.glob("*/**/*.py")
        if file != path
        and not file.is_relative_to(ROOT / "tests")
        and not file.is_relative_to(ROOT / ".venv")
        and "migrations" not in file.parts
        and file.name != "schedules.py"
    )


def test_the_project_has_its_tasks():
    assert "messaging.tasks.deliver_message_task" in _tasks()
    assert "escalation.tasks.email_alerts_task" in _tasks()


@pytest.mark.parametrize("name", _tasks())
def test_each_task_is_scheduled_or_queued_by_name(name):
    scheduled = {task for task, _ in all_schedules().values()}
    module, _, function = name.rpartition(".")
    if name in scheduled:
        return
    module_path = ROOT / Path(*module.split(".")).with_suffix(".py")
    # Queued by its dotted name (queue_app.jobs.enqueue), or by the task object itself.
    callers = re.search(
        rf'"{re.escape(name)}"|\b{function}\.(delay|apply_async|delay_on_commit)\(',
        _source_outside(module_path) + "\n" + _own_other_tasks(module_path, function),
    )
    assert callers, f"{name} is neither in a SCHEDULE nor queued by any code"


def _own_other_tasks(path: Path, function: str) -> str:
    # A task may queue a sibling from its own module (build scorecards → email each one).
    text = path.read_text(encoding="utf-8")
    return re.sub(rf"def {function}\(.*?(?=\n@|\Z)", "", text, flags=re.S)


@pytest.mark.django_db
def test_setup_schedules_stores_every_scheduled_task_under_a_registered_name():
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules", stdout=None)
    stored = dict(PeriodicTask.objects.values_list("name", "task"))
    for job, (task, _) in all_schedules().items():
        assert stored[job] == task
        assert task in _tasks()


@pytest.mark.django_db
def test_a_migrated_database_runs_every_periodic_job_without_further_setup():
    from django_celery_beat.models import PeriodicTask

    PeriodicTask.objects.all().delete()
    call_command("migrate", verbosity=0)

    stored = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(all_schedules()) <= stored


@pytest.mark.django_db
def test_migrate_leaves_a_job_an_admin_edited_as_it_is():
    from django_celery_beat.models import PeriodicTask

    call_command("migrate", verbosity=0)
    name = next(iter(all_schedules()))
    PeriodicTask.objects.filter(name=name).update(enabled=False)

    call_command("migrate", verbosity=0)

    assert PeriodicTask.objects.get(name=name).enabled is False
