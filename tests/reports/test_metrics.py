"""compute_scorecard against hand-built worlds whose right answers are worked out by hand."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_app.clock import BusinessHours, business_days_between
from reports import metrics, weeks
from reports.drilldown import drilldown
from reports.exports import COUNT_METRICS
from reports.metrics import compute_scorecard
from tests import factories
from tests.reports.conftest import (
    NY,
    WEEK,
    day,
    escalate,
    item,
    local,
    send,
    set_targets,
    template,
)


def by_key(rows: list[dict], field: str = "value") -> dict:
    return {row["key"]: row[field] for row in rows}


@pytest.fixture
def card(world, practice_a):
    return compute_scorecard(practice=practice_a, week=WEEK, now=world["now"])["metrics"]


def test_it_counts_received_items_by_moment_language_and_channel(card):
    assert card["received"]["value"] == 8
    assert by_key(card["received"]["by_moment"]) == {
        "reschedule": 3,
        "records_request": 1,
        "appointment_request": 1,
        "billing_question": 1,
        "service_recovery": 1,
        "other_admin": 1,
    }
    assert by_key(card["received"]["by_language"]) == {"en": 4, "es": 4}
    assert by_key(card["received"]["by_channel"]) == {
        "sms": 4,
        "portal": 2,
        "schedule": 1,
        "voicemail": 1,
    }


def test_it_counts_completed_escalated_and_unresolved_items(card):
    assert card["resolved"]["value"] == 5
    assert card["escalated"]["value"] == 2
    assert by_key(card["escalated"]["by_route"]) == {"complaints": 1, "clinical": 1}
    assert card["open_at_end"]["value"] == 5
    assert card["open_older"]["value"] == 2
    assert card["unresolved_portal"]["value"] == 1


def test_older_than_two_business_days_agrees_with_the_clock(world, practice_a, card):
    hours = BusinessHours.from_json(practice_a.timezone, practice_a.business_hours)
    week_end = local(day(6), "23:59")
    open_items = drilldown(
        practice=practice_a, week=WEEK, metric="open_at_end", filters={}, now=world["now"]
    )
    older = [i for i in open_items if business_days_between(i.received_at, week_end, hours) > 2]
    assert len(older) == card["open_older"]["value"]


def test_time_to_first_meaningful_response_counts_business_minutes(card):
    first = card["first_response"]
    # Answered in 10, 20, 30, 30, 30 and 75 business minutes; two never answered, past target.
    assert first["answered"] == 6
    assert first["median_minutes"] == 30
    assert first["p90_minutes"] == 75
    assert first["within_target"] == 5
    assert first["missed"] == 3
    assert first["awaiting"] == 0
    assert first["share_within_target"] == 0.625


def test_response_times_are_reported_per_language(card):
    rows = {row["key"]: row for row in card["first_response"]["by_language"]}
    assert rows["en"]["median_minutes"] == 30
    assert rows["en"]["p90_minutes"] == 30
    assert rows["en"]["share_within_target"] == 1.0
    # Spanish: 20 and 75 minutes answered (median of two is their mean), two unanswered.
    assert rows["es"]["median_minutes"] == 47.5
    assert rows["es"]["p90_minutes"] == 75
    assert rows["es"]["within_target"] == 1
    assert rows["es"]["missed"] == 3
    assert rows["es"]["share_within_target"] == 0.25


def test_response_time_breakdown_by_moment_shows_each_target(card):
    rows = {row["key"]: row for row in card["first_response"]["by_moment"]}
    assert rows["reschedule"]["median_minutes"] == 30
    assert rows["reschedule"]["target_minutes"] == 60
    assert rows["reschedule"]["within_target"] == 2
    assert rows["reschedule"]["missed"] == 1


def test_repeat_contacts_count_computed_and_linked_repeats(card):
    repeat = card["repeat_contacts"]
    assert (repeat["value"], repeat["of"]) == (3, 7)
    assert repeat["rate"] == round(3 / 7, 4)


def test_confirmation_completion_and_no_show_recovery(card):
    confirmation = card["confirmation_completion"]
    assert (confirmation["value"], confirmation["of"], confirmation["rate"]) == (1, 4, 0.25)
    assert by_key(confirmation["by_language"], "of") == {"en": 1, "es": 3}
    recovery = card["no_show_recovery"]
    assert (recovery["value"], recovery["of"], recovery["rate"]) == (1, 2, 0.5)


def test_documentation_and_escalation_accuracy(card):
    docs = card["documentation_accuracy"]
    assert (docs["value"], docs["of"], docs["rate"]) == (1, 2, 0.5)
    accuracy = card["escalation_accuracy"]
    assert (accuracy["value"], accuracy["of"], accuracy["rate"]) == (1, 2, 0.5)
    assert accuracy["unjudged"]["value"] == 0
    assert card["missed_escalations"]["value"] == 2


def test_notes_saved_over_the_checker_count_once_per_item_in_their_week(card):
    overrides = card["note_overrides"]
    assert overrides["value"] == 2
    assert by_key(overrides["by_language"]) == {"en": 1, "es": 1}


def test_promises_kept_on_time_and_broken_per_moment_and_language(card):
    kept, broken = card["promises_kept"], card["promises_broken"]
    assert (kept["value"], kept["of"], kept["rate"]) == (2, 4, 0.5)
    assert broken["value"] == 2
    assert by_key(kept["by_language"]) == {"en": 1, "es": 1}
    assert by_key(kept["by_language"], "of") == {"en": 2, "es": 2}
    assert by_key(kept["by_moment"]) == {"reschedule": 2, "appointment_request": 0}
    assert by_key(kept["by_moment"], "of") == {"reschedule": 3, "appointment_request": 1}
    assert by_key(broken["by_moment"]) == {"reschedule": 1, "appointment_request": 1}
    assert {row["key"]: row["broken"]["value"] for row in kept["by_language"]} == {"en": 1, "es": 1}


def test_a_promise_not_yet_due_is_neither_kept_nor_broken(world, practice_a):
    # Read on the week's Wednesday noon: only the promises due by then count.
    now = local(day(2), "12:00")
    card = compute_scorecard(practice=practice_a, week=WEEK, now=now)["metrics"]
    assert (card["promises_kept"]["value"], card["promises_kept"]["of"]) == (1, 1)
    assert card["promises_broken"]["value"] == 0


def test_complaints_are_counted_by_cause(card):
    complaints = card["complaints"]
    assert complaints["value"] == 2
    assert complaints["communication_related"]["value"] == 1
    assert by_key(complaints["by_cause"]) == {"no_response": 1, "charge_dispute": 1}


def test_template_effect_ranks_the_version_that_brings_repeats_first(practice_a, card):
    effect = card["template_effect"]
    top = effect[0]
    spanish = template(practice_a, "reschedule", "es")
    assert top["template"] == str(spanish.code)
    assert (top["items"], top["repeated"], top["rate"]) == (2, 1, 0.5)
    assert sorted(row["items"] for row in effect) == [1, 1, 1, 1, 2]
    assert all(row["repeated"] == 0 for row in effect[1:])


def test_every_count_drills_down_to_exactly_the_items_behind_it(world, practice_a, card):
    def check(entry: dict) -> None:
        drill = entry["drill"]
        filters = {k: v for k, v in drill.items() if k != "metric"}
        rows = drilldown(
            practice=practice_a,
            week=WEEK,
            metric=drill["metric"],
            filters=filters,
            now=world["now"],
        )
        assert rows.count() == entry["value"], drill

    for name in COUNT_METRICS:
        check(card[name])
        for dim in ("moment", "language", "channel", "route"):
            for row in card[name].get(f"by_{dim}", []):
                check(row)
    for row in card["complaints"]["by_cause"]:
        check(row)
    first = card["first_response"]
    check({"value": first["answered"], "drill": first["drill"]})
    check({"value": first["within_target"], "drill": first["within_drill"]})
    check({"value": first["missed"], "drill": first["missed_drill"]})
    for row in card["template_effect"]:
        check({"value": row["items"], "drill": row["drill"]})
        check({"value": row["repeated"], "drill": row["repeated_drill"]})


def test_a_language_filter_counts_only_that_languages_items(world, practice_a):
    spanish = compute_scorecard(practice=practice_a, week=WEEK, language="es", now=world["now"])
    m = spanish["metrics"]
    assert spanish["language"] == "es"
    assert m["received"]["value"] == 4
    assert m["first_response"]["median_minutes"] == 47.5
    assert m["repeat_contacts"]["value"] == 2  # i3 computed, i4 linked
    assert m["confirmation_completion"]["of"] == 3
    assert m["received"]["drill"] == {"metric": "received", "language": "es"}


def test_an_empty_week_gives_zeros_and_no_statistics(practice_b):
    card = compute_scorecard(practice=practice_b, week=WEEK, now=local(day(14), "12:00"))
    m = card["metrics"]
    for name in ("received", "resolved", "escalated", "open_at_end", "unresolved_portal"):
        assert m[name]["value"] == 0
        assert m[name]["by_moment"] == []
    assert m["first_response"]["answered"] == 0
    assert m["first_response"]["median_minutes"] is None
    assert m["first_response"]["p90_minutes"] is None
    assert m["first_response"]["share_within_target"] is None
    assert m["first_response"]["by_language"] == []
    assert m["repeat_contacts"]["rate"] is None
    assert m["confirmation_completion"]["rate"] is None
    assert m["escalation_accuracy"]["rate"] is None
    assert m["complaints"]["by_cause"] == []
    assert m["template_effect"] == []


def test_a_week_with_only_escalations(practice_a):
    patient = factories.make_patient(practice_a)
    earlier = local(WEEK - timedelta(days=10), "10:00")
    first = item(practice_a, patient, "billing_question", earlier, status="escalated")
    second = item(
        practice_a, patient, "referral_status", earlier, status="escalated", channel="portal"
    )
    escalate(first, local(day(1), "09:00"), "billing", judged_appropriate=True)
    escalate(second, local(day(2), "09:00"), "clinical")
    m = compute_scorecard(practice=practice_a, week=WEEK, now=local(day(9), "12:00"))["metrics"]
    assert m["received"]["value"] == 0
    assert m["escalated"]["value"] == 2
    assert by_key(m["escalated"]["by_moment"]) == {"billing_question": 1, "referral_status": 1}
    accuracy = m["escalation_accuracy"]
    assert (accuracy["value"], accuracy["of"], accuracy["unjudged"]["value"]) == (1, 1, 1)
    assert m["open_at_end"]["value"] == 2
    assert m["open_older"]["value"] == 2
    assert m["unresolved_portal"]["value"] == 1
    assert m["first_response"]["answered"] == 0
    assert m["first_response"]["median_minutes"] is None


def test_items_at_the_weeks_edges_count_by_the_practices_wall_clock(practice_b):
    """Phoenix (UTC-7, no DST): the edges are Monday 07:00 UTC, not midnight UTC."""
    phoenix = ZoneInfo("America/Phoenix")
    patient = factories.make_patient(practice_b)
    inside = [local(WEEK, "00:00", phoenix), local(day(6), "23:59", phoenix)]
    outside = [local(day(-1), "23:59", phoenix), local(day(7), "00:00", phoenix)]
    for received in inside + outside:
        item(practice_b, patient, "other_admin", received)
    m = compute_scorecard(practice=practice_b, week=WEEK, now=local(day(9), "12:00"))["metrics"]
    assert m["received"]["value"] == 2
    # Received Sunday 23:59 local is Monday 06:59 UTC: still this week's.
    assert inside[1].astimezone(UTC).weekday() == 0


def test_a_week_crossing_the_fall_back_is_169_hours_and_keeps_its_sunday(practice_a):
    monday = date(2026, 10, 26)  # New York falls back on Sunday, November 1
    w = weeks.week_of(practice=practice_a, week=monday, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert w.end - w.start == timedelta(hours=169)
    assert w.start == datetime(2026, 10, 26, 4, tzinfo=UTC)
    assert w.end == datetime(2026, 11, 2, 5, tzinfo=UTC)
    set_targets(practice_a, 180)
    patient = factories.make_patient(practice_a)
    sunday_late = item(practice_a, patient, "other_admin", local(date(2026, 11, 1), "23:30"))
    item(practice_a, patient, "cancel", local(date(2026, 11, 2), "00:15"))  # next week
    item(practice_a, patient, "cancel", local(date(2026, 10, 25), "23:50"))  # last week
    friday = item(practice_a, patient, "reschedule", local(date(2026, 10, 30), "16:00"))
    send(friday, local(date(2026, 11, 2), "09:00"), tmpl=template(practice_a, "reschedule", "en"))
    m = compute_scorecard(practice=practice_a, week=monday, now=local(date(2026, 11, 9), "12:00"))[
        "metrics"
    ]
    assert m["received"]["value"] == 2
    assert sunday_late.received_at.astimezone(UTC) == datetime(2026, 11, 2, 4, 30, tzinfo=UTC)
    # Friday 16:00 EDT to Monday 09:00 EST: one business hour each side of the weekend.
    assert m["first_response"]["median_minutes"] == 120


def test_a_week_crossing_the_spring_forward_is_167_hours(practice_a):
    w = weeks.week_of(
        practice=practice_a, week=date(2026, 3, 2), now=datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert w.end - w.start == timedelta(hours=167)


def test_a_running_week_counts_open_items_now_and_waits_for_targets(practice_a):
    set_targets(practice_a, 60)
    patient = factories.make_patient(practice_a, preferred_language="es")
    item(practice_a, patient, "reschedule", local(day(2), "09:00"))
    now = local(day(2), "09:30")
    card = compute_scorecard(practice=practice_a, week=WEEK, now=now)
    assert card["complete"] is False
    assert card["as_of"] == now.astimezone(UTC).isoformat()
    first = card["metrics"]["first_response"]
    assert (first["awaiting"], first["missed"], first["share_within_target"]) == (1, 0, None)
    assert card["metrics"]["open_at_end"]["value"] == 1


def test_it_refuses_a_week_that_does_not_start_on_monday(practice_a):
    with pytest.raises(ValueError, match="Monday"):
        compute_scorecard(practice=practice_a, week=WEEK + timedelta(days=1))


def test_it_refuses_to_compute_an_old_definitions_version(practice_a):
    with pytest.raises(ValueError, match="cannot be computed"):
        compute_scorecard(practice=practice_a, week=WEEK, definitions_version="2025.9")


def test_iso_weeks_round_trip():
    assert weeks.parse_iso_week("2026-W47") == date(2026, 11, 16)
    assert weeks.iso_week(date(2026, 11, 16)) == "2026-W47"
    with pytest.raises(ValueError):
        weeks.parse_iso_week("2026-W60")


def test_every_metric_has_a_plain_language_definition(card):
    # Broken promises are read on the kept promises' row, under its definition.
    defined = {*COUNT_METRICS, "first_response", "template_effect"} - {"promises_broken"}
    assert set(metrics.DEFINITIONS) >= defined
    assert metrics.DEFINITIONS_VERSION == "2026.4"


def test_the_scorecard_is_computed_in_a_fixed_number_of_queries(
    world, practice_a, django_assert_max_num_queries
):
    # Two of them for the follow-up question: its cells, and its rows per template version.
    with django_assert_max_num_queries(14):
        compute_scorecard(practice=practice_a, week=WEEK, now=world["now"])
    assert NY.key == practice_a.timezone
