"""The attachment tasks: kept apart from messaging.tasks, which holds delivery."""

from celery import shared_task
from django.utils import timezone

from messaging import attachments

RETRY_AFTER_SECONDS = 60


@shared_task(bind=True, ignore_result=True, max_retries=attachments.MAX_ATTEMPTS)
def fetch_attachment_task(self, attachment_id: int) -> str:
    outcome = attachments.fetch_attachment(attachment_id=attachment_id, now=timezone.now())
    if outcome == "retry":
        raise self.retry(countdown=RETRY_AFTER_SECONDS * (self.request.retries + 1))
    return outcome


@shared_task(ignore_result=True)
def sweep_attachments_task() -> dict:
    return attachments.sweep_attachments(now=timezone.now())
