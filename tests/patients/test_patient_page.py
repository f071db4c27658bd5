import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from escalation import services as escalation_services
from notes.services import record_note
from queue_app.models import AuditEvent, Consent, ItemEvent, Message, WorkItem
from queue_app.search_terms import reference
from tests import factories
from tests.queue_app.queue_helpers import GOOD_NOTE, NOW, open_item

pytestmark = pytest.mark.django_db


def page_url(patient) -> str:
    return reverse("patients:patient", args=[patient.code])


@pytest.fixture
def gomez(practice_a):
    return factories.make_patient(
        practice_a, first_name="Rosa", last_name="Gómez", date_of_birth=date(1961, 3, 14)
    )


@pytest.fixture
def history(practice_a, gomez, assistant, clinical):
    """A year of a patient's record: one resolved item worked in full, one open phone call,
    an appointment with its reminder, and a STOP."""
    old = open_item(practice_a, gomez, received_at=NOW - timedelta(days=40))
    factories.make_message(
        old,
        direction=Message.Direction.INBOUND,
        status=Message.Status.RECEIVED,
        body="Can I move my visit to Friday?",
        created=NOW - timedelta(days=40),
    )
    factories.make_message(
        old,
        body="We can move it. Which time suits you?",
        sent_by=assistant,
        status=Message.Status.DELIVERED,
        created=NOW - timedelta(days=40, minutes=-10),
    )
    old.call_attempts.create(
        number=1, attempted_at=NOW - timedelta(days=39), outcome="reached", by=assistant
    )
    record_note(item=old, author=assistant, fields=GOOD_NOTE, now=NOW - timedelta(days=39))
    ItemEvent.objects.create(
        item=old,
        service="triage",
        kind="boundary_raised",
        before={"boundary": "administrative"},
        after={"boundary": "clinical"},
        created=NOW - timedelta(days=39, minutes=-5),
    )
    escalation = escalation_services.escalate_item(
        item=old,
        route_kind="clinical",
        reason="asks whether to stop her pills",
        now=NOW - timedelta(days=39, minutes=-10),
        actor=assistant,
    )
    escalation_services.return_escalation(
        escalation=escalation,
        actor=clinical,
        instruction="Book her with Dr. Huang this week",
        now=NOW - timedelta(days=39, minutes=-40),
    )
    WorkItem.objects.filter(pk=old.pk).update(
        status=WorkItem.Status.RESOLVED, resolved_at=NOW - timedelta(days=38)
    )
    open_call = open_item(
        practice_a,
        gomez,
        key="missed_call_callback",
        channel=WorkItem.Channel.VOICEMAIL,
        patient_words="Hi, it's Rosa, please call me back about my referral.",
    )
    appointment = factories.make_appointment(
        gomez, starts_at=NOW + timedelta(days=2), provider_name="Dr. Huang"
    )
    Message.objects.create(
        practice=practice_a,
        patient=gomez,
        direction=Message.Direction.OUTBOUND,
        channel=Message.Channel.SMS,
        body="Reminder: your visit with Dr. Huang is on Friday. Reply C to confirm.",
        status=Message.Status.DELIVERED,
        is_automatic=True,
        purpose="confirmation_request",
        idempotency_key="reminder-test-1",
        created=NOW - timedelta(days=1),
    )
    Consent.objects.create(
        patient=gomez,
        channel=Consent.Channel.SMS,
        granted=False,
        source="STOP keyword",
        recorded_at=NOW - timedelta(hours=2),
    )
    gomez.opted_out_at = NOW - timedelta(hours=2)
    gomez.save(update_fields=["opted_out_at"])
    return {"old": old, "open": open_call, "appointment": appointment}


def test_it_shows_every_kind_of_event_newest_first(client, assistant, gomez, history):
    client.force_login(assistant)
    response = client.get(page_url(gomez))
    assert response.status_code == 200
    body = response.content.decode()
    kinds = re.findall(r'data-kind="([a-z_]+)"', body)
    assert set(kinds) >= {
        "message",
        "words",
        "opened",
        "resolved",
        "call",
        "note",
        "boundary",
        "escalation",
        "returned",
        "appointment",
        "consent",
    }
    times = re.findall(r'<time datetime="([^"]+)"', body)
    assert len(times) == len(kinds)
    assert times == sorted(times, reverse=True)  # newest first
    assert kinds.index("appointment") < kinds.index("returned") < kinds.index("note")
    for text in (
        "Can I move my visit to Friday?",
        "We can move it. Which time suits you?",
        "please call me back about my referral",
        "Reminder: Confirmation request",
        "Book her with Dr. Huang this week",
        "Triage raised this item from administrative to clinical",
        "consent withdrawn",
        "STOP keyword",
        "Call attempt 1",
    ):
        assert text in body, text
    # Both items are named and linked on their lines, and the open one is listed.
    assert reference(history["old"].code) in body
    assert reverse("queue:item", args=[history["open"].code]) in body
    open_list = body[body.index('id="open-h"') :]
    assert reference(history["open"].code) in open_list
    assert reference(history["old"].code) not in open_list


def test_times_are_in_the_practices_time_zone(client, assistant, gomez, history):
    client.force_login(assistant)
    body = client.get(page_url(gomez)).content.decode()
    # 15:00 UTC on 2 March is 10:00 in New York: the STOP two hours before NOW (13:00 UTC).
    assert "Wed 4 Mar 2026 08:00" in body
    assert "Times in America/New_York." in body


def test_it_writes_an_audit_row_with_the_patient(client, assistant, gomez, history):
    client.force_login(assistant)
    client.get(page_url(gomez))
    event = AuditEvent.objects.get(action="patient_view")
    assert event.actor == assistant
    assert event.patient_ids == [gomez.pk]
    assert event.object_code == str(gomez.code)
    assert event.route == "patients:patient"


def test_another_practices_user_gets_404_and_nothing_is_audited(client, outsider, gomez):
    client.force_login(outsider)
    assert client.get(page_url(gomez)).status_code == 404
    assert not AuditEvent.objects.filter(action="patient_view").exists()


def test_a_playbook_admin_without_queue_work_gets_404(client, admin_user, gomez):
    factories.verified_login(client, admin_user)
    assert client.get(page_url(gomez)).status_code == 404


def test_the_clinical_team_may_read_the_record(client, clinical, gomez, history):
    client.force_login(clinical)
    assert client.get(page_url(gomez)).status_code == 200


def test_signed_out_is_sent_to_sign_in(client, gomez):
    response = client.get(page_url(gomez))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_post_is_405(client, assistant, gomez):
    client.force_login(assistant)
    assert client.post(page_url(gomez)).status_code == 405


def test_the_item_panel_links_the_patients_name_to_the_record(client, assistant, gomez, history):
    client.force_login(assistant)
    body = client.get(reverse("queue:item", args=[history["open"].code])).content.decode()
    assert f'href="{page_url(gomez)}"' in body


def test_the_address_holds_no_patient_detail(gomez):
    assert "Rosa" not in page_url(gomez)
    assert "G" not in page_url(gomez).replace(str(gomez.code), "")


def test_a_long_history_is_paged_and_costs_the_same_queries(
    client, assistant, practice_a, gomez, django_assert_max_num_queries
):
    client.force_login(assistant)
    client.get(page_url(gomez))  # the session's first request stamps it
    item = open_item(practice_a, gomez)
    for n in range(3):
        factories.make_message(item, body=f"short {n}", created=NOW - timedelta(minutes=n))
    with django_assert_max_num_queries(20) as short:
        assert client.get(page_url(gomez)).status_code == 200
    for n in range(30):
        other = open_item(practice_a, gomez, received_at=NOW - timedelta(days=n + 1))
        for m in range(4):
            factories.make_message(other, body=f"long {n}.{m}", created=other.received_at)
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(page_url(gomez))
    body = response.content.decode()
    assert body.count("data-kind=") == 50
    # The first page reads one line past itself: more follow, how many is not read.
    assert "Page 1</span>" in body
    assert '<a href="?page=2">Next</a>' in body
    with django_assert_max_num_queries(len(short.captured_queries)):
        last = client.get(page_url(gomez), {"page": 4}).content.decode()
    assert "Page 4 of 4</span>" in last
    assert ">Next</a>" not in last
