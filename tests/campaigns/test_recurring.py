"""Recurring campaigns: each occurrence is one send, started once by the periodic job however
often it runs; the approval covers the wording and the schedule; a manager can pause it."""

from datetime import date, datetime, time, timedelta
from uuid import uuid4

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import recurrence, services, tasks
from campaigns.models import Campaign, Recipient
from queue_app.clock import zone
from queue_app.models import AuditEvent, Message, Role
from tests import factories
from tests.campaigns.helpers import BODY_EN, BODY_ES, approve, book
from tests.campaigns.test_services import run_at_once
from tests.security.helpers import verified_client

MONDAY = date(2026, 3, 2)
NINE = time(9, 0)


def at(practice, day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone(practice.timezone))


def weekly_reminder(practice, author, **fields) -> Campaign:
    """Every Monday at 9 AM: the patients with an appointment two days later."""
    values = {
        "name": "Wednesday flu shots",
        "moment": practice.moments.get(key="appointment_time_question"),
        "audience": Campaign.Audience.APPOINTMENT_DAY,
        "appointment_date": None,
        "provider_name": "",
        "recall_months": None,
        "mrns": [],
        "body_en": BODY_EN,
        "body_es": BODY_ES,
        "repeat": Campaign.Repeat.WEEKLY,
        "days_ahead": 2,
        "first_send_on": MONDAY,
        "send_time": NINE,
    }
    return services.create_campaign(
        practice=practice, fields=values | fields, actor=author, now=at(practice, MONDAY, 7)
    )


def started(campaign: Campaign, admin, now: datetime) -> Campaign:
    approve(campaign, admin)
    services.start_sending(campaign=campaign, actor=admin, now=now)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def wednesday_patients(practice_a):
    """Two patients booked on Wednesday 4 March, one on Wednesday 11 March."""
    patients = [factories.make_patient(practice_a) for _ in range(3)]
    book(patients[0], MONDAY + timedelta(days=2))
    book(patients[1], MONDAY + timedelta(days=2))
    book(patients[2], MONDAY + timedelta(days=9))
    return patients


# ---------------------------------------------------------------------------- the calendar


@pytest.mark.django_db
def test_weekly_occurrences_fall_on_the_day_and_time(practice_a, manager):
    campaign = weekly_reminder(practice_a, manager)
    assert recurrence.latest_due(campaign, at(practice_a, MONDAY, 8, 59)) is None
    assert recurrence.next_due(campaign, at(practice_a, MONDAY, 8, 59)) == MONDAY
    assert recurrence.latest_due(campaign, at(practice_a, MONDAY)) == MONDAY
    assert recurrence.next_due(campaign, at(practice_a, MONDAY)) == date(2026, 3, 9)
    sunday = MONDAY + timedelta(days=13)
    assert recurrence.latest_due(campaign, at(practice_a, sunday, 23)) == date(2026, 3, 9)


@pytest.mark.django_db
def test_monthly_occurrences_keep_the_31st_where_the_month_has_one(practice_a, manager):
    campaign = weekly_reminder(
        practice_a, manager, repeat="monthly", first_send_on=date(2026, 1, 31)
    )
    assert recurrence.latest_due(campaign, at(practice_a, date(2026, 3, 1))) == date(2026, 2, 28)
    assert recurrence.next_due(campaign, at(practice_a, date(2026, 3, 1))) == date(2026, 3, 31)
    assert recurrence.latest_due(campaign, at(practice_a, date(2026, 2, 28), 8)) == date(
        2026, 1, 31
    )


# ---------------------------------------------------------------------------- the job


@pytest.mark.django_db
def test_each_occurrence_is_one_send_to_that_weeks_group(
    practice_a,
    manager,
    admin_user,
    wednesday_patients,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    campaign = started(weekly_reminder(practice_a, manager), admin_user, at(practice_a, MONDAY, 8))
    monday_after = MONDAY + timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.start_due_occurrences(now=at(practice_a, MONDAY, 8, 59)) == []
        first = services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 1))
        assert services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 2)) == []  # again
        second = services.start_due_occurrences(now=at(practice_a, monday_after, 9, 1))

    occurrences = list(campaign.occurrences.order_by("occurs_on"))
    assert [o.pk for o in occurrences] == first + second
    assert [(o.occurs_on, o.appointment_date, o.status) for o in occurrences] == [
        (MONDAY, date(2026, 3, 4), Campaign.Status.SENT),
        (date(2026, 3, 9), date(2026, 3, 11), Campaign.Status.SENT),
    ]
    reached = [
        set(Recipient.objects.filter(campaign=o).values_list("patient", flat=True))
        for o in occurrences
    ]
    assert reached == [{p.pk for p in wednesday_patients[:2]}, {wednesday_patients[2].pk}]
    assert Message.objects.filter(purpose="campaign").count() == 3
    assert all((o.approved_by, o.version) == (admin_user, 1) for o in occurrences)
    assert AuditEvent.objects.filter(action="campaign.occurrence", service="campaigns").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_job_at_once_start_one_send(eager_celery):
    practice = factories.make_practice(slug="twice-weekly")
    writer = factories.make_user("writer-r", practice, Role.MANAGER)
    admin = factories.make_user("admin-r", practice, Role.ADMIN)
    for _ in range(5):
        book(factories.make_patient(practice), MONDAY + timedelta(days=2))
    campaign = started(weekly_reminder(practice, writer), admin, at(practice, MONDAY, 8))
    now = at(practice, MONDAY, 9, 1)

    runs = run_at_once([lambda: services.start_due_occurrences(now=now) for _ in range(3)])

    assert sorted(len(run) for run in runs) == [0, 0, 1]
    occurrence = campaign.occurrences.get()
    assert Recipient.objects.filter(campaign=occurrence).count() == 5
    assert Message.objects.filter(purpose="campaign").count() == 5


@pytest.mark.django_db
def test_a_send_whose_worker_died_is_finished_once_and_not_started_again(
    practice_a,
    manager,
    admin_user,
    wednesday_patients,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    started(weekly_reminder(practice_a, manager), admin_user, at(practice_a, MONDAY, 8))
    # The job made the occurrence, then its worker died before the send task was queued.
    with django_capture_on_commit_callbacks(execute=False) as lost:
        [occurrence_id] = services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 1))
    assert len(lost) == 1 and not Recipient.objects.exists()

    # The next runs of the job find it made; the stalled-send sweep sends it, once.
    assert services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 2)) == []
    assert tasks.resume_stalled_sends_task() == 1
    assert tasks.resume_stalled_sends_task() == 0

    occurrence = Campaign.objects.get(pk=occurrence_id)
    assert occurrence.status == Campaign.Status.SENT
    assert Recipient.objects.filter(campaign=occurrence).count() == 2
    assert Message.objects.filter(purpose="campaign").count() == 2


@pytest.mark.django_db
def test_an_occurrence_due_before_the_start_or_long_missed_is_skipped(
    practice_a, manager, admin_user
):
    campaign = started(
        weekly_reminder(practice_a, manager), admin_user, at(practice_a, MONDAY, 9, 30)
    )
    assert services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 31)) == []
    # The job was down all Monday the 9th: by Tuesday the send would be a day late.
    assert services.start_due_occurrences(now=at(practice_a, MONDAY + timedelta(days=8))) == []
    assert not campaign.occurrences.exists()


# ---------------------------------------------------------------------------- approval, pause


@pytest.mark.django_db
def test_an_edit_stops_the_repeats_until_another_person_approves_and_starts_it(
    practice_a, manager, admin_user
):
    campaign = started(weekly_reminder(practice_a, manager), admin_user, at(practice_a, MONDAY, 8))
    services.update_campaign(
        campaign=campaign, fields={"days_ahead": 3}, actor=admin_user, now=at(practice_a, MONDAY, 8)
    )
    campaign.refresh_from_db()
    assert (campaign.status, campaign.approved_by, campaign.version) == ("draft", None, 2)
    assert services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 1)) == []
    with pytest.raises(services.CampaignError):
        services.approve_campaign(
            campaign=campaign, version=2, actor=admin_user, now=timezone.now()
        )
    edit = AuditEvent.objects.get(action="campaign.edit")
    assert "approval withdrawn, repeating stopped" in edit.detail

    started(campaign, manager, at(practice_a, MONDAY, 8, 30))
    services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 1))
    occurrence = campaign.occurrences.get()
    assert (occurrence.version, occurrence.appointment_date) == (2, date(2026, 3, 5))


@pytest.mark.django_db
def test_a_paused_campaign_starts_nothing_and_resumes_from_the_next_occurrence(
    practice_a, manager, admin_user
):
    campaign = started(weekly_reminder(practice_a, manager), admin_user, at(practice_a, MONDAY, 8))
    services.pause_campaign(campaign=campaign, actor=manager, now=at(practice_a, MONDAY, 8, 30))
    assert services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 1)) == []
    with pytest.raises(services.CampaignError):
        services.pause_campaign(campaign=campaign, actor=manager, now=at(practice_a, MONDAY, 9))

    services.resume_campaign(campaign=campaign, actor=manager, now=at(practice_a, MONDAY, 10))
    assert services.start_due_occurrences(now=at(practice_a, MONDAY, 10, 1)) == []  # missed
    next_week = at(practice_a, MONDAY + timedelta(days=7), 9, 1)
    assert len(services.start_due_occurrences(now=next_week)) == 1
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("id"))
    assert actions[-3:] == ["campaign.pause", "campaign.resume", "campaign.occurrence"]


@pytest.mark.django_db
def test_the_database_allows_one_send_per_occurrence(practice_a, manager, admin_user):
    campaign = started(weekly_reminder(practice_a, manager), admin_user, at(practice_a, MONDAY, 8))
    [first] = services.start_due_occurrences(now=at(practice_a, MONDAY, 9, 1))
    second = Campaign.objects.get(pk=first)
    second.pk, second.code = None, uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save(force_insert=True)
    assert campaign.occurrences.count() == 1


# ---------------------------------------------------------------------------- pages


def url(name: str, campaign: Campaign | None = None) -> str:
    from django.urls import reverse

    kwargs = {"slug": "alpha"} | ({"code": campaign.code} if campaign else {})
    return reverse(f"campaigns:{name}", kwargs=kwargs)


@pytest.mark.django_db
def test_a_manager_sets_up_a_weekly_send_and_the_report_shows_each_occurrence(
    practice_a, manager, admin_user, eager_celery, django_capture_on_commit_callbacks
):
    writer, approver = verified_client(manager), verified_client(admin_user)
    form = {
        "name": "Wednesday flu shots",
        "moment": practice_a.moments.get(key="appointment_time_question").pk,
        "audience": "appointment_day",
        "repeat": "weekly",
        "days_ahead": "2",
        "first_send_on": MONDAY.isoformat(),
        "send_time": "09:00",
        "body_en": BODY_EN,
    }
    missing = writer.post(url("new"), form | {"send_time": ""})
    assert "Pick the day of the first send and the time of each." in missing.text
    assert writer.post(url("new"), form).status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.repeat, campaign.days_ahead, campaign.appointment_date) == ("weekly", 2, None)
    page = approver.get(url("campaign", campaign)).text
    assert "appointment 2 days after each send" in page and "every week from Mon 2 Mar 2026" in page

    approver.post(url("approve", campaign), {"version": 1})
    assert "Start repeating" in approver.get(url("campaign", campaign)).text
    approver.post(url("send", campaign))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.REPEATING
    next_send = recurrence.next_due(campaign, timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.start_due_occurrences(now=at(practice_a, next_send, 9, 1))

    report = writer.get(url("report", campaign)).text
    occurrence = campaign.occurrences.get()
    assert f'data-occurrence="{occurrence.occurs_on:%Y-%m-%d}"' in report
    assert url("report", occurrence) in report
    listing = writer.get(url("list")).text
    assert f'href="{url("campaign", campaign)}"' in listing
    assert str(occurrence.code) not in listing  # the sends are on the report

    assert writer.post(url("pause", campaign)).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert "Resume" in writer.get(url("campaign", campaign)).text
    writer.post(url("resume", campaign))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.REPEATING


@pytest.mark.django_db
def test_pause_and_resume_refuse_get_and_non_managers(practice_a, manager, admin_user):
    campaign = started(weekly_reminder(practice_a, manager), admin_user, at(practice_a, MONDAY, 8))
    client = verified_client(manager)
    assert client.get(url("pause", campaign)).status_code == 405
    assert client.get(url("resume", campaign)).status_code == 405
    assistant = verified_client(factories.make_user("assistant-r", practice_a, Role.ASSISTANT))
    assert assistant.post(url("pause", campaign)).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.REPEATING
