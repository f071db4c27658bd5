"""sample_week_for_review: stratified, deterministic, idempotent weekly QA samples."""

from datetime import UTC, date, datetime, timedelta

import pytest

from escalation.models import Escalation
from escalation.services import route_for
from notes import services
from notes.models import QAReview, QASettings
from queue_app.models import Message, WorkItem
from tests import factories

WEEK = date(2026, 3, 2)  # a Monday
NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


def resolved(practice, owner, *, at: datetime, **overrides) -> WorkItem:
    return factories.make_item(
        practice,
        received_at=at - timedelta(hours=1),
        status=WorkItem.Status.RESOLVED,
        owner=owner,
        resolved_at=at,
        **overrides,
    )


def escalated(item: WorkItem) -> WorkItem:
    Escalation.objects.create(
        practice=item.practice,
        item=item,
        route=route_for(practice=item.practice, kind="clinical"),
        reason="symptom question",
        detected_by="assistant",
        status=Escalation.Status.RESOLVED,
        created=item.received_at,
        ack_due_at=item.received_at + timedelta(hours=1),
        acknowledged_at=item.received_at,
        resolved_at=item.resolved_at,
    )
    return item


@pytest.fixture
def busy_week(practice_a, assistant):
    """20 resolved items: 2 escalated, 1 complaint, 3 in Spanish, 14 routine English."""
    start = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    items = {"escalated": [], "complaint": [], "spanish": [], "routine": []}
    for n in range(20):
        at = start + timedelta(hours=5 * n)
        if n in (3, 11):
            items["escalated"].append(escalated(resolved(practice_a, assistant, at=at)))
        elif n == 7:
            items["complaint"].append(
                resolved(practice_a, assistant, at=at, boundary=WorkItem.Boundary.COMPLAINT)
            )
        elif n in (5, 9, 15):
            items["spanish"].append(resolved(practice_a, assistant, at=at, language="es"))
        else:
            items["routine"].append(resolved(practice_a, assistant, at=at))
    return items


def test_a_sample_of_five_holds_an_escalated_a_complaint_and_a_spanish_item(
    practice_a, assistant, busy_week
):
    added = services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW, sample_size=5)

    reviews = QAReview.objects.filter(practice=practice_a, week=WEEK)
    assert added == 5 == reviews.count()
    sampled = {r.item_id for r in reviews}
    assert sampled & {i.pk for i in busy_week["escalated"]}
    assert sampled & {i.pk for i in busy_week["complaint"]}
    assert sampled & {i.pk for i in busy_week["spanish"]}
    strata = set(reviews.values_list("stratum", flat=True))
    assert {"escalated", "complaint", "bilingual"} <= strata
    assert all(r.assistant == assistant and r.status == "pending" for r in reviews)


def test_running_the_sample_twice_adds_nothing(practice_a, busy_week):
    services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW)
    first = set(QAReview.objects.values_list("item_id", flat=True))

    again = services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW)

    assert again == 0
    assert set(QAReview.objects.values_list("item_id", flat=True)) == first


def test_the_sample_is_the_same_for_the_same_practice_and_week(practice_a, busy_week):
    services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW)
    first = set(QAReview.objects.values_list("item_id", flat=True))
    QAReview.objects.all().delete()

    services.sample_week_for_review(practice=practice_a, week=date(2026, 3, 5), now=NOW)

    assert set(QAReview.objects.values_list("item_id", flat=True)) == first


def test_the_practice_setting_sets_the_size_and_five_is_the_default(practice_a, busy_week):
    assert services.sample_size_for(practice_a) == 5
    services.set_sample_size(practice=practice_a, sample_size=8)

    services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW)

    assert QASettings.objects.get(practice=practice_a).sample_size == 8
    assert QAReview.objects.count() == 8


def test_a_larger_size_later_tops_the_week_up_without_duplicates(practice_a, busy_week):
    services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW, sample_size=3)

    added = services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW, sample_size=6)

    assert added == 3
    assert QAReview.objects.values("item").distinct().count() == 6


def test_each_assistant_gets_their_own_sample(practice_a, assistant, assistant_2):
    at = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    for n in range(3):
        resolved(practice_a, assistant, at=at + timedelta(hours=n))
    resolved(practice_a, assistant_2, at=at)

    services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW, sample_size=2)

    assert QAReview.objects.filter(assistant=assistant).count() == 2
    assert QAReview.objects.filter(assistant=assistant_2).count() == 1


def test_the_week_runs_monday_to_sunday_in_the_practice_time_zone(practice_a, assistant):
    # Sunday 8 March 23:30 in New York is Monday 03:30 UTC: still the sampled week.
    inside = resolved(practice_a, assistant, at=datetime(2026, 3, 9, 3, 30, tzinfo=UTC))
    # Monday 2 March 00:30 UTC is still Sunday 1 March in New York: the week before.
    resolved(practice_a, assistant, at=datetime(2026, 3, 2, 0, 30, tzinfo=UTC))
    # Open and unowned items are never sampled.
    factories.make_item(practice_a, received_at=datetime(2026, 3, 3, 15, 0, tzinfo=UTC))

    services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW)

    assert list(QAReview.objects.values_list("item_id", flat=True)) == [inside.pk]


def test_sample_last_week_covers_every_practice(practice_a, practice_b, assistant, outsider):
    resolved(practice_a, assistant, at=datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    resolved(practice_b, outsider, at=datetime(2026, 3, 4, 18, 0, tzinfo=UTC))

    added = services.sample_last_week(now=NOW)

    assert added == 2
    assert set(QAReview.objects.values_list("practice__slug", "week")) == {
        ("alpha", WEEK),
        ("bravo", WEEK),
    }


def test_the_weekly_task_samples_the_week_before_today(practice_a, assistant):
    from django.utils import timezone

    from notes.tasks import sample_last_week_task

    # Seven days ago always falls in last week, whatever today is.
    item = resolved(practice_a, assistant, at=timezone.now() - timedelta(days=7))

    assert sample_last_week_task.run() == 1
    assert QAReview.objects.get().item == item


def test_items_with_a_message_in_the_assistants_own_words_are_always_sampled(
    practice_a, assistant, busy_week
):
    free_text = busy_week["routine"][:3]
    for item in free_text:
        factories.make_message(item, purpose=Message.FREE_TEXT, body="Hi, we moved it to 3 PM.")
    # A template send is no reason to be drawn in.
    factories.make_message(busy_week["routine"][5], body="Hi Avery, we got your request.")

    services.sample_week_for_review(practice=practice_a, week=WEEK, now=NOW, sample_size=2)

    reviews = QAReview.objects.filter(practice=practice_a, week=WEEK)
    by_item = dict(reviews.values_list("item_id", "stratum"))
    # All three, even beyond a sample size of two, and named for why they were drawn in.
    assert all(by_item.get(item.pk) == "free_text" for item in free_text)
    assert reviews.count() == 3
    assert QAReview.Stratum("free_text").label == "Message in the assistant's own words"
