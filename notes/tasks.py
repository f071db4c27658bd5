from celery import shared_task
from django.utils import timezone

from notes import drafts, services


@shared_task(acks_late=True)
def sample_last_week_task() -> int:
    """Weekly: put last week's stratified QA sample up for review in every practice."""
    return services.sample_last_week(now=timezone.now())


@shared_task
def purge_drafts_task() -> int:
    """Daily: delete unsaved drafts and unclaimed stashes past their keeping time."""
    return drafts.purge_drafts(now=timezone.now())
