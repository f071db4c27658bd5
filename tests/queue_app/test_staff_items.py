"""Staff enter a front-desk call, a walk-in, a fax or a hand-off: the new-item form."""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation.models import Escalation
from queue_app.access import grant_role
from queue_app.models import AuditEvent, ItemEvent, Patient, Role, StaffEntry, WorkItem
from queue_app.services import staff_intake
from reports.metrics import compute_scorecard
from reports.weeks import iso_week
from tests import factories
from tests.concurrency import at_once
from tests.factories import verified_login
from tests.queue_app.queue_helpers import NOW

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
NEW = reverse("queue:item-new")
URGENT_WORDS = "my father has chest pain and can't breathe"


@pytest.fixture
def gomez(practice_a):
    return factories.make_patient(
        practice_a,
        first_name="Ana",
        last_name="Gómez",
        date_of_birth=date(1961, 3, 14),
        phone="+13055550142",
    )


def post(client, **fields):
    data = {"channel": "front_desk", "words": "", "token": str(uuid4()), "preferred_language": "en"}
    data.update(fields)
    return client.post(NEW, data, headers=HTMX)


def test_a_front_desk_call_with_urgent_words_lands_urgent_on_the_urgent_route(
    client, assistant, gomez
):
    client.force_login(assistant)
    response = post(client, patient=str(gomez.code), words=URGENT_WORDS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the new item's panel, swapped into the queue's panel
    assert 'class="alert-urgent"' in html and "Urgent" in html
    assert response.headers["HX-Trigger"] == '{"queue-changed": {}}'
    item = WorkItem.objects.get(patient=gomez)
    assert item.channel == WorkItem.Channel.FRONT_DESK
    assert item.boundary == WorkItem.Boundary.URGENT
    assert item.status == WorkItem.Status.ESCALATED
    assert item.patient_words == URGENT_WORDS
    assert Escalation.objects.get(item=item).route.kind == "urgent"
    created = ItemEvent.objects.get(item=item, kind="created")
    assert created.actor == assistant and created.after["channel"] == "front_desk"
    audit = AuditEvent.objects.get(action="item_create")
    assert audit.actor == assistant and audit.patient_ids == [gomez.pk]
    # It is in the queue, first.
    queue = client.get(reverse("queue:queue") + "?block=")
    assert queue.context["rows"][0].pk == item.pk


def test_routine_words_land_in_their_lane_with_the_channel_recorded(client, assistant, gomez):
    client.force_login(assistant)
    post(
        client, channel="walk_in", patient=str(gomez.code), words="I need to cancel my appointment"
    )
    item = WorkItem.objects.get(patient=gomez)
    assert item.moment.key == "cancel"
    assert item.channel == WorkItem.Channel.WALK_IN
    assert item.boundary == WorkItem.Boundary.ADMINISTRATIVE
    assert item.owner == assistant  # assigned by the practice's rule, like any new item
    assert item.get_channel_display() == "Walk-in"


def test_a_new_patient_is_put_on_file_with_the_phone_in_e164(client, assistant, practice_a):
    client.force_login(assistant)
    response = post(
        client,
        channel="fax",
        words="Referral paperwork for the cardiology visit",
        practice="alpha",
        first_name="Luis",
        last_name="Ortega",
        date_of_birth="7/2/1958",
        phone="(305) 555-0177",
        preferred_language="es",
        sms_consent="on",
    )
    assert response.status_code == 200
    patient = Patient.objects.get(last_name="Ortega")
    consent = patient.consents.get()
    assert (consent.channel, consent.granted, consent.recorded_by) == ("sms", True, assistant)
    assert patient.practice == practice_a
    assert patient.phone == "+13055550177"
    assert patient.date_of_birth == date(1958, 7, 2)
    item = WorkItem.objects.get(patient=patient)
    assert item.channel == "fax" and item.language == "es"
    assert ItemEvent.objects.filter(item=item, kind="patient_created", actor=assistant).exists()


def test_a_bad_phone_is_refused_beside_the_field_and_nothing_is_saved(client, assistant):
    client.force_login(assistant)
    response = post(
        client,
        words="Wants a callback about the bill",
        practice="alpha",
        first_name="Luis",
        last_name="Ortega",
        date_of_birth="7/2/1958",
        phone="555-12",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is not a valid phone number; check the digits." in html
    assert "Wants a callback about the bill" in html  # what was typed is kept
    assert 'value="Ortega"' in html
    assert not Patient.objects.filter(last_name="Ortega").exists()
    assert not WorkItem.objects.exists() and not StaffEntry.objects.exists()


def test_missing_fields_are_named_beside_each(client, assistant):
    client.force_login(assistant)
    response = post(client, channel="", words="", practice="alpha")
    html = response.content.decode()
    assert "Choose how the request came in." in html
    assert "Write down the patient&#x27;s request in their words." in html
    assert html.count("Needed for a new patient.") == 3
    assert not WorkItem.objects.exists()


def test_a_patient_already_on_file_is_not_created_twice(client, assistant, gomez):
    client.force_login(assistant)
    response = post(
        client,
        words="Question about my bill",
        practice="alpha",
        first_name="ana",
        last_name="Gomez",
        date_of_birth="1961-03-14",
    )
    assert "already on file" in response.content.decode()
    assert Patient.objects.filter(date_of_birth=date(1961, 3, 14)).count() == 1
    assert not WorkItem.objects.exists()


def test_a_double_post_of_one_form_opens_one_item(client, assistant, gomez):
    client.force_login(assistant)
    token = str(uuid4())
    first = post(client, token=token, patient=str(gomez.code), words="Need my records sent")
    second = post(client, token=token, patient=str(gomez.code), words="Need my records sent")
    assert first.status_code == second.status_code == 200
    assert WorkItem.objects.filter(patient=gomez).count() == 1
    assert "This form was already sent" in second.content.decode()
    assert AuditEvent.objects.filter(action="item_create").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_of_one_form_open_one_item(practice_a, assistant, gomez):
    token = uuid4()

    def submit():
        return staff_intake.create_staff_item(
            practice=practice_a,
            patient=gomez,
            channel="handoff",
            words="Nurse handed off: wants a callback about forms",
            actor=assistant,
            token=token,
            now=timezone.now(),
        )

    results = at_once(submit, submit)
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert WorkItem.objects.filter(patient=gomez).count() == 1


def test_another_practices_user_is_refused(client, outsider, gomez):
    client.force_login(outsider)
    response = post(client, patient=str(gomez.code), words="I need to cancel")
    assert response.status_code == 200
    assert "Choose a patient from the list" in response.content.decode()
    response = post(
        client, words="x", practice="alpha", first_name="A", last_name="B", date_of_birth="1/1/1970"
    )
    assert "Select a valid choice" in response.content.decode()
    assert not WorkItem.objects.exists()
    assert not Patient.objects.filter(last_name="B").exists()


def test_a_clinician_without_the_queue_role_gets_403(client, clinical, gomez):
    client.force_login(clinical)
    assert client.get(NEW).status_code == 403
    assert post(client, patient=str(gomez.code), words="I need to cancel").status_code == 403
    assert not WorkItem.objects.exists()


def test_the_lookup_finds_by_name_and_birth_date_and_by_phone_and_is_audited(
    client, assistant, gomez, practice_b
):
    factories.make_patient(practice_b, first_name="Ana", last_name="Gomez")
    factories.make_patient(gomez.practice, first_name="Ana", last_name="Gomez-Ruiz")
    client.force_login(assistant)
    lookup = reverse("queue:item-new-lookup")
    response = client.get(lookup, {"q": "gomez 3/14/1961"}, headers=HTMX)
    assert response.context["candidates"] == [gomez]
    assert str(gomez.code) in response.content.decode()
    assert client.get(lookup, {"q": "(305) 555-0142"}).context["candidates"] == [gomez]
    assert len(client.get(lookup, {"q": "GÓMEZ"}).context["candidates"]) == 2  # not practice B's
    audit = AuditEvent.objects.filter(action="patient_lookup").order_by("id").first()
    assert audit is not None and audit.patient_ids == [gomez.pk]


def test_the_form_works_without_javascript(client, assistant, gomez):
    client.force_login(assistant)
    page = client.post(NEW, {"q": "gomez", "words": "typed before finding", "token": uuid4()})
    html = page.content.decode()
    assert "<html" in html and "typed before finding" in html and str(gomez.code) in html
    assert "Choose the patient below" in html and 'class="error"' not in html
    assert not WorkItem.objects.exists()
    token = page.context["form"].initial["token"]
    response = client.post(
        NEW, {"channel": "walk_in", "words": "cancel please", "patient": gomez.code, "token": token}
    )
    item = WorkItem.objects.get(patient=gomez)
    assert response.status_code == 302
    assert response.url == reverse("queue:item", args=[item.code])


def test_the_queue_links_to_the_form(client, assistant):
    client.force_login(assistant)
    html = client.get(reverse("queue:queue")).content.decode()
    assert f'href="{NEW}"' in html and ">New item</a>" in html


def test_the_scorecard_counts_the_new_channels(client, practice_a, assistant, manager, gomez):
    now = NOW  # Wednesday 4 March 2026
    for channel in ("front_desk", "front_desk", "walk_in"):
        staff_intake.create_staff_item(
            practice=practice_a,
            patient=gomez,
            channel=channel,
            words="I need to cancel my appointment",
            actor=assistant,
            token=uuid4(),
            now=now,
        )
    monday = date(2026, 3, 2)
    card = compute_scorecard(practice=practice_a, week=monday, now=NOW + timedelta(days=7))
    rows = {row["key"]: row for row in card["metrics"]["received"]["by_channel"]}
    assert rows["front_desk"]["value"] == 2 and rows["walk_in"]["value"] == 1
    assert rows["front_desk"]["label"] == "Phone call (front desk)"
    # The manager's scorecard page prints them in its by-channel table, with drill-downs.
    verified_login(client, manager)
    page = client.get(
        reverse("reports:scorecard", kwargs={"slug": "alpha", "week": iso_week(monday)})
    )
    by_channel = page.content.decode().split('id="channel-heading"')[1].split("</section>")[0]
    assert "Phone call (front desk)" in by_channel and "Walk-in" in by_channel
    assert "channel=front_desk" in by_channel


def test_the_keyboard_lands_on_the_first_field_to_fix_or_the_first_match(client, assistant, gomez):
    client.force_login(assistant)
    html = client.get(NEW, headers=HTMX).content.decode()
    assert html.count("autofocus") == 1
    assert "autofocus" in html.split('name="channel"')[1].split(">")[0]
    bad = post(
        client,
        words="x",
        practice="alpha",
        first_name="Luis",
        last_name="Ortega",
        date_of_birth="7/2/1958",
        phone="12",
    ).content.decode()
    assert bad.count("autofocus") == 1
    assert "autofocus" in bad.split('name="phone"')[1].split(">")[0]
    found = client.post(NEW, {"q": "gomez", "token": uuid4()}, headers=HTMX).content.decode()
    assert found.count("autofocus") == 1
    assert "autofocus" in found.split(f'value="{gomez.code}"')[1].split(">")[0]


def test_a_manager_may_enter_items_and_chooses_the_practice_of_a_new_patient(
    client, manager, practice_a, practice_b
):
    grant_role(user=manager, practice=practice_b, role=Role.MANAGER)
    verified_login(client, manager)
    response = post(
        client,
        channel="handoff",
        words="Handed off by the nurse: needs her records sent to a new doctor",
        practice="bravo",
        first_name="Eva",
        last_name="Lind",
        date_of_birth="1990-05-01",
    )
    assert response.status_code == 200
    item = WorkItem.objects.get()
    assert item.practice == practice_b and item.patient.practice == practice_b
    assert item.channel == "handoff" and item.moment.key == "records_request"


def test_text_consent_without_a_phone_is_refused_beside_it(client, assistant):
    client.force_login(assistant)
    response = post(
        client,
        words="Wants the portal link",
        practice="alpha",
        first_name="Eva",
        last_name="Lind",
        date_of_birth="1990-05-01",
        sms_consent="on",
    )
    assert "Text consent needs a phone number." in response.content.decode()
    assert not Patient.objects.filter(last_name="Lind").exists()
