"""Four eyes on a campaign's wording, and exactly one message per patient however it is sent."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from campaigns import sending, services
from campaigns.models import Campaign, Recipient
from queue_app.models import AuditEvent, Message, Role
from tests import factories
from tests.campaigns.helpers import BODY_EN, approve, book, day_campaign, visit_day
from tests.jobs import queued_tasks
from tests.messaging.conftest import awake_quiet_hours


@pytest.fixture
def campaign(practice_a, manager):
    return day_campaign(practice_a, manager, visit_day(practice_a))


@pytest.mark.django_db
def test_the_writer_cannot_approve_their_own_campaign(campaign, manager):
    with pytest.raises(services.CampaignError):
        services.approve_campaign(campaign=campaign, version=1, actor=manager, now=timezone.now())
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


@pytest.mark.django_db
def test_the_database_refuses_a_self_approval_too(campaign, manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            status="approved", approved_by=manager, approved_at=timezone.now()
        )


@pytest.mark.django_db
def test_a_second_manager_or_admin_approves_and_it_is_audited(campaign, admin_user):
    approve(campaign, admin_user)
    assert campaign.status == Campaign.Status.APPROVED
    assert campaign.approved_by == admin_user
    assert AuditEvent.objects.filter(
        action="campaign.approve", actor=admin_user, object_code=str(campaign.code)
    ).exists()


@pytest.mark.django_db
def test_an_edit_after_approval_needs_approval_again_and_the_editor_cannot_give_it(
    campaign, admin_user, manager
):
    approve(campaign, admin_user)
    fields = {"body_en": BODY_EN.replace("flu shots", "flu shots and COVID boosters")}
    services.update_campaign(campaign=campaign, fields=fields, actor=admin_user, now=timezone.now())
    campaign.refresh_from_db()
    assert (campaign.status, campaign.approved_by, campaign.version) == ("draft", None, 2)
    with pytest.raises(services.CampaignError):
        services.start_sending(campaign=campaign, actor=admin_user, now=timezone.now())
    with pytest.raises(services.CampaignError):
        services.approve_campaign(
            campaign=campaign, version=2, actor=admin_user, now=timezone.now()
        )
    # The first writer may approve the second's edit: that is four eyes on the change.
    approve(campaign, manager)
    assert campaign.status == Campaign.Status.APPROVED


@pytest.mark.django_db
def test_an_approval_of_a_version_since_edited_is_refused(campaign, admin_user, manager):
    services.update_campaign(
        campaign=campaign,
        fields={"name": "Flu shots (week 2)"},
        actor=manager,
        now=timezone.now(),
    )
    with pytest.raises(services.CampaignError):
        services.approve_campaign(
            campaign=campaign, version=1, actor=admin_user, now=timezone.now()
        )


@pytest.mark.django_db
def test_wording_that_fails_the_playbooks_lint_is_not_saved(practice_a, manager):
    with pytest.raises(services.CampaignError) as refused:
        day_campaign(
            practice_a,
            manager,
            visit_day(practice_a),
            body_en="Hi {first_name}, your lab results are ready. Reply STOP to confirm.",
        )
    assert "lab results" in refused.value.errors["body_en"]
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_a_campaign_being_sent_cannot_be_edited(campaign, admin_user, manager):
    approve(campaign, admin_user)
    services.start_sending(campaign=campaign, actor=admin_user, now=timezone.now())
    with pytest.raises(services.CampaignError):
        services.update_campaign(
            campaign=campaign, fields={"name": "x"}, actor=manager, now=timezone.now()
        )


@pytest.mark.django_db
def test_a_second_click_on_send_starts_nothing(
    campaign, admin_user, django_capture_on_commit_callbacks
):
    approve(campaign, admin_user)
    with django_capture_on_commit_callbacks() as callbacks:
        services.start_sending(campaign=campaign, actor=admin_user, now=timezone.now())
        with pytest.raises(services.CampaignError):
            services.start_sending(campaign=campaign, actor=admin_user, now=timezone.now())
    assert len(queued_tasks(callbacks)) == 1
    assert AuditEvent.objects.filter(action="campaign.send").count() == 1


def run_at_once(functions) -> list:
    """Each function in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - returned for the asserts
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_admins_sending_at_once_and_two_workers_give_one_message_per_patient(monkeypatch):
    practice = factories.make_practice(slug="twice", languages=["en", "es"])
    writer = factories.make_user("writer", practice, Role.MANAGER)
    admins = [factories.make_user(f"admin-{n}", practice, Role.ADMIN) for n in range(2)]
    day = visit_day(practice)
    patients = [factories.make_patient(practice) for _ in range(30)]
    for patient in patients:
        book(patient, day)
    now = timezone.now()
    awake_quiet_hours(practice, now)
    campaign = approve(day_campaign(practice, writer, day), admins[0])

    starts = run_at_once(
        [
            lambda admin=admin: services.start_sending(campaign=campaign, actor=admin, now=now)
            for admin in admins
        ]
    )
    assert sorted(type(result).__name__ for result in starts) == ["CampaignError", "NoneType"]

    # Two workers run the same send (a redelivered task): the unique keys keep it to one.
    monkeypatch.setattr(sending, "BATCH", 7)  # several batches, interleaved by the two runs
    runs = run_at_once(
        [lambda: sending.send_campaign(campaign_id=campaign.pk, now=now) for _ in range(2)]
    )
    assert [type(run).__name__ for run in runs] == ["tuple", "tuple"]
    assert Message.objects.filter(purpose="campaign").count() == 30
    assert Recipient.objects.filter(campaign=campaign).count() == 30
    assert set(Recipient.objects.values_list("patient", flat=True)) == {p.pk for p in patients}
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


@pytest.mark.django_db
def test_a_large_group_is_split_once_and_sent_when_the_last_part_is_done(
    practice_a, manager, admin_user, monkeypatch
):
    monkeypatch.setattr(sending, "MIN_PART", 2)
    day = visit_day(practice_a)
    patients = [factories.make_patient(practice_a) for _ in range(9)]
    for patient in patients:
        book(patient, day)
    now = timezone.now()
    awake_quiet_hours(practice_a, now)
    campaign = approve(day_campaign(practice_a, manager, day), admin_user)
    services.start_sending(campaign=campaign, actor=admin_user, now=now)

    parts = sending.plan_parts(campaign_id=campaign.pk, now=timezone.now())
    assert (
        sending.plan_parts(campaign_id=campaign.pk, now=timezone.now()) == []
    )  # a redelivered task plans nothing
    assert len(parts) == 4
    assert parts[0][0] == 0 and parts[-1][1] == patients[-1].pk
    assert all(
        upto == next_after for (_, upto), (next_after, _) in zip(parts, parts[1:], strict=False)
    )
    for after, upto in reversed(parts):
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.SENDING
        sending.send_campaign(campaign_id=campaign.pk, now=now, after=after, upto=upto)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.parts_left) == (Campaign.Status.SENT, 0)
    assert Recipient.objects.filter(campaign=campaign).count() == 9


@pytest.mark.django_db
def test_a_send_whose_task_died_is_taken_up_again_and_each_patient_gets_one_message(
    practice_a, manager, admin_user, monkeypatch, eager_celery
):
    from datetime import timedelta

    from campaigns import tasks

    monkeypatch.setattr(sending, "MIN_PART", 2)
    day = visit_day(practice_a)
    for _ in range(6):
        book(factories.make_patient(practice_a), day)
    started = timezone.now() - timedelta(minutes=30)
    awake_quiet_hours(practice_a, timezone.now())
    campaign = approve(day_campaign(practice_a, manager, day), admin_user)
    services.start_sending(campaign=campaign, actor=admin_user, now=started)
    parts = sending.plan_parts(campaign_id=campaign.pk, now=timezone.now())
    # Only the first part was sent; the worker died before the others.
    sending.send_campaign(campaign_id=campaign.pk, now=started, after=parts[0][0], upto=parts[0][1])
    fresh = approve(day_campaign(practice_a, manager, day, name="Started just now"), admin_user)
    services.start_sending(campaign=fresh, actor=admin_user, now=timezone.now())

    assert tasks.resume_stalled_sends_task() == 1  # the fresh send is left to its own tasks

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    messages = Message.objects.filter(campaign_recipient__campaign=campaign)
    assert messages.count() == 6
    assert messages.values("patient").distinct().count() == 6
    assert tasks.resume_stalled_sends_task() == 0


@pytest.mark.django_db
def test_a_campaign_goes_out_from_the_practices_short_code_when_it_has_one(
    practice_a, manager, admin_user
):
    from queue_app.models import PracticeNumber

    day = visit_day(practice_a)
    for _ in range(2):
        book(factories.make_patient(practice_a), day)
    now = timezone.now()
    awake_quiet_hours(practice_a, now)
    assert sending.campaign_sender(practice_a) == practice_a.phone  # no faster number yet
    PracticeNumber.objects.create(practice=practice_a, number="+13055550999")  # a long code
    PracticeNumber.objects.create(practice=practice_a, number="52712")
    campaign = approve(day_campaign(practice_a, manager, day), admin_user)
    services.start_sending(campaign=campaign, actor=admin_user, now=now)
    sending.send_campaign(campaign_id=campaign.pk, now=now)

    messages = Message.objects.filter(campaign_recipient__campaign=campaign)
    assert messages.count() == 2
    assert set(messages.values_list("from_number", flat=True)) == {"52712"}
