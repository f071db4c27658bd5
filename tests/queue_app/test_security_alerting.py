"""Security alerting: a spike of forged webhooks or refused requests tells the practice's admins
once per window, by email and on a banner; below the threshold nothing is raised."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from queue_app import alerting
from queue_app.models import AuditEvent, Role
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db
SENDER = "+12025550142"
WORDS = "my rash is worse"


@pytest.fixture(autouse=True)
def one_window(settings):
    """One window for the whole test: a 10-minute boundary mid-test would split the count.
    (tests/conftest.py clears the counters around every test.)"""
    settings.SECURITY_ALERT_WINDOW_MINUTES = 60 * 24 * 365
    settings.TWILIO_AUTH_TOKEN = "12345678901234567890123456789012"
    settings.TWILIO_VALIDATE_SIGNATURES = True


@pytest.fixture
def admin_a(practice_a):
    return factories.make_user(
        "admin-alerts-a", practice_a, Role.ADMIN, email="admin-a@example.org"
    )


@pytest.fixture
def admin_b(practice_b):
    return factories.make_user(
        "admin-alerts-b", practice_b, Role.ADMIN, email="admin-b@example.org"
    )


def forge(practice, times: int, capture) -> list[int]:
    client = Client()
    form = {"MessageSid": "SM" + "f" * 32, "From": SENDER, "To": practice.phone, "Body": WORDS}
    with capture(execute=True):
        return [
            client.post(reverse("twilio:sms"), form, HTTP_X_TWILIO_SIGNATURE="forged").status_code
            for _ in range(times)
        ]


def banner(user) -> str:
    page = verified_client(user).get(reverse("queue:audit-log"))
    assert page.status_code == 200
    return page.content.decode()


def test_twenty_forged_webhooks_email_the_admins_once_and_show_the_banner(
    practice_a, admin_a, admin_b, django_capture_on_commit_callbacks
):
    statuses = forge(practice_a, 25, django_capture_on_commit_callbacks)

    assert set(statuses) == {403}
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["admin-a@example.org"]
    assert "20 texts or calls claiming to come from Twilio were refused" in email.body
    assert "/audit-log/" in email.body
    # Counts only: nothing the forger sent reaches the email.
    assert SENDER not in email.body and WORDS not in email.body
    alert = AuditEvent.objects.get(service=alerting.SERVICE)
    assert (alert.practice, alert.action) == (practice_a, "alert_webhook_rejections")
    assert alerting.refusal_count(
        kind=alerting.WEBHOOK_REJECTED, practice_id=practice_a.pk, now=timezone.now()
    ) == 25  # fmt: skip

    page = banner(admin_a)
    assert "Security alert" in page and "refused for a bad signature" in page
    # The other practice's admin is told nothing.
    assert "Security alert" not in banner(admin_b)


def test_below_the_threshold_nothing_is_raised(
    practice_a, admin_a, django_capture_on_commit_callbacks
):
    statuses = forge(practice_a, 19, django_capture_on_commit_callbacks)

    assert set(statuses) == {403}
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(service=alerting.SERVICE).exists()
    assert "Security alert" not in banner(admin_a)


def test_a_member_probing_other_practices_records_alerts_their_admins(
    settings, practice_a, practice_b, admin_a, assistant, django_capture_on_commit_callbacks
):
    settings.DENIAL_ALERT_THRESHOLD = 5
    others = [factories.make_item(practice_b) for _ in range(6)]
    client = verified_client(assistant)

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.get(reverse("queue:item", kwargs={"code": item.code})).status_code
            for item in others
        ]

    assert statuses == [404] * 6
    assert [email.to for email in mail.outbox] == [["admin-a@example.org"]]
    assert "5 requests by people of your practice were refused" in mail.outbox[0].body
    alert = AuditEvent.objects.get(service=alerting.SERVICE)
    assert (alert.practice, alert.action) == (practice_a, "alert_access_denials")
    assert "Security alert" in banner(admin_a)


def test_each_window_alerts_once_and_the_next_window_again(settings, practice_a, admin_a):
    settings.SECURITY_ALERT_WINDOW_MINUTES = 10
    settings.WEBHOOK_REJECTION_ALERT_THRESHOLD = 3
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    later = start + timedelta(minutes=10)

    def refuse(now, times: int) -> int:
        return sum(
            alerting.record_refusal(
                kind=alerting.WEBHOOK_REJECTED, practice_ids=[practice_a.pk], now=now
            )
            for _ in range(times)
        )

    assert refuse(start, 2) == 0
    assert refuse(start + timedelta(minutes=9), 8) == 1
    assert refuse(later, 3) == 1
    assert AuditEvent.objects.filter(action="alert_webhook_rejections").count() == 2
