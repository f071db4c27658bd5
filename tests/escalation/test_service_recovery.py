"""Service recovery: a complaint opens a recovery flow that reaches the manager."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation import selectors, service_recovery, services
from escalation.models import Alert, Escalation, ServiceRecovery
from queue_app.models import AuditEvent, ItemEvent, WorkItem
from tests import factories
from tests.factories import verified_login


@pytest.fixture
def complaint(practice_a, patient, assistant):
    return factories.make_item(
        practice_a,
        patient=patient,
        key="service_recovery",
        boundary="complaint",
        status="assigned",
        owner=assistant,
        patient_words="Third time I call and nobody calls me back. This is ridiculous.",
    )


def recovery_url(item: WorkItem) -> str:
    return reverse("escalation:item-recovery", args=[item.code])


def form_data(**overrides) -> dict:
    later = timezone.now().astimezone(ZoneInfo("America/New_York")) + timedelta(days=1)
    data = {
        "acknowledged": "on",
        "cause": "no_callback",
        "action": "Apologized; booked the callback with Dr. Lee's nurse.",
        "follow_up_at": later.strftime("%Y-%m-%dT%H:%M"),
        "route_kind": "complaints",
    }
    data.update(overrides)
    return data


def open_recovery(complaint: WorkItem, assistant, cause: str, now: datetime | None = None):
    """The assistant apologizes and promises a follow-up in 4 hours; the complaint escalates."""
    now = now or timezone.now()
    return service_recovery.open_service_recovery(
        item=complaint,
        actor=assistant,
        cause=cause,
        action="Apologized",
        follow_up_at=now + timedelta(hours=4),
        route_kind="complaints",
        now=now,
    )


def test_a_complaint_panel_shows_the_recovery_template_and_form(client, assistant, complaint):
    client.force_login(assistant)

    response = client.get(
        reverse("escalation:item-panel", args=[complaint.code]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "without defending" in body
    assert "sorry for the trouble" in body  # the approved service-recovery response
    assert 'name="cause"' in body


def test_recording_the_recovery_sends_the_complaint_to_the_manager(
    client, assistant, manager, clinical, complaint
):
    client.force_login(assistant)

    response = client.post(recovery_url(complaint), form_data(), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    recovery = ServiceRecovery.objects.get(item=complaint)
    assert recovery.cause == "no_callback"
    assert recovery.status == ServiceRecovery.Status.OPEN
    assert recovery.route.kind == "complaints"
    assert recovery.patient == complaint.patient
    escalation = recovery.escalation
    assert escalation.route.kind == "complaints" and escalation.status == "open"
    complaint.refresh_from_db()
    assert complaint.status == WorkItem.Status.ESCALATED
    assert complaint.follow_up_at == recovery.follow_up_at
    alerts = Alert.objects.filter(escalation=escalation)
    assert [(a.recipient, a.kind) for a in alerts] == [(manager, Alert.Kind.COMPLAINT)]
    assert ItemEvent.objects.filter(item=complaint, kind="service_recovery_opened").exists()
    assert AuditEvent.objects.filter(action="service_recovery_open", actor=assistant).exists()


def test_the_promised_follow_up_is_read_in_the_practice_time_zone(client, assistant, complaint):
    client.force_login(assistant)
    local = datetime.now(ZoneInfo("America/New_York")).replace(second=0, microsecond=0) + timedelta(
        days=2
    )

    client.post(recovery_url(complaint), form_data(follow_up_at=local.strftime("%Y-%m-%dT%H:%M")))

    assert ServiceRecovery.objects.get(item=complaint).follow_up_at == local


def test_the_recovery_needs_the_acknowledgement_and_a_future_follow_up(
    client, assistant, complaint
):
    client.force_login(assistant)
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        recovery_url(complaint),
        form_data(acknowledged="", follow_up_at=past),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert b"must be in the future" in response.content
    assert b"This field is required" in response.content
    assert not ServiceRecovery.objects.exists()


def test_an_already_escalated_complaint_keeps_its_escalation(assistant, complaint):
    now = timezone.now()
    first = services.escalate_item(
        item=complaint, route_kind="complaints", reason="triage: complaint", now=now
    )

    recovery = open_recovery(complaint, assistant, "wait_time", now=now)

    assert recovery.escalation == first
    assert Escalation.objects.filter(item=complaint).count() == 1


def test_the_patients_later_contact_shows_the_open_complaint(
    client, assistant, complaint, practice_a
):
    open_recovery(complaint, assistant, "no_callback")
    later = factories.make_item(practice_a, patient=complaint.patient, key="reschedule")
    client.force_login(assistant)

    body = client.get(
        reverse("escalation:item-panel", args=[later.code]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert selectors.open_complaint_for(complaint.patient).item == complaint
    assert "open complaint" in body
    assert "No callback or reply" in body


def test_the_manager_resolving_the_complaint_closes_the_recovery(
    client, assistant, manager, complaint
):
    recovery = open_recovery(complaint, assistant, "no_callback")
    verified_login(client, manager)

    response = client.post(
        reverse("escalation:resolve", args=[recovery.escalation.code]),
        {"note": "Called her, fee removed"},
    )

    assert response.status_code == 302
    recovery.refresh_from_db()
    assert recovery.status == ServiceRecovery.Status.CLOSED
    assert recovery.outcome == "Called her, fee removed"
    assert recovery.closed_by == manager
    assert selectors.open_complaint_for(complaint.patient) is None
    assert ItemEvent.objects.filter(item=complaint, kind="service_recovery_closed").exists()
    complaint.refresh_from_db()
    assert complaint.status == WorkItem.Status.ASSIGNED


def test_the_manager_closes_a_returned_complaint_from_its_page(
    client, assistant, manager, complaint
):
    now = timezone.now()
    recovery = open_recovery(complaint, assistant, "billing", now=now)
    services.return_escalation(
        escalation=recovery.escalation, actor=manager, instruction="Call her back", now=now
    )
    verified_login(client, manager)

    response = client.post(
        reverse("escalation:recovery-close", args=[recovery.code]),
        {"outcome": "Refund issued"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    recovery.refresh_from_db()
    assert recovery.status == ServiceRecovery.Status.CLOSED
    assert AuditEvent.objects.filter(action="service_recovery_close", actor=manager).exists()


def test_an_assistant_cannot_close_a_complaint(client, assistant, complaint):
    recovery = open_recovery(complaint, assistant, "billing")
    client.force_login(assistant)

    response = client.post(
        reverse("escalation:recovery-close", args=[recovery.code]), {"outcome": "x"}
    )

    assert response.status_code == 403
    recovery.refresh_from_db()
    assert recovery.status == ServiceRecovery.Status.OPEN


def test_an_outsider_gets_404_for_the_recovery(client, outsider, complaint):
    client.force_login(outsider)

    assert client.post(recovery_url(complaint), form_data()).status_code == 404
