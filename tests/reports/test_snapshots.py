"""Stored snapshots: built once, stable when data changes, rebuilt only explicitly."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from queue_app.access import grant_role
from queue_app.models import Role, WorkItem
from reports import services
from reports.metrics import DEFINITIONS_VERSION
from reports.models import WeeklyScorecard
from reports.tasks import build_last_week_scorecards_task
from reports.weeks import iso_week, monday_of
from tests import factories
from tests.reports.conftest import WEEK, day, fast_user, local


def test_building_twice_keeps_one_snapshot(world, practice_a):
    first, created = services.build_weekly_scorecard(
        practice=practice_a, week=WEEK, now=world["now"]
    )
    again, created_again = services.build_weekly_scorecard(
        practice=practice_a, week=WEEK, now=world["now"] + timedelta(hours=1)
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert first.definitions_version == DEFINITIONS_VERSION
    assert first.service == "beat"
    assert set(first.data["by_language"]) == {"en", "es"}
    assert first.data["all"]["metrics"]["received"]["value"] == 8
    assert first.data["by_language"]["es"]["metrics"]["received"]["value"] == 4


def test_the_database_refuses_a_second_current_snapshot(world, practice_a):
    services.build_weekly_scorecard(practice=practice_a, week=WEEK, now=world["now"])
    with pytest.raises(IntegrityError):
        WeeklyScorecard.objects.create(
            practice=practice_a,
            week=WEEK,
            definitions_version=DEFINITIONS_VERSION,
            data={},
            built_at=world["now"],
            service="test",
        )


def test_changing_data_after_the_build_does_not_change_the_snapshot(world, practice_a):
    snapshot, _ = services.build_weekly_scorecard(practice=practice_a, week=WEEK, now=world["now"])
    stored = snapshot.data
    patient = world["patients"][0]
    factories.make_item(
        practice_a, patient=patient, key="cancel", received_at=local(day(2), "10:00")
    )
    WorkItem.objects.filter(pk=world["i2"].pk).update(
        status="resolved", resolved_at=local(day(3), "10:00"), owner=None
    )
    snapshot.refresh_from_db()
    assert snapshot.data == stored
    shown, source = services.scorecard_for(practice=practice_a, week=WEEK, now=world["now"])
    assert source == snapshot
    assert shown["metrics"]["received"]["value"] == 8
    live, _ = services.scorecard_for(
        practice=practice_a, week=WEEK - timedelta(weeks=5), now=world["now"]
    )
    assert live["metrics"]["received"]["value"] == 0  # no snapshot there: computed


def test_a_rebuild_is_recorded_and_keeps_the_old_row(world, practice_a):
    old, _ = services.build_weekly_scorecard(practice=practice_a, week=WEEK, now=world["now"])
    factories.make_item(
        practice_a, patient=world["patients"][0], key="cancel", received_at=local(day(2), "10:00")
    )
    later = world["now"] + timedelta(days=1)
    new = services.rebuild_weekly_scorecard(scorecard=old, reason="late import", now=later)
    old.refresh_from_db()
    assert old.superseded_at == later
    assert old.data["all"]["metrics"]["received"]["value"] == 8
    assert new.rebuilt_from == old
    assert new.service == "command" and new.rebuild_reason == "late import"
    assert new.data["all"]["metrics"]["received"]["value"] == 9
    assert services.current_snapshot(practice=practice_a, week=WEEK) == new
    with pytest.raises(services.ScorecardError, match="already replaced"):
        services.rebuild_weekly_scorecard(scorecard=old, reason="again", now=later)


def test_a_rebuild_without_a_reason_is_refused(world, practice_a):
    old, _ = services.build_weekly_scorecard(practice=practice_a, week=WEEK, now=world["now"])
    with pytest.raises(services.ScorecardError, match="why"):
        services.rebuild_weekly_scorecard(scorecard=old, reason=" ", now=world["now"])
    old.refresh_from_db()
    assert old.superseded_at is None


def test_a_running_week_is_not_stored(practice_a):
    with pytest.raises(services.ScorecardError, match="not over"):
        services.build_weekly_scorecard(practice=practice_a, week=WEEK, now=local(day(3), "12:00"))


def test_beat_builds_last_week_on_monday_morning_in_each_time_zone(practice_a, practice_b):
    # Monday 16 Nov, 05:30 in New York: before the morning, nothing is built yet there.
    early = local(day(7), "05:30")
    built = services.build_last_week_scorecards(now=early)
    weeks = {(s.practice.slug, s.week) for s in WeeklyScorecard.objects.all()}
    # Phoenix is two hours behind: 03:30 Monday there, not yet either.
    assert built == [] and weeks == set()
    morning = local(day(7), "08:05")  # 06:05 in Phoenix
    to_email = services.build_last_week_scorecards(now=morning)
    assert len(to_email) == 2
    assert {(s.practice.slug, s.week) for s in WeeklyScorecard.objects.filter(pk__in=to_email)} == {
        ("alpha", WEEK),
        ("bravo", WEEK),
    }
    # The trend's earlier weeks are stored too, so the page never computes them on the fly.
    assert WeeklyScorecard.objects.filter(practice__slug="alpha").count() == 9
    assert services.build_last_week_scorecards(now=morning + timedelta(hours=1)) == to_email
    assert WeeklyScorecard.objects.count() == 18


def test_the_weekly_task_emails_managers_once_with_numbers_and_a_link(
    practice_a, mailoutbox, django_capture_on_commit_callbacks, settings, eager_celery, monkeypatch
):
    # A Wednesday: the task waits for Monday 06:00 in the practice's zone, so the real clock
    # would fail this test early on Mondays.
    wednesday = local(day(9), "12:00")
    monkeypatch.setattr(timezone, "now", lambda: wednesday)
    fast_user("boss-a", practice_a, Role.MANAGER)
    fast_user("worker-x", practice_a, Role.ASSISTANT)
    patient = factories.make_patient(practice_a, last_name="Quintanilla")
    last_week = monday_of(practice=practice_a, instant=timezone.now()) - timedelta(weeks=1)
    factories.make_item(practice_a, patient=patient, received_at=local(last_week, "10:00"))
    with django_capture_on_commit_callbacks(execute=True):
        build_last_week_scorecards_task()
    with django_capture_on_commit_callbacks(execute=True):
        build_last_week_scorecards_task()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["boss-a@x.test"]
    assert iso_week(last_week) in mail.subject
    assert f"{settings.BASE_URL}/reports/alpha/{iso_week(last_week)}/" in mail.body
    assert "Received: 1" in mail.body
    assert "Quintanilla" not in mail.body and patient.phone not in mail.body
    snapshot = WeeklyScorecard.objects.get(practice=practice_a, week=last_week)
    assert snapshot.emailed_at is not None
    assert WeeklyScorecard.objects.filter(emailed_at__isnull=False).count() == 1


def test_managers_of_another_practice_get_no_mail(practice_a, practice_b, mailoutbox):
    other = fast_user("boss-b", practice_b, Role.MANAGER)
    grant_role(user=other, practice=practice_b, role=Role.MANAGER)
    scorecard, _ = services.build_weekly_scorecard(
        practice=practice_a, week=WEEK, now=local(day(8), "09:00")
    )
    assert services.send_scorecard_summary(scorecard=scorecard, now=local(day(8), "09:00")) == 0
    assert mailoutbox == []


def test_the_weekly_job_is_scheduled_in_beat_once(db):
    from django_celery_beat.models import PeriodicTask

    from config.celery import app
    from queue_app.jobs import ensure_periodic_tasks
    from reports.schedules import SCHEDULE, SCORECARD_TASK, SCORECARD_TASK_PATH

    # The data migration stores it; a transactional test's flush may have emptied the table.
    ensure_periodic_tasks(SCHEDULE)
    assert ensure_periodic_tasks(SCHEDULE) == 0
    task = PeriodicTask.objects.get(name=SCORECARD_TASK)
    assert task.task == SCORECARD_TASK_PATH and task.interval.every == 3600
    app.loader.import_default_modules()
    assert SCORECARD_TASK_PATH in app.tasks


def test_build_scorecards_stores_the_trend_even_before_mondays_delivery_time(
    practice_a, monkeypatch
):
    monday_night = local(day(7), "01:00")  # before 06:00: the hourly job would still wait
    monkeypatch.setattr(timezone, "now", lambda: monday_night)
    call_command("build_scorecards", stdout=StringIO())
    stored = set(WeeklyScorecard.objects.filter(practice=practice_a).values_list("week", flat=True))
    assert stored == {WEEK - timedelta(weeks=n) for n in range(services.TREND_WEEKS + 1)}
    assert not WeeklyScorecard.objects.filter(emailed_at__isnull=False).exists()
