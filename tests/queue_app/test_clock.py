from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from queue_app.clock import (
    BusinessHours,
    QuietHours,
    add_business_minutes,
    business_days_between,
    business_minutes_between,
    current_rhythm_block,
    in_quiet_hours,
    is_open,
    next_allowed_send,
    next_callback_slot,
    next_open,
    parse_contact_window,
)

NY = ZoneInfo("America/New_York")
ZONES = ["America/New_York", "America/Chicago", "America/Phoenix", "America/Puerto_Rico"]
WEEKDAYS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
# 2026 US transitions: spring forward Sunday 8 March, fall back Sunday 1 November.
SPRING_FORWARD = date(2026, 3, 8)
FALL_BACK = date(2026, 11, 1)


def hours_in(tz_name: str, **extra: list[str]) -> BusinessHours:
    return BusinessHours.from_json(tz_name, {**WEEKDAYS, **extra})


def local(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz)


@pytest.mark.parametrize("tz_name", ZONES)
@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK])
def test_an_eight_to_five_day_is_nine_hours_on_dst_days(tz_name: str, day: date) -> None:
    hours = hours_in(tz_name, sun=["08:00", "17:00"])
    tz = hours.tz
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
    assert business_minutes_between(start, end, hours) == 9 * 60


@pytest.mark.parametrize("tz_name", ZONES)
def test_a_week_spanning_spring_forward_counts_five_full_days(tz_name: str) -> None:
    hours = hours_in(tz_name)
    start = local(hours.tz, 2026, 3, 6, 0, 0)
    end = local(hours.tz, 2026, 3, 13, 0, 0)
    assert business_minutes_between(start, end, hours) == 5 * 9 * 60


def test_business_time_skips_the_weekend() -> None:
    hours = hours_in("America/New_York")
    friday = local(NY, 2026, 3, 6, 16, 0)
    monday = local(NY, 2026, 3, 9, 9, 0)
    assert business_minutes_between(friday, monday, hours) == 120


def test_business_time_skips_a_holiday() -> None:
    hours = BusinessHours.from_json("America/New_York", {**WEEKDAYS, "holidays": ["2026-12-25"]})
    thursday = local(NY, 2026, 12, 24, 16, 0)
    monday = local(NY, 2026, 12, 28, 9, 0)
    assert business_minutes_between(thursday, monday, hours) == 120


def test_business_time_is_zero_when_end_precedes_start() -> None:
    hours = hours_in("America/New_York")
    later = local(NY, 2026, 3, 6, 16, 0)
    assert business_minutes_between(later, later - timedelta(hours=3), hours) == 0.0


def test_a_closed_pause_is_subtracted() -> None:
    hours = hours_in("America/New_York")
    start, end = local(NY, 2026, 3, 2, 9, 0), local(NY, 2026, 3, 2, 15, 0)
    pause = (local(NY, 2026, 3, 2, 10, 0), local(NY, 2026, 3, 2, 12, 0))
    assert business_minutes_between(start, end, hours, [pause]) == 4 * 60


def test_an_open_pause_runs_to_the_end() -> None:
    hours = hours_in("America/New_York")
    start, end = local(NY, 2026, 3, 2, 9, 0), local(NY, 2026, 3, 3, 9, 0)
    pause = (local(NY, 2026, 3, 2, 16, 0), None)
    assert business_minutes_between(start, end, hours, [pause]) == 7 * 60


def test_overlapping_pauses_are_not_subtracted_twice() -> None:
    hours = hours_in("America/New_York")
    start, end = local(NY, 2026, 3, 2, 8, 0), local(NY, 2026, 3, 2, 17, 0)
    pauses = [
        (local(NY, 2026, 3, 2, 9, 0), local(NY, 2026, 3, 2, 11, 0)),
        (local(NY, 2026, 3, 2, 10, 0), local(NY, 2026, 3, 2, 12, 0)),
        (local(NY, 2026, 3, 1, 10, 0), local(NY, 2026, 3, 2, 8, 30)),
    ]
    assert business_minutes_between(start, end, hours, pauses) == 9 * 60 - 30 - 180


def test_a_due_time_rolls_over_the_weekend_and_is_utc() -> None:
    hours = hours_in("America/New_York")
    due = add_business_minutes(local(NY, 2026, 3, 6, 16, 30), 60, hours)
    assert due == local(NY, 2026, 3, 9, 8, 30)
    assert due.tzinfo is UTC


def test_a_due_time_counts_from_the_next_opening_when_closed() -> None:
    hours = hours_in("America/New_York")
    due = add_business_minutes(local(NY, 2026, 3, 7, 11, 0), 30, hours)
    assert due == local(NY, 2026, 3, 9, 8, 30)


def test_a_due_time_over_fall_back_keeps_local_opening() -> None:
    hours = hours_in("America/Chicago")
    chicago = hours.tz
    due = add_business_minutes(local(chicago, 2026, 10, 30, 16, 0), 120, hours)
    assert due.astimezone(chicago) == local(chicago, 2026, 11, 2, 9, 0)


def test_next_open_and_is_open_agree() -> None:
    hours = hours_in("America/New_York")
    saturday = local(NY, 2026, 3, 7, 12, 0)
    assert not is_open(saturday, hours)
    assert next_open(saturday, hours) == local(NY, 2026, 3, 9, 8, 0)
    assert is_open(next_open(saturday, hours), hours)
    assert not is_open(local(NY, 2026, 3, 9, 17, 0), hours)


def test_business_days_count_days_after_the_start() -> None:
    hours = BusinessHours.from_json("America/New_York", {**WEEKDAYS, "holidays": ["2026-03-10"]})
    monday = local(NY, 2026, 3, 2, 10, 0)
    assert business_days_between(monday, local(NY, 2026, 3, 4, 10, 0), hours) == 2
    assert business_days_between(monday, local(NY, 2026, 3, 2, 16, 0), hours) == 0
    friday = local(NY, 2026, 3, 6, 16, 0)
    assert business_days_between(friday, local(NY, 2026, 3, 11, 9, 0), hours) == 2


@pytest.mark.parametrize(
    ("tz_name", "data", "message"),
    [
        ("Mars/Olympus_Mons", WEEKDAYS, "unknown time zone"),
        ("America/New_York", {"mon": ["17:00", "08:00"]}, "must be after"),
        ("America/New_York", {"mon": ["8am", "17:00"]}, "expected a time"),
        ("America/New_York", {"mon": ["25:00", "26:00"]}, "not a valid time"),
        ("America/New_York", {"monday": ["08:00", "17:00"]}, "unknown business-hours keys"),
        ("America/New_York", {"holidays": ["25/12/2026"]}, "YYYY-MM-DD"),
    ],
)
def test_bad_business_hours_raise_a_clear_error(tz_name: str, data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessHours.from_json(tz_name, data)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_open(datetime(2026, 3, 2, 9, 0), hours_in("America/New_York"))


def test_a_send_outside_quiet_hours_goes_now() -> None:
    moment = local(NY, 2026, 3, 2, 12, 0)
    assert next_allowed_send(moment, NY, QuietHours()) is moment


def test_a_late_evening_send_waits_until_eight_the_next_morning() -> None:
    sent = next_allowed_send(local(NY, 2026, 3, 2, 21, 15), NY, QuietHours())
    assert sent == local(NY, 2026, 3, 3, 8, 0)


def test_an_early_morning_send_waits_until_eight_the_same_morning() -> None:
    sent = next_allowed_send(local(NY, 2026, 3, 3, 6, 0), NY, QuietHours())
    assert sent == local(NY, 2026, 3, 3, 8, 0)


def test_the_fall_back_night_is_thirteen_hours_long() -> None:
    eve = local(NY, 2026, 10, 31, 20, 0)
    assert next_allowed_send(eve, NY, QuietHours()) - eve == timedelta(hours=13)


def test_a_quiet_end_skipped_by_spring_forward_ends_at_the_jump() -> None:
    quiet = QuietHours(start=time(22, 0), end=time(2, 30))
    sent = next_allowed_send(local(NY, 2026, 3, 7, 23, 0), NY, quiet)
    assert sent.astimezone(NY) == local(NY, 2026, 3, 8, 3, 0)
    assert not in_quiet_hours(sent, NY, quiet)


def test_an_ambiguous_quiet_end_uses_its_first_occurrence() -> None:
    quiet = QuietHours(start=time(22, 0), end=time(1, 30))
    sent = next_allowed_send(local(NY, 2026, 10, 31, 23, 0), NY, quiet)
    assert sent == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_quiet_hours_that_do_not_cross_midnight_work() -> None:
    quiet = QuietHours(start=time(12, 0), end=time(13, 0))
    assert in_quiet_hours(local(NY, 2026, 3, 2, 12, 30), NY, quiet)
    assert not in_quiet_hours(local(NY, 2026, 3, 2, 20, 30), NY, quiet)


zoned_moments = st.builds(
    lambda naive, tz_name: naive.replace(tzinfo=ZoneInfo(tz_name)),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31, 23, 59)),
    st.sampled_from(ZONES),
)


@pytest.mark.slow
@settings(max_examples=10_000)
@given(moment=zoned_moments, patient_zone=st.sampled_from(ZONES))
def test_no_scheduled_send_falls_inside_quiet_hours(moment: datetime, patient_zone: str) -> None:
    tz = ZoneInfo(patient_zone)
    sent = next_allowed_send(moment, tz, QuietHours())
    assert not in_quiet_hours(sent, tz, QuietHours())
    assert moment <= sent <= moment + timedelta(hours=13)


def test_an_allowed_window_inside_the_skipped_hour_waits_for_the_next_day() -> None:
    # Quiet from 02:30 to 02:00: the only allowed half hour, 02:00-02:30, does not exist on
    # the spring-forward day in New York (found by the property test below).
    quiet = QuietHours(start=time(2, 30), end=time(2, 0))
    moment = datetime(2026, 3, 8, 0, 20, tzinfo=NY)
    sent = next_allowed_send(moment, NY, quiet)
    assert not in_quiet_hours(sent, NY, quiet)
    assert sent.astimezone(NY) == datetime(2026, 3, 9, 2, 0, tzinfo=NY)


minute_of_day = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@pytest.mark.slow
@settings(max_examples=2_000)
@given(moment=zoned_moments, start=minute_of_day, end=minute_of_day)
def test_any_quiet_window_is_respected_across_dst(moment: datetime, start: time, end: time) -> None:
    assume(start != end)
    quiet = QuietHours(start=start, end=end)
    sent = next_allowed_send(moment, moment.tzinfo, quiet)
    assert not in_quiet_hours(sent, moment.tzinfo, quiet)
    # Real time, not wall time: a window lost in a spring-forward gap waits a whole day more.
    elapsed = sent.astimezone(UTC) - moment.astimezone(UTC)
    assert timedelta(0) <= elapsed <= timedelta(hours=26)


@pytest.mark.slow
@settings(max_examples=2_000)
@given(start=zoned_moments, minutes=st.floats(0, 5 * 9 * 60, allow_nan=False))
def test_adding_business_minutes_round_trips(start: datetime, minutes: float) -> None:
    hours = hours_in(start.tzinfo.key, sat=["09:00", "13:00"])
    due = add_business_minutes(start, minutes, hours)
    assert due >= start
    assert business_minutes_between(start, due, hours) == pytest.approx(minutes, abs=1e-4)


def test_the_default_rhythm_blocks() -> None:
    assert current_rhythm_block(local(NY, 2026, 3, 2, 7, 0), NY) == "morning"
    assert current_rhythm_block(local(NY, 2026, 3, 2, 11, 0), NY) == "midday"
    assert current_rhythm_block(local(NY, 2026, 3, 2, 13, 59), NY) == "midday"
    assert current_rhythm_block(local(NY, 2026, 3, 2, 16, 0), NY) == "afternoon"


def test_custom_rhythm_blocks_use_the_latest_started_block() -> None:
    blocks = {
        "morning": (time(7, 0), time(10, 0)),
        "midday": (time(10, 0), time(13, 0)),
        "afternoon": (time(13, 0), time(17, 0)),
    }
    assert current_rhythm_block(local(NY, 2026, 3, 2, 6, 0), NY, blocks) == "morning"
    assert current_rhythm_block(local(NY, 2026, 3, 2, 10, 30), NY, blocks) == "midday"
    assert current_rhythm_block(local(NY, 2026, 3, 2, 19, 0), NY, blocks) == "afternoon"


def test_a_callback_waits_for_the_patients_window_and_business_hours() -> None:
    hours = hours_in("America/New_York")
    friday_evening = local(NY, 2026, 3, 6, 17, 30)
    slot = next_callback_slot(friday_evening, hours, (time(15, 0), time(23, 59)))
    assert slot == local(NY, 2026, 3, 9, 15, 0)


def test_a_callback_inside_both_windows_is_now() -> None:
    hours = hours_in("America/New_York")
    moment = local(NY, 2026, 3, 2, 16, 0)
    assert next_callback_slot(moment, hours, (time(15, 0), time(23, 59))) == moment


def test_a_callback_without_a_window_is_the_next_opening() -> None:
    hours = hours_in("America/New_York")
    assert next_callback_slot(local(NY, 2026, 3, 7, 9, 0), hours, None) == local(
        NY, 2026, 3, 9, 8, 0
    )


def test_a_window_outside_business_hours_raises() -> None:
    hours = hours_in("America/New_York")
    with pytest.raises(ValueError, match="14 days"):
        next_callback_slot(local(NY, 2026, 3, 2, 9, 0), hours, (time(18, 0), time(21, 0)))


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("after 3 p.m.", (time(15, 0), time(23, 59))),
        ("After 3pm please", (time(15, 0), time(23, 59))),
        ("after 5:30", (time(17, 30), time(23, 59))),
        ("before 10am", (time(0, 0), time(10, 0))),
        ("9-11am", (time(9, 0), time(11, 0))),
        ("2-4pm", (time(14, 0), time(16, 0))),
        ("11-1pm", (time(11, 0), time(13, 0))),
        ("between 9 and 11", (time(9, 0), time(11, 0))),
        ("mornings", (time(8, 0), time(12, 0))),
        ("afternoons", (time(12, 0), time(17, 0))),
        ("evenings", (time(17, 0), time(21, 0))),
        ("después de las 3", (time(15, 0), time(23, 59))),
        ("antes de las 10 de la mañana", (time(0, 0), time(10, 0))),
        ("entre las 2 y las 4 de la tarde", (time(14, 0), time(16, 0))),
        ("por la mañana", (time(8, 0), time(12, 0))),
        ("por la tarde", (time(12, 0), time(17, 0))),
    ],
)
def test_contact_windows_are_understood(text: str, window: tuple[time, time]) -> None:
    assert parse_contact_window(text) == window


@pytest.mark.parametrize("text", ["", "whenever", "after 3 days", "call my cell", "25-26"])
def test_unclear_contact_windows_are_none(text: str) -> None:
    assert parse_contact_window(text) is None
