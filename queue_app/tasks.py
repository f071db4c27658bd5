"""Celery tasks of the queue's core: thin wrappers that call one service with `now`."""

from celery import shared_task
from django.utils import timezone

from queue_app import retention
from queue_app.services import promises


@shared_task(ignore_result=True)
def apply_retention_task() -> dict:
    return retention.apply_retention(now=timezone.now())


@shared_task(ignore_result=True)
def break_overdue_promises_task() -> int:
    return promises.break_overdue_promises(now=timezone.now())
