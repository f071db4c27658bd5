from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from queue_app.models import AuditEvent, WorkItem
from tests import factories
from tests.queue_app.queue_helpers import verified

pytestmark = pytest.mark.django_db


def url(item):
    return reverse("queue:item", args=[item.code])


def test_it_shows_the_words_context_and_playbook(client, assistant, item):
    client.force_login(assistant)
    response = client.get(url(item))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert item.patient_words in body
    assert escape(item.moment.text("likely_question", "en")) in body
    assert "Date of birth" in body  # the verification checklist
    assert "SMS: " in body  # consent per channel


def test_htmx_gets_the_panel_fragment(client, assistant, item):
    client.force_login(assistant)
    response = client.get(url(item), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'class="card item-panel"' in body


def test_viewing_an_item_is_audited(client, assistant, item):
    client.force_login(assistant)
    client.get(url(item))
    event = AuditEvent.objects.get(action="item_view")
    assert event.patient_ids == [item.patient_id]
    assert event.object_code == str(item.code)


def test_an_outsider_gets_404(client, outsider, item):
    client.force_login(outsider)
    assert client.get(url(item)).status_code == 404
    assert not AuditEvent.objects.filter(action="item_view").exists()


def test_care_details_wait_for_identity(client, assistant, practice_a, patient):
    appointment = factories.make_appointment(patient, provider_name="Dr. Okafor")
    item = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    client.force_login(assistant)
    body = client.get(url(item)).content.decode()
    assert "Dr. Okafor" not in body
    assert "Shown once identity is verified" in body
    verified(item)
    body = client.get(url(item)).content.decode()
    assert "Dr. Okafor" in body
    assert appointment.provider_name in body
    assert ">Send</button>" in body  # the composer, filled for this patient


def test_urgent_items_show_the_emergency_script(client, assistant, practice_a, patient):
    item = factories.make_item(practice_a, patient=patient, boundary="urgent", status="escalated")
    client.force_login(assistant)
    body = client.get(url(item)).content.decode()
    assert "alert-urgent" in body
    assert practice_a.emergency_script in body


def test_a_channel_refusal_is_explained(client, assistant, practice_a, patient):
    patient.opted_out_at = timezone.now() - timedelta(days=1)
    patient.save()
    item = verified(
        factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    )
    client.force_login(assistant)
    body = client.get(url(item)).content.decode()
    assert "opted out of text messages" in body


def test_the_notes_and_escalation_widgets_load_lazily(client, assistant, item):
    client.force_login(assistant)
    body = client.get(url(item)).content.decode()
    assert f'hx-get="{reverse("notes:item-notes", args=[item.code])}"' in body
    assert f'hx-get="{reverse("escalation:item-panel", args=[item.code])}"' in body


def test_a_clinical_member_reads_but_gets_no_actions(client, clinical, item):
    client.force_login(clinical)
    body = client.get(url(item)).content.decode()
    assert reverse("queue:item-claim", args=[item.code]) not in body


def test_the_panel_query_count_does_not_grow_with_history(
    client, assistant, practice_a, patient, django_assert_max_num_queries
):
    item = verified(
        factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    )
    factories.make_appointment(patient)
    for _ in range(8):
        factories.make_item(practice_a, patient=patient)
    client.force_login(assistant)
    client.get(url(item))
    # 25: the queue's nine-query frame (less the queue's own), the item, the channel rules
    # of both written channels, consents, appointments, other open items, the audit row.
    # History (the 8 other items) adds none: they come in one query. One more (26): whether
    # an appointment is on file, which decides if "appointment on file" may be ticked.
    # The conversation adds four (30): its five queries (messages, calls, notes, escalations,
    # triage events) and its poll marker, less the two it replaced (calls, sent messages).
    # One more (31): a reply in the assistant's own words kept on the server (notes.drafts).
    # The written channels' rules, consents and history read once for both (28).
    with django_assert_max_num_queries(28):
        assert client.get(url(item)).status_code == 200
    assert WorkItem.objects.filter(patient=patient).count() == 9


def test_the_status_line_follows_an_escalation_made_beside_it(
    client, assistant, practice_a, patient
):
    from django.utils import timezone

    from escalation.services import escalate_item

    item = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    client.force_login(assistant)
    panel = client.get(url(item), headers={"HX-Request": "true"}).content.decode()
    head_url = reverse("queue:item-head", args=[item.code])
    assert head_url in panel and "queue-changed from:body" in panel
    escalate_item(
        item=item,
        route_kind="clinical",
        reason="asks about a rash",
        now=timezone.now(),
        actor=assistant,
    )
    head = client.get(head_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in head
    assert "Status: <strong>Escalated</strong>" in head


def test_no_appointment_means_the_box_is_not_offered(client, assistant, practice_a, patient):
    item = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    client.force_login(assistant)
    body = client.get(url(item)).content.decode()
    assert 'value="appointment_on_file"' not in body
    assert "No appointment on file" in body


def test_no_raw_keys_reach_the_panel(client, assistant, practice_a, patient):
    from queue_app import lanes

    item = factories.make_item(
        practice_a, patient=patient, owner=assistant, status="assigned", key="form_reminder"
    )
    item.moment.name = {}  # a practice playbook without its own name for the moment
    item.moment.save(update_fields=["name"])
    verified(item)
    client.force_login(assistant)
    body = client.get(url(item)).content.decode()
    assert lanes.label("form_reminder") in body
    assert "form_reminder" not in body
    # The form reminder needs an appointment this patient does not have.
    assert "appointment_date" not in body and "an appointment date" in body
