"""Items the clinical team sent back before the queue tracked it lead the queue too."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    WorkItem = apps.get_model("queue_app", "WorkItem")
    Escalation = apps.get_model("escalation", "Escalation")
    latest = Escalation.objects.filter(item=OuterRef("pk")).order_by("-created", "-id")
    # Only where the item's latest escalation is the return, and nothing has moved it on.
    WorkItem.objects.filter(status__in=["new", "assigned"], sent_back_at__isnull=True).annotate(
        last_status=Subquery(latest.values("status")[:1])
    ).filter(last_status="returned").update(
        sent_back_at=Subquery(latest.values("returned_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("escalation", "0003_triage_label"),
        ("queue_app", "0016_item_sent_back"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
