"""The overdue-recall audience: patients last seen more than N months ago with nothing booked,
read from the imported appointments, previewed with reasons and sent once to each."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from campaigns import audience, sending, services
from campaigns.models import Campaign, Recipient
from campaigns.recurrence import add_months
from queue_app.clock import zone
from queue_app.models import Appointment, Message
from tests import factories
from tests.campaigns.helpers import approve, withdraw_consent
from tests.messaging.conftest import awake_quiet_hours
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db

RECALL_BODY = (
    "Hi {first_name}, it has been a while since your last visit to {practice_name}. "
    "Call {practice_phone} to book your check-up."
)
COMPLETED = Appointment.Status.COMPLETED


def months_ago(practice, months: int, *, days: int = 0):
    """A visit time `months` calendar months (and `days` more days) before today, 10 AM local."""
    tz = zone(practice.timezone)
    day = add_months(timezone.now().astimezone(tz).date(), -months) - timedelta(days=days)
    return datetime.combine(day, time(10), tzinfo=tz)


def recall_campaign(practice, author, months: int = 12, **fields) -> Campaign:
    values = {
        "name": "Annual check-up",
        "moment": practice.moments.get(key="other_admin"),
        "audience": Campaign.Audience.OVERDUE_RECALL,
        "recall_months": months,
        "provider_name": "",
        "mrns": [],
        "body_en": RECALL_BODY,
        "body_es": "",
    }
    return services.create_campaign(
        practice=practice, fields=values | fields, actor=author, now=timezone.now()
    )


@pytest.fixture
def patients(practice_a):
    """One patient of each kind a recall has to tell apart."""
    make, visit = factories.make_patient, factories.make_appointment
    people = {
        "overdue": make(practice_a),
        "overdue_spanish": make(practice_a, preferred_language="es"),
        "overdue_no_consent": make(practice_a),
        "seen_recently": make(practice_a),
        "overdue_but_booked": make(practice_a),
        "overdue_booked_in_the_past": make(practice_a),
        "never_seen": make(practice_a),
        "only_a_no_show": make(practice_a),
        "overdue_with_ortiz": make(practice_a),
    }
    withdraw_consent(people["overdue_no_consent"])
    for name in ("overdue", "overdue_spanish", "overdue_no_consent", "overdue_but_booked"):
        visit(people[name], starts_at=months_ago(practice_a, 12, days=1), status=COMPLETED)
    old = months_ago(practice_a, 14)
    visit(people["seen_recently"], starts_at=old, status=COMPLETED)
    visit(people["seen_recently"], starts_at=months_ago(practice_a, 3), status=COMPLETED)
    visit(people["overdue_but_booked"], starts_at=timezone.now() + timedelta(days=20))
    visit(people["overdue_booked_in_the_past"], starts_at=old, status=COMPLETED)
    # Booked once, never marked: in the past, so nothing is booked for this patient.
    visit(people["overdue_booked_in_the_past"], starts_at=months_ago(practice_a, 13))
    visit(people["only_a_no_show"], starts_at=old, status=Appointment.Status.NO_SHOW)
    visit(people["overdue_with_ortiz"], starts_at=old, status=COMPLETED, provider_name="Dr. Ortiz")
    return people


def test_the_group_is_who_was_last_seen_over_n_months_ago_and_has_nothing_booked(
    practice_a, manager, patients
):
    campaign = recall_campaign(practice_a, manager, months=12)

    group = set(audience.audience(campaign, timezone.now()))

    expected = {"overdue", "overdue_spanish", "overdue_no_consent"}
    expected |= {"overdue_booked_in_the_past", "overdue_with_ortiz"}
    assert group == {patients[name] for name in expected}


def test_a_visit_just_inside_the_months_is_not_overdue(practice_a, manager):
    patient = factories.make_patient(practice_a)
    factories.make_appointment(
        patient, starts_at=months_ago(practice_a, 12) + timedelta(days=1), status=COMPLETED
    )
    campaign = recall_campaign(practice_a, manager, months=12)
    assert list(audience.audience(campaign, timezone.now())) == []
    longer_ago = recall_campaign(practice_a, manager, months=11)
    assert list(audience.audience(longer_ago, timezone.now())) == [patient]


def test_a_named_provider_counts_only_their_visits_and_bookings(practice_a, manager, patients):
    ortiz = patients["overdue_with_ortiz"]
    # Booked with someone else: still overdue for Dr. Ortiz.
    factories.make_appointment(ortiz, starts_at=timezone.now() + timedelta(days=5))
    campaign = recall_campaign(practice_a, manager, provider_name="dr. ortiz")

    assert list(audience.audience(campaign, timezone.now())) == [ortiz]


def test_the_preview_counts_the_group_and_says_why_some_are_left_out(practice_a, manager, patients):
    campaign = recall_campaign(practice_a, manager)
    now = timezone.now()
    awake_quiet_hours(practice_a, now)

    preview = audience.preview(campaign, now)

    assert (preview.total, preview.eligible) == (5, 3)
    assert preview.by_language == {"en": 3}
    assert preview.excluded[audience.NO_CONSENT] == 1
    assert preview.excluded[audience.NO_WORDING] == 1  # Spanish speaker, no Spanish wording


def test_the_send_reaches_each_overdue_patient_once(practice_a, manager, admin_user, patients):
    now = timezone.now()
    awake_quiet_hours(practice_a, now)
    campaign = approve(recall_campaign(practice_a, manager), admin_user)
    services.start_sending(campaign=campaign, actor=admin_user, now=now)

    for _ in range(2):  # a redelivered task adds nothing
        sending.send_campaign(campaign_id=campaign.pk, now=now)

    reached = set(Recipient.objects.filter(campaign=campaign).values_list("patient", flat=True))
    names = ("overdue", "overdue_booked_in_the_past", "overdue_with_ortiz")
    assert reached == {patients[name].pk for name in names}
    bodies = Message.objects.filter(purpose="campaign").values_list("body", flat=True)
    assert len(bodies) == 3 and all("since your last visit to Alpha" in b for b in bodies)


def test_the_form_asks_for_the_months_and_the_page_describes_the_group(
    practice_a, manager, patients
):
    client = verified_client(manager)
    url = f"/campaigns/{practice_a.slug}/new/"
    form = {
        "name": "Annual check-up",
        "moment": practice_a.moments.get(key="other_admin").pk,
        "audience": "overdue_recall",
        "provider_name": "",
        "body_en": RECALL_BODY,
    }
    missing = client.post(url, form)
    assert missing.status_code == 200
    assert "Say how many months since the last visit" in missing.text
    assert client.post(url, form | {"recall_months": "0"}).status_code == 200
    assert not Campaign.objects.exists()

    saved = client.post(url, form | {"recall_months": "12"})
    campaign = Campaign.objects.get()
    assert saved["Location"] == f"/campaigns/{practice_a.slug}/{campaign.code}/"
    assert (campaign.audience, campaign.recall_months) == ("overdue_recall", 12)
    page = client.get(saved["Location"]).text
    assert "last completed visit was more than 12 months ago, with nothing booked" in page
    assert 'data-count="eligible">3</strong> of 5 patients' in page


def test_appointment_details_cannot_be_named_in_a_recall(practice_a, manager):
    with pytest.raises(services.CampaignError) as refused:
        recall_campaign(practice_a, manager, body_en=RECALL_BODY + " Last: {appointment_date}.")
    assert "Appointment details need an appointment-day audience" in str(refused.value)


def test_a_month_back_from_the_31st_is_the_last_day_of_a_shorter_month():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
