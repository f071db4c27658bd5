"""The daily inbound reconciliation's task (messaging.reconcile)."""

from celery import shared_task
from django.utils import timezone

from messaging import reconcile


@shared_task(ignore_result=True)
def reconcile_inbound_task() -> dict:
    return reconcile.reconcile_inbound(now=timezone.now())
