"""The escalation inbox and its actions: acknowledge, resolve, send back, judge."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation import services
from escalation.models import Escalation
from queue_app.models import AuditEvent, ItemEvent, WorkItem
from tests import factories
from tests.factories import verified_login


@pytest.fixture
def escalation(item, assistant):
    WorkItem.objects.filter(pk=item.pk).update(status="assigned", owner=assistant)
    item.refresh_from_db()
    return services.escalate_item(
        item=item,
        route_kind="clinical",
        reason="asks whether to keep taking metformin",
        now=timezone.now(),
        actor=assistant,
    )


def url(name: str, escalation: Escalation) -> str:
    return reverse(f"escalation:{name}", args=[escalation.code])


def test_the_inbox_lists_open_escalations_with_the_patient_words(client, clinical, escalation):
    client.force_login(clinical)

    response = client.get(reverse("escalation:inbox"))

    body = response.content.decode()
    assert response.status_code == 200
    assert escalation.item.patient_words in body
    assert escalation.item.patient.last_name in body
    audit = AuditEvent.objects.get(action="escalation_inbox_view")
    assert audit.actor == clinical
    assert audit.patient_ids == [escalation.item.patient_id]


def test_the_inbox_lists_overdue_escalations_first(client, clinical, practice_a, escalation):
    now = timezone.now()
    other = factories.make_item(practice_a, patient=factories.make_patient(practice_a))
    late = services.escalate_item(item=other, route_kind="billing", reason="x", now=now)
    Escalation.objects.filter(pk=late.pk).update(ack_due_at=now - timedelta(minutes=5))
    client.force_login(clinical)

    body = client.get(reverse("escalation:inbox")).content.decode()

    assert body.index(str(late.code)) < body.index(str(escalation.code))


def test_the_resolved_view_lists_the_newest_first(client, clinical, practice_a, escalation):
    now = timezone.now()
    other = factories.make_item(practice_a, patient=factories.make_patient(practice_a))
    newer = services.escalate_item(item=other, route_kind="billing", reason="x", now=now)
    Escalation.objects.filter(pk=escalation.pk).update(
        status="resolved", acknowledged_at=now, resolved_at=now, created=now - timedelta(days=30)
    )
    Escalation.objects.filter(pk=newer.pk).update(
        status="resolved", acknowledged_at=now, resolved_at=now
    )
    client.force_login(clinical)

    body = client.get(reverse("escalation:inbox") + "?view=resolved").content.decode()

    assert body.index(str(newer.code)) < body.index(str(escalation.code))


def test_the_inbox_hides_other_practices(client, clinical, practice_b, escalation):
    foreign_item = factories.make_item(practice_b, patient=factories.make_patient(practice_b))
    foreign = services.escalate_item(
        item=foreign_item, route_kind="clinical", reason="x", now=timezone.now()
    )
    client.force_login(clinical)

    body = client.get(reverse("escalation:inbox")).content.decode()

    assert str(escalation.code) in body
    assert str(foreign.code) not in body


def test_htmx_inbox_filter_gets_the_list_fragment(client, clinical, escalation):
    client.force_login(clinical)

    response = client.get(reverse("escalation:inbox") + "?view=resolved", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Nothing here" in response.content


def test_an_assistant_without_the_role_gets_403(client, assistant, escalation):
    client.force_login(assistant)

    assert client.get(reverse("escalation:inbox")).status_code == 403
    assert client.get(url("detail", escalation)).status_code == 403
    assert client.post(url("acknowledge", escalation)).status_code == 403


def test_an_outsider_gets_404(client, outsider, escalation):
    client.force_login(outsider)

    assert client.get(url("detail", escalation)).status_code == 404
    assert client.post(url("acknowledge", escalation)).status_code == 404
    assert client.post(url("judge", escalation), {"verdict": "appropriate"}).status_code == 404


def test_get_on_an_action_is_405(client, clinical, escalation):
    client.force_login(clinical)

    for name in ("acknowledge", "resolve", "return", "judge"):
        assert client.get(url(name, escalation)).status_code == 405


def test_the_detail_shows_the_context_and_is_audited(client, clinical, escalation):
    client.force_login(clinical)

    response = client.get(url("detail", escalation))

    assert response.status_code == 200
    assert escalation.reason in response.content.decode()
    audit = AuditEvent.objects.get(action="escalation_view")
    assert audit.object_code == str(escalation.code)


def test_acknowledge_records_who_and_when(client, clinical, escalation):
    client.force_login(clinical)

    response = client.post(url("acknowledge", escalation))

    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by == clinical
    assert ItemEvent.objects.filter(kind="escalation_acknowledged", actor=clinical).exists()
    assert AuditEvent.objects.filter(action="escalation_acknowledge", actor=clinical).exists()


def test_htmx_acknowledge_gets_the_actions_fragment(client, clinical, escalation):
    client.force_login(clinical)

    response = client.post(url("acknowledge", escalation), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Acknowledged" in response.content
    assert "escalation-changed" in response.headers["HX-Trigger"]


def test_acknowledging_twice_shows_an_error_and_changes_nothing(client, clinical, escalation):
    client.force_login(clinical)
    client.post(url("acknowledge", escalation))

    response = client.post(url("acknowledge", escalation), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"already acknowledged" in response.content
    assert ItemEvent.objects.filter(kind="escalation_acknowledged").count() == 1


def test_resolve_closes_the_escalation_and_hands_the_item_back(
    client, clinical, assistant, escalation
):
    client.force_login(clinical)

    response = client.post(url("resolve", escalation), {"note": "RN advised the patient"})

    assert response.status_code == 302
    escalation.refresh_from_db()
    item = WorkItem.objects.get(pk=escalation.item_id)
    assert escalation.status == Escalation.Status.RESOLVED
    assert escalation.resolved_by == clinical
    assert escalation.resolution_note == "RN advised the patient"
    assert item.status == WorkItem.Status.ASSIGNED and item.owner == assistant
    assert ItemEvent.objects.filter(kind="escalation_resolved", actor=clinical).exists()
    assert AuditEvent.objects.filter(action="escalation_resolve").exists()


def test_send_back_needs_an_instruction(client, clinical, escalation):
    client.force_login(clinical)

    response = client.post(url("return", escalation), {"instruction": ""}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"This field is required" in response.content
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN
    assert not AuditEvent.objects.filter(action="escalation_return").exists()


def test_send_back_returns_the_item_to_its_owner_with_the_instruction(
    client, clinical, assistant, escalation
):
    client.force_login(clinical)

    response = client.post(url("return", escalation), {"instruction": "Offer Dr. Lee at 3 PM"})

    assert response.status_code == 302
    escalation.refresh_from_db()
    item = WorkItem.objects.get(pk=escalation.item_id)
    assert escalation.status == Escalation.Status.RETURNED
    assert escalation.instruction == "Offer Dr. Lee at 3 PM"
    assert item.status == WorkItem.Status.ASSIGNED and item.owner == assistant
    event = ItemEvent.objects.get(kind="escalation_returned")
    assert event.after["instruction"] == "Offer Dr. Lee at 3 PM"
    assert AuditEvent.objects.filter(action="escalation_return").exists()
    client.force_login(assistant)
    panel = client.get(reverse("escalation:item-panel", args=[item.code]), HTTP_HX_REQUEST="true")
    assert b"Offer Dr. Lee at 3 PM" in panel.content


def test_judge_records_the_verdict_for_the_scorecard(client, manager, escalation):
    verified_login(client, manager)

    response = client.post(url("judge", escalation), {"verdict": "not_needed"})

    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.judged_appropriate is False
    assert escalation.judged_by == manager
    assert ItemEvent.objects.filter(kind="escalation_judged", actor=manager).exists()
    assert AuditEvent.objects.filter(action="escalation_judge").exists()


def test_an_invalid_verdict_re_renders_with_status_200(client, manager, escalation):
    verified_login(client, manager)

    response = client.post(url("judge", escalation), {"verdict": "maybe"})

    assert response.status_code == 200
    escalation.refresh_from_db()
    assert escalation.judged_appropriate is None


def test_the_inbox_query_count_does_not_grow_with_rows(
    client, clinical, practice_a, escalation, django_assert_max_num_queries
):
    for _ in range(10):
        item = factories.make_item(practice_a, patient=factories.make_patient(practice_a))
        services.escalate_item(item=item, route_kind="clinical", reason="x", now=timezone.now())
    client.force_login(clinical)
    client.get(reverse("escalation:inbox"))  # warm the session

    with django_assert_max_num_queries(16):
        response = client.get(reverse("escalation:inbox"))

    assert response.content.decode().count("escalation-table") == 1
