"""Promises made on an item: tracked until the assistant acts on time, or broken once."""

from datetime import date, timedelta

import pytest
from celery import current_app
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from queue_app.models import ItemEvent, Promise
from queue_app.services import closing, promises, working
from queue_app.tasks import break_overdue_promises_task
from reports.drilldown import drilldown
from reports.metrics import compute_scorecard
from templates_lib.services import approved_template
from tests import factories
from tests.queue_app.queue_helpers import NOW, good_note, owned_item, verified

pytestmark = pytest.mark.django_db

# Thursday 5 March 2026, 10:00 in New York: the next morning.
DUE = NOW + timedelta(days=1)


@pytest.fixture
def promised(practice_a, patient, assistant):
    """An item whose owner promised the patient the next update by 10:00 tomorrow."""
    factories.make_appointment(patient, starts_at=NOW + timedelta(days=2))
    item = verified(owned_item(practice_a, patient, assistant))
    working.set_follow_up(item=item, actor=assistant, follow_up_at=DUE, now=NOW)
    return item


def send(item, actor, now):
    template = approved_template(moment=item.moment, language=item.language, channel="sms")
    return working.send_response(item=item, actor=actor, template=template, channel="sms", now=now)


def test_a_follow_up_set_is_a_promise_with_its_due_time(promised, assistant):
    promise = Promise.objects.get(item=promised)
    assert promise.kind == Promise.Kind.FOLLOW_UP
    assert promise.due_at == DUE
    assert (promise.made_by, promise.made_at) == (assistant, NOW)
    assert promise.kept_at is None and promise.broken_at is None


def test_a_message_sent_before_the_due_time_keeps_it(promised, assistant):
    send(promised, assistant, DUE - timedelta(minutes=30))
    promise = Promise.objects.get(item=promised)
    assert promise.kept_at == DUE - timedelta(minutes=30)
    assert promise.kept_by_action == "response_queued"
    assert promises.break_overdue_promises(now=DUE + timedelta(hours=1)) == 0
    assert not ItemEvent.objects.filter(item=promised, kind="promise_broken").exists()


def test_a_message_held_until_after_quiet_hours_keeps_nothing(promised, assistant):
    result = send(promised, assistant, NOW + timedelta(hours=20))  # 6:00 in New York
    assert result.scheduled
    assert Promise.objects.get(item=promised).kept_at is None


def test_a_call_logged_or_the_item_resolved_keeps_it(promised, assistant):
    working.log_call_attempt(
        item=promised,
        actor=assistant,
        outcome="reached",
        attempted_at=NOW + timedelta(hours=19),
        next_attempt_at=None,
        now=NOW + timedelta(hours=19),
    )
    assert Promise.objects.get(item=promised).kept_by_action == "call_logged"
    working.set_follow_up(
        item=promised, actor=assistant, follow_up_at=DUE + timedelta(days=1), now=DUE
    )
    good_note(promised, assistant, now=DUE)
    closing.resolve_item(item=promised, actor=assistant, now=DUE + timedelta(minutes=5))
    assert Promise.objects.get(item=promised, due_at=DUE + timedelta(days=1)).kept_by_action == (
        "resolved"
    )


def test_a_call_with_a_next_attempt_promises_that_callback(promised, assistant):
    later = NOW + timedelta(hours=3)
    working.log_call_attempt(
        item=promised,
        actor=assistant,
        outcome="no_answer",
        attempted_at=NOW,
        next_attempt_at=later,
        now=NOW,
    )
    callback = Promise.objects.get(item=promised, kind=Promise.Kind.CALLBACK)
    assert callback.due_at == later and callback.kept_at is None  # this call did not keep it
    assert Promise.objects.get(item=promised, kind=Promise.Kind.FOLLOW_UP).kept_at == NOW


def test_acting_after_the_due_time_keeps_nothing(promised, assistant):
    send(promised, assistant, DUE + timedelta(minutes=1))
    assert Promise.objects.get(item=promised).kept_at is None
    assert promises.break_overdue_promises(now=DUE + timedelta(minutes=2)) == 1


def test_a_promise_not_kept_is_broken_once_and_raises_its_item(promised):
    before = promised.priority
    assert promises.break_overdue_promises(now=DUE - timedelta(minutes=1)) == 0  # not yet due
    assert promises.break_overdue_promises(now=DUE + timedelta(minutes=1)) == 1
    assert promises.break_overdue_promises(now=DUE + timedelta(minutes=2)) == 0
    assert break_overdue_promises_task.apply().result == 0  # the scheduled task: nothing left
    promised.refresh_from_db()
    assert promised.priority == before + promises.BROKEN_PRIORITY
    promise = Promise.objects.get(item=promised)
    assert promise.broken_at == DUE + timedelta(minutes=1) and promise.kept_at is None
    event = ItemEvent.objects.get(item=promised, kind="promise_broken")
    assert event.service == promises.SERVICE
    assert event.after["due_at"] == DUE.isoformat()


def test_the_panel_says_a_promise_was_broken_until_the_assistant_acts(client, promised, assistant):
    promises.break_overdue_promises(now=DUE + timedelta(minutes=1))
    client.force_login(assistant)
    body = client.get(reverse("queue:item", args=[promised.code])).content.decode()
    assert "Promise broken: follow-up due Thu 10:00 not done." in body
    send(promised, assistant, DUE + timedelta(minutes=30))
    body = client.get(reverse("queue:item", args=[promised.code])).content.decode()
    assert "Promise broken" not in body


def test_the_scorecard_counts_them_per_language_and_drills_down_to_the_items(
    practice_a, promised, assistant
):
    spanish = factories.make_patient(practice_a, preferred_language="es")
    other = verified(owned_item(practice_a, spanish, assistant, language="es"))
    working.set_follow_up(item=other, actor=assistant, follow_up_at=DUE, now=NOW)
    send(promised, assistant, DUE - timedelta(minutes=30))
    promises.break_overdue_promises(now=DUE + timedelta(minutes=1))
    monday = date(2026, 3, 2)
    later = DUE + timedelta(days=7)
    card = compute_scorecard(practice=practice_a, week=monday, now=later)["metrics"]
    kept = card["promises_kept"]
    assert (kept["value"], kept["of"]) == (1, 2)
    assert {row["key"]: (row["value"], row["of"]) for row in kept["by_language"]} == {
        "en": (1, 1),
        "es": (0, 1),
    }
    broken = drilldown(
        practice=practice_a, week=monday, metric="promises_broken", filters={}, now=later
    )
    assert list(broken) == [other]


def test_the_job_is_stored_for_beat_every_minute_under_its_registered_name():
    job = PeriodicTask.objects.get(name="Break promises past their time and raise their items")
    assert job.task == "queue_app.tasks.break_overdue_promises_task"
    assert job.task in current_app.tasks
    assert (job.interval.every, job.interval.period) == (60, "seconds")
