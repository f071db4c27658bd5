"""The data migration that marks items already sent back before the queue tracked it."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from escalation import services
from queue_app.models import WorkItem
from tests import factories

pytestmark = pytest.mark.django_db
backfill = importlib.import_module("escalation.migrations.0004_backfill_sent_back").backfill


def test_it_marks_items_whose_latest_escalation_was_returned(practice_a, patient, clinical):
    now = timezone.now()
    returned = factories.make_item(practice_a, patient=patient)
    answered = factories.make_item(practice_a, patient=patient)
    again = factories.make_item(practice_a, patient=patient)
    for item in (returned, answered, again):
        escalation = services.escalate_item(
            item=item, route_kind="clinical", reason="x", now=now - timedelta(minutes=9)
        )
        if item is answered:
            services.resolve_escalation(escalation=escalation, actor=clinical, note="ok", now=now)
        else:
            services.return_escalation(
                escalation=escalation, actor=clinical, instruction="Book it", now=now
            )
    services.escalate_item(
        item=again, route_kind="clinical", reason="y", now=now + timedelta(minutes=1)
    )
    # As before the column existed.
    WorkItem.objects.update(sent_back_at=None)

    backfill(apps, None)

    assert WorkItem.objects.get(pk=returned.pk).sent_back_at == now
    assert WorkItem.objects.get(pk=answered.pk).sent_back_at is None
    assert WorkItem.objects.get(pk=again.pk).sent_back_at is None
