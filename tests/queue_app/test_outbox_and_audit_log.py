import pytest
from django.urls import reverse
from django.utils import timezone

from queue_app.models import AuditEvent
from tests.factories import make_message, verified_login

pytestmark = pytest.mark.django_db


def test_the_outbox_shows_bodies_to_queue_workers(client, assistant, item):
    make_message(item)
    client.force_login(assistant)
    response = client.get(reverse("queue:outbox"))
    assert response.status_code == 200
    assert "we got your request" in response.content.decode()
    assert AuditEvent.objects.get(action="outbox_view").patient_ids == [item.patient_id]


def test_the_outbox_hides_bodies_from_non_workers(client, clinical, item):
    make_message(item)
    client.force_login(clinical)
    body = client.get(reverse("queue:outbox")).content.decode()
    assert "we got your request" not in body
    assert "Only people who work" in body


def test_the_outbox_shows_nothing_of_other_practices(client, outsider, item):
    make_message(item)
    client.force_login(outsider)
    assert "we got your request" not in client.get(reverse("queue:outbox")).content.decode()


def test_the_audit_log_is_for_managers(client, assistant, manager, item):
    client.force_login(assistant)
    assert client.get(reverse("queue:audit-log")).status_code == 403
    verified_login(client, manager)
    client.get(reverse("queue:item", args=[item.code]))
    response = client.get(reverse("queue:audit-log"))
    assert response.status_code == 200
    assert "item_view" in response.content.decode()


def test_the_export_is_itself_audited(client, manager, item):
    verified_login(client, manager)
    client.get(reverse("queue:item", args=[item.code]))
    today = timezone.now().date().isoformat()
    response = client.get(reverse("queue:audit-log-export") + f"?date_from={today}")
    text = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert text.splitlines()[0].startswith("created,practice,actor")
    assert "item_view" in text
    assert AuditEvent.objects.filter(action="audit_log_export", actor=manager).exists()


def test_the_outbox_shows_practice_time_not_utc(client, assistant, practice_a, patient):
    from datetime import UTC, datetime

    from queue_app.models import Message

    Message.objects.create(
        practice=practice_a,
        patient=patient,
        direction="out",
        channel="sms",
        body="Hi",
        status="queued",
        idempotency_key="tz-test",
        created=datetime(2026, 3, 2, 15, 30, tzinfo=UTC),  # 10:30 in New York
    )
    client.force_login(assistant)
    body = client.get(reverse("queue:outbox")).content.decode()
    assert "Mon 2 Mar 10:30" in body
    assert "(UTC)" not in body
