"""An unacknowledged escalation past its deadline goes up to the route's backup and managers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from escalation import services, tasks
from escalation.models import Alert, Escalation
from queue_app.models import ItemEvent, Role
from tests import factories
from tests.factories import verified_login


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def backup(practice_a):
    return factories.make_user("rn-backup", practice_a, Role.CLINICAL, email="backup@example.org")


@pytest.fixture
def escalation(item, backup, now):
    route = services.route_for(practice=item.practice, kind="clinical")
    route.backup = backup
    route.save()
    return services.escalate_item(item=item, route_kind="clinical", reason="rash", now=now)


def test_an_escalation_is_due_for_acknowledgement_by_its_route_deadline(escalation, now):
    assert escalation.ack_due_at == now + timedelta(minutes=60)
    assert not escalation.is_overdue(now + timedelta(minutes=59))
    assert escalation.is_overdue(now + timedelta(minutes=61))


def test_nothing_is_raised_before_the_deadline(escalation, now):
    assert services.escalate_overdue_acknowledgements(now=now + timedelta(minutes=59)) == 0

    escalation.refresh_from_db()
    assert escalation.raised_to_backup_at is None


def test_a_missed_deadline_alerts_the_backup_and_the_managers(escalation, backup, manager, now):
    later = now + timedelta(minutes=61)

    assert services.escalate_overdue_acknowledgements(now=later) == 1

    escalation.refresh_from_db()
    assert escalation.raised_to_backup_at == later
    overdue = Alert.objects.filter(escalation=escalation, kind=Alert.Kind.OVERDUE)
    assert {a.recipient for a in overdue} == {backup, manager}
    event = ItemEvent.objects.get(item=escalation.item, kind="escalation_raised_to_backup")
    assert event.service == "worker" and event.actor is None
    assert event.after["backup"] == backup.pk


def test_running_the_deadline_job_twice_creates_nothing_twice(escalation, manager, now):
    later = now + timedelta(minutes=61)

    services.escalate_overdue_acknowledgements(now=later)
    assert services.escalate_overdue_acknowledgements(now=later + timedelta(minutes=5)) == 0

    assert Alert.objects.filter(escalation=escalation, kind=Alert.Kind.OVERDUE).count() == 2
    assert ItemEvent.objects.filter(kind="escalation_raised_to_backup").count() == 1
    escalation.refresh_from_db()
    assert escalation.raised_to_backup_at == later


def test_an_acknowledged_escalation_is_not_raised(escalation, clinical, now):
    services.acknowledge_escalation(escalation=escalation, actor=clinical, now=now)

    assert services.escalate_overdue_acknowledgements(now=now + timedelta(hours=5)) == 0


def test_a_route_without_backup_still_reaches_the_managers(item, manager, now):
    escalation = services.escalate_item(item=item, route_kind="billing", reason="x", now=now)

    services.escalate_overdue_acknowledgements(now=now + timedelta(days=1))

    alert = Alert.objects.get(escalation=escalation, kind=Alert.Kind.OVERDUE)
    assert alert.recipient == manager


def test_the_backup_is_emailed_once_with_ids_only(
    escalation, backup, now, django_capture_on_commit_callbacks
):
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.escalate_overdue_acknowledgements(now=now + timedelta(minutes=61))
        with django_capture_on_commit_callbacks(execute=True):
            services.escalate_overdue_acknowledgements(now=now + timedelta(minutes=62))
    finally:
        celery_app.conf.task_always_eager = False

    to_backup = [m for m in mail.outbox if m.to == ["backup@example.org"]]
    assert len(to_backup) == 1
    assert str(escalation.code) in to_backup[0].body
    assert escalation.item.patient.last_name not in to_backup[0].body


def test_the_periodic_task_calls_the_service(escalation):
    Escalation.objects.filter(pk=escalation.pk).update(
        ack_due_at=timezone.now() - timedelta(minutes=1)
    )

    assert tasks.escalate_overdue_acknowledgements_task() == 1


def test_the_manager_sees_the_overdue_escalation_in_the_overdue_view(
    client, escalation, manager, now
):
    Escalation.objects.filter(pk=escalation.pk).update(ack_due_at=now - timedelta(minutes=1))
    verified_login(client, manager)

    response = client.get("/escalations/?view=overdue")

    assert response.status_code == 200
    assert str(escalation.code) in response.content.decode()
    assert "overdue" in response.content.decode()
