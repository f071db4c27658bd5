"""Celery tasks: a campaign's send, split into parts that workers send side by side, each
in batches and continued in a fresh task past its budget."""

from celery import shared_task
from django.utils import timezone

from campaigns import sending, services

# Well inside the soft time limit (60 s); a large part goes on in the next task.
BUDGET_SECONDS = 30


@shared_task(ignore_result=True)
def send_campaign_task(campaign_id: int) -> int:
    parts = sending.plan_parts(campaign_id=campaign_id, now=timezone.now())
    for after, upto in parts:
        send_campaign_part_task.delay(campaign_id, after, upto)
    return len(parts)


@shared_task(ignore_result=True)
def send_campaign_part_task(campaign_id: int, after: int, upto: int | None) -> int:
    queued, rest = sending.send_campaign(
        campaign_id=campaign_id,
        now=timezone.now(),
        after=after,
        upto=upto,
        budget_seconds=BUDGET_SECONDS,
    )
    if rest is not None:
        send_campaign_part_task.delay(campaign_id, rest, upto)
    return queued


@shared_task(ignore_result=True)
def resume_stalled_sends_task() -> int:
    stalled = sending.take_up_stalled_sends(now=timezone.now())
    for campaign_id in stalled:
        send_campaign_part_task.delay(campaign_id, 0, None)
    return len(stalled)


@shared_task(ignore_result=True)
def start_due_occurrences_task() -> int:
    return len(services.start_due_occurrences(now=timezone.now()))
