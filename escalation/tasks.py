"""Celery tasks of escalation: ids in, one service call, nothing else."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from escalation import services


@shared_task
def escalate_overdue_acknowledgements_task() -> int:
    return services.escalate_overdue_acknowledgements(now=timezone.now())


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def email_alerts_task(self, alert_ids: list[int]) -> int:
    # Idempotent: each alert's emailed_at is claimed before sending, so acks_late is safe.
    try:
        return services.email_alerts(alert_ids=alert_ids, now=timezone.now())
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
