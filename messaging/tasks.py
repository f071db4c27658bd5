"""Celery tasks: thin wrappers that take ids, call one service with `now`, and return.

The delivery tasks are acks_late and rejected back to the queue when their worker process
dies, because they are idempotent: the conditional claim makes a redelivered or duplicated
task a no-op, so a worker killed mid-task loses nothing. A database error (PostgreSQL
restarting) retries the task with backoff instead of dropping it; rows a failed task leaves
behind are still the sweeper's (messaging.delivery.sweep_stale_messages).
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from messaging import delivery, inbound, reminders, survey

# Retried after up to 2, 4, 8, 16, 30, 30 … s (jittered), for some ten minutes.
DELIVERY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 30,
    "max_retries": 20,
}


@shared_task(**DELIVERY)
def deliver_message_task(message_id: int) -> str:
    return delivery.deliver_message(message_id=message_id, now=timezone.now())


@shared_task(**DELIVERY)
def deliver_messages_task(message_ids: list[int]) -> dict:
    """A reminder batch's deliveries, a few ids per task; idempotent like the single one."""
    return delivery.deliver_messages(message_ids=message_ids, now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def process_webhook_event_task(event_id: int) -> str:
    return inbound.process_webhook_event(event_id=event_id, now=timezone.now())


@shared_task(ignore_result=True)
def sweep_stale_messages_task() -> dict:
    now = timezone.now()
    counts = delivery.sweep_stale_messages(now=now)
    counts["events"] = inbound.sweep_webhook_events(now=now)
    return counts


# Concurrent runs take disjoint batches (skip_locked), so a backlog is shared out.
REMINDER_FAN_OUT = 2


@shared_task(ignore_result=True)
def send_due_reminders_task(fan_out: int = REMINDER_FAN_OUT) -> int:
    now = timezone.now()
    if fan_out > 1 and reminders.reminders_due(now=now, more_than=reminders.REMINDER_BATCH):
        # A backlog: helpers start at once and share it with this run.
        for _ in range(fan_out - 1):
            send_due_reminders_task.delay(fan_out=1)
    # Well inside the soft time limit; a big backlog continues in a fresh task.
    queued = reminders.send_due_reminders(now=now, budget_seconds=30)
    if reminders.reminders_due(now=now):
        send_due_reminders_task.delay(fan_out=1)
    return queued


@shared_task(ignore_result=True)
def open_no_show_items_task() -> int:
    return reminders.open_no_show_items(now=timezone.now())


@shared_task(ignore_result=True)
def send_callback_fallbacks_task() -> int:
    return reminders.send_callback_fallbacks(now=timezone.now())


@shared_task(ignore_result=True)
def flag_overdue_items_task() -> int:
    return reminders.flag_overdue_items(now=timezone.now())


@shared_task(ignore_result=True)
def ask_due_surveys_task() -> int:
    return survey.ask_due_surveys(now=timezone.now())
