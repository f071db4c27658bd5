"""check_send: one answer to "may this message go to this patient on this channel now?"."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from queue_app.models import Patient, Practice, Role
from templates_lib import services
from templates_lib.channel_rules import check_send, check_send_channels
from templates_lib.models import ChannelRule
from tests import factories

NY = ZoneInfo("America/New_York")
# A Wednesday in June, mid-morning in New York: no quiet hours, no DST edge.
DAYTIME = datetime(2026, 6, 10, 14, 0, tzinfo=UTC)


@pytest.fixture
def practice(practice_a):
    # Read back from the database, as every request does: quiet hours are then times.
    return Practice.objects.get(pk=practice_a.pk)


@pytest.fixture
def reschedule(practice):
    return practice.moments.get(key="reschedule")


@pytest.fixture
def admin(practice):
    return factories.make_user("admin-rules", practice, Role.ADMIN)


def test_a_consenting_patient_may_get_a_text_in_the_daytime(reschedule, patient):
    assert check_send(patient=patient, moment=reschedule, channel="sms", now=DAYTIME).allowed


def test_quiet_hours_hold_a_text_until_the_morning_in_the_practice_time_zone(reschedule, patient):
    late = datetime(2026, 6, 10, 22, 30, tzinfo=NY)
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=late)
    assert not decision.allowed
    assert "Quiet hours" in decision.reason
    assert decision.not_before == datetime(2026, 6, 11, 8, 0, tzinfo=NY)


def test_quiet_hours_end_at_eight_local_across_the_spring_dst_change(reschedule, patient):
    # 11:30 PM EST on Saturday 7 March 2026; clocks jump to EDT at 2 AM on the 8th.
    late = datetime(2026, 3, 7, 23, 30, tzinfo=NY)
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=late)
    assert not decision.allowed
    assert decision.not_before == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)  # 8 AM EDT, not 13:00
    assert decision.not_before.astimezone(NY).hour == 8


def test_quiet_hours_end_at_eight_local_across_the_autumn_dst_change(reschedule, patient):
    late = datetime(2026, 10, 31, 21, 0, tzinfo=NY)  # EDT; EST from 2 AM on 1 November
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=late)
    assert decision.not_before == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)  # 8 AM EST


def test_quiet_hours_follow_the_practice_not_the_server(practice_b, patient):
    phoenix = Practice.objects.get(pk=practice_b.pk)
    moment = phoenix.moments.get(key="reschedule")
    their_patient = factories.make_patient(phoenix)
    # 9 PM in New York is 6 PM in Phoenix: still daytime there.
    now = datetime(2026, 6, 10, 21, 0, tzinfo=NY)
    assert check_send(patient=their_patient, moment=moment, channel="sms", now=now).allowed


def test_an_opted_out_patient_gets_no_text(reschedule, patient):
    patient.opted_out_at = DAYTIME - timedelta(days=1)
    patient.save()
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=DAYTIME)
    assert not decision.allowed and "opted out" in decision.reason
    assert decision.not_before is None


def test_no_consent_on_record_means_no_text(practice, reschedule):
    never_asked = Patient.objects.create(
        practice=practice, first_name="Noor", last_name="Haddad", phone="+12025550199"
    )
    decision = check_send(patient=never_asked, moment=reschedule, channel="sms", now=DAYTIME)
    assert not decision.allowed and "No SMS consent" in decision.reason


def test_a_withdrawn_consent_stops_texts(reschedule, patient, assistant):
    services.record_consent(
        patient=patient,
        channel="sms",
        granted=False,
        source="patient asked on the phone",
        recorded_by=assistant,
        now=timezone.now(),  # later than the intake-form grant of the factory
    )
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=DAYTIME)
    assert not decision.allowed and "No SMS consent" in decision.reason


def test_recorded_consent_opens_a_channel_that_requires_it(reschedule, patient, admin, assistant):
    rule = ChannelRule.objects.get(moment=reschedule, channel="portal")
    services.update_channel_rule(
        rule=rule, fields={"consent_required": True}, actor=admin, now=DAYTIME
    )
    assert not check_send(patient=patient, moment=reschedule, channel="portal", now=DAYTIME).allowed
    services.record_consent(
        patient=patient,
        channel="portal",
        granted=True,
        source="portal sign-up",
        recorded_by=assistant,
        now=DAYTIME - timedelta(minutes=5),
    )
    assert check_send(patient=patient, moment=reschedule, channel="portal", now=DAYTIME).allowed


def test_a_channel_the_moment_does_not_allow_is_refused(reschedule, patient, admin):
    services.update_moment(
        moment=reschedule,
        fields={"allowed_channels": ["portal", "voice"]},
        actor=admin,
        now=DAYTIME,
    )
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=DAYTIME)
    assert not decision.allowed and "not allowed for reschedule" in decision.reason


def test_a_live_call_is_required_after_n_unanswered_written_messages(
    practice, reschedule, patient, admin
):
    rule = ChannelRule.objects.get(moment=reschedule, channel="sms")
    services.update_channel_rule(
        rule=rule, fields={"live_call_after_attempts": 2}, actor=admin, now=DAYTIME
    )
    item = factories.make_item(practice, patient=patient, received_at=DAYTIME - timedelta(days=2))
    for n in range(2):
        factories.make_message(
            item, status="delivered", created=DAYTIME - timedelta(days=1, hours=n)
        )
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=DAYTIME, item=item)
    assert not decision.allowed
    assert decision.reason == "A live call is required: 2 written messages went unanswered."
    # An answer from the patient resets the count.
    factories.make_message(
        item, direction="in", status="received", created=DAYTIME - timedelta(hours=1)
    )
    assert check_send(
        patient=patient, moment=reschedule, channel="sms", now=DAYTIME, item=item
    ).allowed


def test_an_upset_patient_needs_a_live_call_not_a_text(practice, reschedule, patient):
    item = factories.make_item(
        practice, patient=patient, boundary="complaint", received_at=DAYTIME - timedelta(hours=1)
    )
    decision = check_send(patient=patient, moment=reschedule, channel="sms", now=DAYTIME, item=item)
    assert not decision.allowed and "upset" in decision.reason


def test_the_channels_of_one_item_are_decided_as_one_by_one_in_fewer_queries(
    practice, reschedule, patient, admin, django_assert_max_num_queries
):
    rule = ChannelRule.objects.get(moment=reschedule, channel="sms")
    services.update_channel_rule(
        rule=rule, fields={"live_call_after_attempts": 1}, actor=admin, now=DAYTIME
    )
    item = factories.make_item(practice, patient=patient, received_at=DAYTIME - timedelta(days=2))
    factories.make_message(item, status="delivered", created=DAYTIME - timedelta(days=1))
    channels = ["sms", "portal", "email"]
    one_by_one = {
        channel: check_send(
            patient=patient, moment=reschedule, channel=channel, now=DAYTIME, item=item
        )
        for channel in channels
    }

    # The rules, the consents, the suppression list and the item's written history.
    with django_assert_max_num_queries(6):
        together = check_send_channels(item=item, channels=channels, now=DAYTIME)

    assert together == one_by_one
    assert not together["sms"].allowed and "live call" in together["sms"].reason
