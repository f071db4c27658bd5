"""The assistant's item panel, the alert banner, and the routes page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from escalation import services
from escalation.models import Alert, EscalationRoute
from queue_app.models import AuditEvent, ItemEvent, WorkItem
from tests import factories
from tests.factories import verified_login


def panel_url(item: WorkItem) -> str:
    return reverse("escalation:item-panel", args=[item.code])


@pytest.fixture
def owned(item, assistant):
    WorkItem.objects.filter(pk=item.pk).update(status="assigned", owner=assistant)
    item.refresh_from_db()
    return item


def test_the_panel_of_a_plain_item_offers_the_escalate_form(client, assistant, owned):
    client.force_login(assistant)

    response = client.get(panel_url(owned), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Not escalated" in response.content
    assert b'name="route_kind"' in response.content
    assert b"alert-urgent" not in response.content
    audit = AuditEvent.objects.get(action="escalation_item_panel")
    assert audit.patient_ids == [owned.patient_id]


def test_the_panel_works_without_htmx_as_a_page(client, assistant, owned):
    client.force_login(assistant)

    response = client.get(panel_url(owned))

    assert response.status_code == 200
    assert b"<html" in response.content


def test_an_outsider_gets_404_for_the_panel(client, outsider, owned):
    client.force_login(outsider)

    assert client.get(panel_url(owned)).status_code == 404
    escalate = reverse("escalation:item-escalate", args=[owned.code])
    assert client.post(escalate, {"route_kind": "clinical", "reason": "x"}).status_code == 404


def test_the_clinical_team_reads_the_panel_but_cannot_escalate(client, clinical, owned):
    client.force_login(clinical)

    assert client.get(panel_url(owned)).status_code == 200
    escalate = reverse("escalation:item-escalate", args=[owned.code])
    assert client.post(escalate, {"route_kind": "clinical", "reason": "x"}).status_code == 403


def test_escalate_from_the_panel_hands_the_item_to_the_route(client, assistant, clinical, owned):
    client.force_login(assistant)

    response = client.post(
        reverse("escalation:item-escalate", args=[owned.code]),
        {"route_kind": "clinical", "reason": "asks if she can take ibuprofen"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert "queue-changed" in response.headers["HX-Trigger"]
    owned.refresh_from_db()
    escalation = services.open_escalation(owned)
    assert owned.status == WorkItem.Status.ESCALATED
    assert escalation.route.kind == "clinical" and escalation.created_by == assistant
    assert ItemEvent.objects.filter(item=owned, kind="escalated", actor=assistant).exists()
    assert AuditEvent.objects.filter(action="escalation_escalate", actor=assistant).exists()
    assert Alert.objects.filter(escalation=escalation, recipient=clinical).exists()
    # What to tell the patient meanwhile: the clinical route's script.
    assert b"clinical team" in response.content


def test_escalate_without_a_reason_re_renders_the_form(client, assistant, owned):
    client.force_login(assistant)

    response = client.post(
        reverse("escalation:item-escalate", args=[owned.code]),
        {"route_kind": "clinical", "reason": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert b"This field is required" in response.content
    owned.refresh_from_db()
    assert owned.status == WorkItem.Status.ASSIGNED


def test_get_on_escalate_is_405(client, assistant, owned):
    client.force_login(assistant)

    assert client.get(reverse("escalation:item-escalate", args=[owned.code])).status_code == 405


def test_an_urgent_item_shows_the_emergency_script_in_the_patients_language(
    client, assistant, practice_a
):
    patient = factories.make_patient(practice_a, preferred_language="es")
    item = factories.make_item(practice_a, patient=patient, language="es")
    services.escalate_item(
        item=item, route_kind="urgent", reason="dolor de pecho", now=timezone.now()
    )
    spanish = services.route_for(practice=practice_a, kind="urgent").patient_script["es"]
    client.force_login(assistant)

    response = client.get(panel_url(item), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert 'class="alert-urgent"' in body
    assert spanish in body


def test_an_urgent_item_shows_the_practice_emergency_script(client, assistant, practice_a):
    practice_a.emergency_script = "Hang up and call 911. Mercy ER is open all night."
    practice_a.save()
    item = factories.make_item(practice_a, patient=factories.make_patient(practice_a))
    services.escalate_item(item=item, route_kind="urgent", reason="x", now=timezone.now())
    client.force_login(assistant)

    body = client.get(panel_url(item), HTTP_HX_REQUEST="true").content.decode()

    assert "Hang up and call 911. Mercy ER is open all night." in body


def test_the_alert_banner_shows_open_urgent_escalations_with_the_script(
    client, assistant, practice_a, item
):
    services.escalate_item(item=item, route_kind="urgent", reason="x", now=timezone.now())
    client.force_login(assistant)

    response = client.get(reverse("escalation:alerts"), HTTP_X_BACKGROUND_POLL="1")

    body = response.content.decode()
    assert response.status_code == 200
    assert "alert-urgent" in body
    assert practice_a.emergency_script in body
    assert item.patient.last_name not in body  # no patient details on every page
    assert reverse("escalation:item-panel", args=[item.code]) in body


def test_the_alert_banner_hides_other_practices_urgent_escalations(client, outsider, item):
    services.escalate_item(item=item, route_kind="urgent", reason="x", now=timezone.now())
    client.force_login(outsider)

    body = client.get(reverse("escalation:alerts")).content.decode()

    assert "alert-urgent" not in body


def test_the_alert_poll_does_not_keep_the_session_alive(client, assistant):
    client.force_login(assistant)
    session = client.session
    session["last_activity"] = 1000.0
    session["idle_limit"] = 10**12
    session.save()

    client.get(reverse("escalation:alerts"), HTTP_X_BACKGROUND_POLL="1")

    assert client.session["last_activity"] == 1000.0


def test_the_alert_poll_stops_when_signed_out(client):
    response = client.get(reverse("escalation:alerts"), HTTP_HX_REQUEST="true")

    assert response.status_code == 286


def test_the_alert_poll_query_count_is_small(
    client, clinical, practice_a, django_assert_max_num_queries
):
    for _ in range(3):
        item = factories.make_item(practice_a, patient=factories.make_patient(practice_a))
        services.escalate_item(item=item, route_kind="urgent", reason="x", now=timezone.now())
    client.force_login(clinical)
    client.get(reverse("escalation:alerts"))

    # session, user, OTP device, roles, the urgent escalations, the alerts.
    with django_assert_max_num_queries(6):
        client.get(reverse("escalation:alerts"), HTTP_X_BACKGROUND_POLL="1")


def test_a_manager_dismisses_an_overdue_alert(client, manager, item):
    now = timezone.now()
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)
    services.escalate_overdue_acknowledgements(now=now + timedelta(hours=2))
    alert = Alert.objects.get(escalation=escalation, recipient=manager, kind="overdue")
    verified_login(client, manager)
    assert b"Acknowledgement overdue" in client.get(reverse("escalation:alerts")).content

    response = client.post(
        reverse("escalation:alert-seen", args=[alert.code]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    alert.refresh_from_db()
    assert alert.seen_at is not None
    assert b"Acknowledgement overdue" not in response.content


def test_someone_elses_alert_cannot_be_dismissed(client, clinical, manager, item):
    now = timezone.now()
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)
    services.escalate_overdue_acknowledgements(now=now + timedelta(hours=2))
    alert = Alert.objects.get(escalation=escalation, recipient=manager, kind="overdue")
    client.force_login(clinical)

    assert client.post(reverse("escalation:alert-seen", args=[alert.code])).status_code == 404


def test_the_base_page_polls_the_alerts_only_when_signed_in(client, assistant):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("escalation:alerts") not in login_page

    client.force_login(assistant)
    body = client.get(panel_url(factories.make_item(assistant_practice(assistant)))).content
    assert b'hx-headers=\'{"X-Background-Poll": "1"}\'' in body
    assert reverse("escalation:alerts").encode() in body


def assistant_practice(user):
    from queue_app.access import WORK, practices_for

    return practices_for(user, WORK).get()


def test_an_admin_edits_a_route(client, admin_user, practice_a, clinical, manager):
    verified_login(client, admin_user)
    url = reverse("escalation:route-edit", args=[practice_a.slug, "clinical"])
    assert client.get(reverse("escalation:routes")).status_code == 200

    response = client.post(
        url,
        {
            "name": "RN pool",
            "ack_minutes": "30",
            "backup": str(manager.pk),
            "recipients": [str(clinical.pk)],
            "script_en": "A nurse will call you today.",
            "script_es": "Una enfermera le llamará hoy.",
        },
    )

    assert response.status_code == 302
    route = EscalationRoute.objects.get(practice=practice_a, kind="clinical")
    assert (route.name, route.ack_minutes, route.backup) == ("RN pool", 30, manager)
    assert list(route.recipients.all()) == [clinical]
    assert route.patient_script == {
        "en": "A nurse will call you today.",
        "es": "Una enfermera le llamará hoy.",
    }


def test_the_urgent_route_keeps_an_emergency_script(client, admin_user, practice_a):
    verified_login(client, admin_user)
    url = reverse("escalation:route-edit", args=[practice_a.slug, "urgent"])

    response = client.post(url, {"name": "Urgent", "ack_minutes": "5", "script_en": ""})

    assert response.status_code == 200
    assert b"needs the emergency script" in response.content


def test_an_assistant_cannot_edit_routes(client, assistant, practice_a):
    client.force_login(assistant)

    assert client.get(reverse("escalation:routes")).status_code == 403
    url = reverse("escalation:route-edit", args=[practice_a.slug, "clinical"])
    assert client.post(url, {"name": "x", "ack_minutes": "1"}).status_code == 403


def test_an_outsider_gets_404_for_a_practice_route(client, outsider, practice_a):
    client.force_login(outsider)

    url = reverse("escalation:route-edit", args=[practice_a.slug, "clinical"])
    assert client.get(url).status_code == 404


def test_the_second_factor_page_does_not_poll_the_alerts(client, manager):
    # The poll would be answered by a redirect to this very page, reloading it mid-code.
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    client.force_login(manager)

    body = client.get(reverse("account-2fa-verify")).content.decode()

    assert reverse("escalation:alerts") not in body


def test_identical_overdue_alerts_stack_into_one_line_and_dismiss_together(
    client, manager, practice_a
):
    now = timezone.now()
    for _ in range(6):
        item = factories.make_item(practice_a, patient=factories.make_patient(practice_a))
        services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)
    services.escalate_overdue_acknowledgements(now=now + timedelta(hours=2))
    alerts = Alert.objects.filter(recipient=manager, kind="overdue")
    assert alerts.count() == 6
    verified_login(client, manager)
    body = client.get(reverse("escalation:alerts")).content.decode()
    assert body.count("Acknowledgement overdue") == 1
    assert "(6 escalations)" in body
    also = [str(a.code) for a in alerts[1:]]
    client.post(
        reverse("escalation:alert-seen", args=[alerts[0].code]),
        {"also": also},
        HTTP_HX_REQUEST="true",
    )
    assert not Alert.objects.filter(recipient=manager, kind="overdue", seen_at=None).exists()
