"""Every view that shows a patient's data writes an audit event naming that patient."""

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation import services as escalation_services
from queue_app.models import AuditEvent, Role
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(practice_a, patient):
    now = timezone.now()
    assistant = factories.make_user("assistant-au", practice_a, Role.ASSISTANT, ["en", "es"])
    manager = factories.make_user("manager-au", practice_a, Role.MANAGER)
    item = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    escalation = escalation_services.escalate_item(
        item=item, route_kind="clinical", reason="asks about a dose", now=now, actor=assistant
    )
    reviewed = factories.make_item(practice_a, patient=patient, key="cancel")
    review = factories.make_review(reviewed, assistant, now.date(), created=now)
    return {
        "assistant": verified_client(assistant),
        "manager": verified_client(manager),
        "item": item,
        "escalation": escalation,
        "review": review,
    }


def audited(client, url: str, patient_id: int) -> bool:
    before = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 200, url
    new = AuditEvent.objects.order_by("id")[before:]
    return any(patient_id in event.patient_ids and event.actor_id for event in new)


def test_each_patient_data_view_writes_its_audit_event(world, patient):
    item, escalation, review = world["item"], world["escalation"], world["review"]
    cases = [
        ("assistant", reverse("queue:queue") + "?scope=all&block=all"),
        ("assistant", reverse("queue:item", kwargs={"code": item.code})),
        ("assistant", reverse("queue:item-conversation", kwargs={"code": item.code})),
        ("assistant", reverse("notes:item-notes", kwargs={"code": item.code})),
        ("assistant", reverse("escalation:item-panel", kwargs={"code": item.code})),
        ("assistant", reverse("patients:patient", kwargs={"code": patient.code})),
        ("manager", reverse("escalation:inbox")),
        ("manager", reverse("escalation:detail", kwargs={"code": escalation.code})),
        ("manager", reverse("notes:qa-review", kwargs={"code": review.code})),
    ]
    missing = [url for who, url in cases if not audited(world[who], url, patient.pk)]
    assert missing == []


def test_audit_rows_carry_ids_not_bodies(world, patient):
    world["assistant"].get(reverse("queue:item", kwargs={"code": world["item"].code}))
    for event in AuditEvent.objects.all():
        text = " ".join(str(v) for v in (event.route, event.object_type, event.object_code))
        assert patient.last_name not in text and patient.phone not in text
