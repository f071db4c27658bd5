"""Celery task: a campaign's send, in batches, continued in a fresh task past its budget."""

from celery import shared_task
from django.utils import timezone

from campaigns import sending

# Well inside the soft time limit (60 s); a large campaign goes on in the next task.
BUDGET_SECONDS = 30


@shared_task(ignore_result=True)
def send_campaign_task(campaign_id: int, after: int = 0) -> int:
    queued, rest = sending.send_campaign(
        campaign_id=campaign_id, now=timezone.now(), budget_seconds=BUDGET_SECONDS, after=after
    )
    if rest is not None:
        send_campaign_task.delay(campaign_id, after=rest)
    return queued
