"""The preview counts who will get a campaign and why the others will not, before sending."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from campaigns import audience, sending, services
from campaigns.models import Campaign
from queue_app.clock import zone
from queue_app.models import Appointment, Message
from templates_lib.models import ChannelRule
from tests import factories
from tests.campaigns.helpers import approve, book, day_campaign, visit_day, withdraw_consent
from tests.messaging.conftest import awake_quiet_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(practice_a):
    """Eight patients with an appointment on the day, each with one reason or none."""
    day = visit_day(practice_a)
    people = {
        "english": factories.make_patient(practice_a),
        "spanish": factories.make_patient(practice_a, preferred_language="es"),
        "no_number": factories.make_patient(practice_a, phone=""),
        "opted_out": factories.make_patient(practice_a, opted_out_at=timezone.now()),
        "no_consent": factories.make_patient(practice_a),
        "other_provider": factories.make_patient(practice_a),
        "cancelled": factories.make_patient(practice_a),
        "other_day": factories.make_patient(practice_a),
    }
    withdraw_consent(people["no_consent"])
    for name, patient in people.items():
        if name == "other_day":
            book(patient, day + timedelta(days=1))
        elif name == "other_provider":
            book(patient, day, provider_name="Dr. Ortiz")
        elif name == "cancelled":
            book(patient, day, status=Appointment.Status.CANCELLED)
        else:
            book(patient, day)
    return day, people


def test_preview_counts_each_reason_and_the_group_is_the_days_booked_appointments(
    practice_a, manager, group
):
    day, _ = group
    campaign = day_campaign(practice_a, manager, day)
    now = timezone.now()
    awake_quiet_hours(practice_a, now)

    preview = audience.preview(campaign, now)

    assert preview.total == 6  # not the other day's, not the cancelled appointment
    assert preview.eligible == 3
    assert preview.by_language == {"en": 2, "es": 1}
    assert preview.excluded == {
        audience.ALREADY_REACHED: 0,
        audience.NO_NUMBER: 1,
        audience.OPTED_OUT: 1,
        audience.NO_CONSENT: 1,
        audience.NO_WORDING: 0,
    }
    assert preview.waits_until is None


def test_a_provider_narrows_the_group(practice_a, manager, group):
    day, people = group
    campaign = day_campaign(practice_a, manager, day, provider_name="dr. ortiz")
    assert list(audience.audience(campaign, timezone.now())) == [people["other_provider"]]


def test_a_language_without_wording_is_left_out_and_counted(practice_a, manager, group):
    day, _ = group
    campaign = day_campaign(practice_a, manager, day, body_es="")
    preview = audience.preview(campaign, timezone.now())
    assert preview.excluded[audience.NO_WORDING] == 1
    assert preview.eligible == 2


def test_quiet_hours_leave_nobody_out_and_the_preview_says_when_it_goes(practice_a, manager, group):
    day, _ = group
    campaign = day_campaign(practice_a, manager, day)
    late = datetime.combine(day - timedelta(days=1), datetime.min.time(), zone("America/New_York"))
    late = late.replace(hour=23)  # inside the default 20:00–08:00 quiet hours

    preview = audience.preview(campaign, late)

    assert preview.eligible == 3
    assert preview.waits_until.astimezone(zone("America/New_York")).hour == 8


def test_sms_not_allowed_for_the_moment_means_nobody(practice_a, manager, group):
    day, _ = group
    campaign = day_campaign(practice_a, manager, day)
    ChannelRule.objects.filter(moment=campaign.moment, channel="sms").update(allowed=False)
    preview = audience.preview(campaign, timezone.now())
    assert preview.eligible == 0
    assert "not allowed" in preview.refusal


def test_the_send_does_what_the_preview_said_and_a_reached_patient_is_counted_as_such(
    practice_a, manager, admin_user, group
):
    day, people = group
    campaign = approve(day_campaign(practice_a, manager, day), admin_user)
    now = timezone.now()
    awake_quiet_hours(practice_a, now)
    expected = audience.preview(campaign, now).eligible
    services.start_sending(campaign=campaign, actor=admin_user, now=now)

    queued, rest = sending.send_campaign(campaign_id=campaign.pk, now=now)

    assert (queued, rest) == (expected, None)
    sent_to = set(Message.objects.filter(purpose="campaign").values_list("patient", flat=True))
    assert sent_to == {people["english"].pk, people["spanish"].pk, people["other_provider"].pk}
    spanish = Message.objects.get(patient=people["spanish"])
    assert spanish.body.startswith("Hola") and "{" not in spanish.body
    assert spanish.is_automatic and spanish.template_id is None
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert audience.preview(campaign, now).excluded[audience.ALREADY_REACHED] == 3


def test_in_quiet_hours_the_send_schedules_for_the_morning(practice_a, manager, admin_user, group):
    day, _ = group
    campaign = approve(day_campaign(practice_a, manager, day), admin_user)
    late = datetime.combine(day - timedelta(days=1), datetime.min.time(), zone("America/New_York"))
    late = late.replace(hour=23)
    services.start_sending(campaign=campaign, actor=admin_user, now=late)

    sending.send_campaign(campaign_id=campaign.pk, now=late)

    statuses = set(Message.objects.filter(purpose="campaign").values_list("status", "send_after"))
    assert len(statuses) == 1
    status, send_after = statuses.pop()
    assert status == Message.Status.SCHEDULED
    assert send_after.astimezone(zone("America/New_York")).hour == 8


def test_an_uploaded_list_names_each_refused_line(practice_a):
    known = factories.make_patient(practice_a, external_id="MRN-100")
    other = factories.make_patient(practice_a, external_id="MRN-200")
    text = "mrn\nMRN-100\n\nMRN-999\nMRN-100\n" + "X" * 70 + "\n,extra\nMRN-200\n"

    mrns, refused = audience.parse_mrns(text, practice_id=practice_a.pk)

    assert mrns == [known.external_id, other.external_id]
    assert refused == [
        (4, "no patient of this practice has this MRN"),
        (5, "the same MRN as line 2"),
        (6, "longer than 64 characters"),
        (7, "the first column (the MRN) is empty"),
    ]


def test_another_practices_mrn_is_refused(practice_a, practice_b):
    factories.make_patient(practice_b, external_id="MRN-B1")
    mrns, refused = audience.parse_mrns("MRN-B1\n", practice_id=practice_a.pk)
    assert mrns == [] and refused == [(1, "no patient of this practice has this MRN")]


def test_a_list_campaign_reaches_exactly_its_patients(practice_a, manager):
    listed = factories.make_patient(practice_a, external_id="MRN-300")
    factories.make_patient(practice_a, external_id="MRN-301")
    campaign = day_campaign(
        practice_a,
        manager,
        None,
        audience=Campaign.Audience.MRN_LIST,
        mrns=["MRN-300"],
        body_en="Hi {first_name}, {practice_name} has new evening hours. Call {practice_phone}.",
        body_es="",
    )
    assert list(audience.audience(campaign, timezone.now())) == [listed]
