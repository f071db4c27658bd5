from celery import shared_task
from django.utils import timezone

from notes import services


@shared_task(acks_late=True)
def sample_last_week_task() -> int:
    """Weekly: put last week's stratified QA sample up for review in every practice."""
    return services.sample_last_week(now=timezone.now())
