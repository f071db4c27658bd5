"""The failed-messages page: practice admins see dead letters and send one fresh copy."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging import delivery
from queue_app.models import AuditEvent, DeadLetter, ItemEvent, Message, Reminder, Role
from tests import factories
from tests.jobs import queued_tasks
from tests.messaging.conftest import awake_quiet_hours
from tests.messaging.helpers import outbound
from tests.security.helpers import verified_client


@pytest.fixture
def failed(practice_a, patient):
    """A reply the provider kept refusing until its window closed."""
    now = timezone.now()
    item = factories.make_item(practice_a, patient=patient)
    message = outbound(item, now=now, status=Message.Status.FAILED, attempts=11)
    DeadLetter.objects.create(
        kind=DeadLetter.Kind.MESSAGE,
        object_id=message.pk,
        reason="The text to the patient could not be delivered: the service kept failing.",
        attempts=11,
        created=now,
    )
    return message


def page(practice) -> str:
    return reverse("delivery:failed", kwargs={"slug": practice.slug})


def retry_url(message) -> str:
    return reverse(
        "delivery:failed-retry", kwargs={"slug": message.practice.slug, "code": message.code}
    )


def test_an_admin_sees_the_failed_message_and_the_view_is_audited(practice_a, patient, failed):
    admin = factories.make_user("admin-failed", practice_a, Role.ADMIN)

    response = verified_client(admin).get(page(practice_a))

    assert response.status_code == 200
    body = response.content.decode()
    assert "the service kept failing" in body
    assert patient.full_name in body
    assert "Send again" in body
    # Admins need not work the queue: the body of the message stays off this page.
    assert failed.body not in body
    event = AuditEvent.objects.get(action="failed_messages_view")
    assert (event.actor, event.practice, event.patient_ids) == (admin, practice_a, [patient.pk])


def test_the_only_admin_practice_opens_from_the_navigation(practice_a, failed):
    admin = verified_client(factories.make_user("admin-nav", practice_a, Role.ADMIN))

    home = admin.get(reverse("delivery:failed-home"))

    assert home.status_code == 302 and home["Location"] == page(practice_a)
    assert 'href="/delivery/failed/"' in admin.get(page(practice_a)).content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ASSISTANT, Role.CLINICAL])
def test_members_who_are_not_admins_get_403(practice_a, failed, role):
    client = verified_client(factories.make_user(f"{role}-failed", practice_a, role))

    assert client.get(page(practice_a)).status_code == 403
    assert client.post(retry_url(failed)).status_code == 403
    assert Message.objects.count() == 1


def test_an_admin_of_another_practice_gets_404(practice_a, practice_b, failed):
    client = verified_client(factories.make_user("admin-b-failed", practice_b, Role.ADMIN))

    assert client.get(page(practice_a)).status_code == 404
    assert client.post(retry_url(failed)).status_code == 404
    # Their own slug with this practice's message: not on file there.
    own = reverse("delivery:failed-retry", kwargs={"slug": practice_b.slug, "code": failed.code})
    client.post(own)
    assert Message.objects.count() == 1


def test_send_again_twice_queues_one_copy_that_is_sent_once(
    practice_a, failed, fake_twilio, django_capture_on_commit_callbacks
):
    admin = factories.make_user("admin-retry", practice_a, Role.ADMIN)
    client = verified_client(admin)

    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(retry_url(failed), follow=True)
    second = client.post(retry_url(failed), follow=True)

    assert "Queued to send again" in first.content.decode()
    assert "already sent again" in second.content.decode()
    assert len(queued_tasks(callbacks)) == 1
    copy = Message.objects.exclude(pk=failed.pk).get()
    assert (copy.status, copy.body, copy.item) == (Message.Status.QUEUED, failed.body, failed.item)
    letter = DeadLetter.objects.get(object_id=failed.pk)
    assert letter.resolved_by == admin and letter.resolved_at is not None
    assert ItemEvent.objects.filter(item=failed.item, kind="message_retried").count() == 1
    assert AuditEvent.objects.filter(action="failed_message_retry").count() == 1
    assert "Sent again" in second.content.decode()

    now = timezone.now() + timedelta(seconds=1)
    awake_quiet_hours(practice_a, now)
    assert delivery.deliver_message(message_id=copy.pk, now=now) == "sent"
    assert delivery.deliver_message(message_id=copy.pk, now=now) == "not-claimed"
    assert len(fake_twilio.accepted[str(copy.code)]) == 1
    assert fake_twilio.total_posts() == 1


def test_a_reminder_too_close_to_its_appointment_is_not_sent_again(practice_a, patient):
    now = timezone.now()
    appointment = factories.make_appointment(patient, starts_at=now + timedelta(hours=1))
    message = outbound(
        factories.make_item(practice_a, patient=patient),
        now=now,
        purpose="reminder",
        status=Message.Status.FAILED,
    )
    Message.objects.filter(pk=message.pk).update(item=None)  # a reminder has no item
    Reminder.objects.create(
        appointment=appointment, kind="reminder", offset_minutes=1440, due_at=now,
        status=Reminder.Status.FAILED, message=message, created=now, updated=now,
    )  # fmt: skip
    DeadLetter.objects.create(kind="message", object_id=message.pk, reason="x", created=now)
    admin = verified_client(factories.make_user("admin-late", practice_a, Role.ADMIN))

    response = admin.post(retry_url(message), follow=True)

    assert "too close now" in response.content.decode()
    assert Message.objects.count() == 1
    assert DeadLetter.objects.get(object_id=message.pk).resolved_at is None
