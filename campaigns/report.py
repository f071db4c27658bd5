"""A campaign's outcome, counted in the database: what went, what arrived, what came back."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q

from campaigns.models import Campaign, Recipient
from queue_app.models import Message

SENT = (Message.Status.SENT, Message.Status.DELIVERED, Message.Status.UNDELIVERED)
FAILED = (Message.Status.FAILED, Message.Status.UNDELIVERED)
NOT_SENT = (Message.Status.BLOCKED, Message.Status.CANCELLED)


@dataclass(frozen=True)
class Report:
    messages: int
    waiting: int  # scheduled for after quiet hours, queued or being sent
    sent: int  # accepted by the carrier's gateway
    delivered: int
    failed: int
    not_sent: int  # held back at send time: opted out meanwhile, over the patient's limit
    replied: int  # patients who texted the practice after their campaign message
    opted_out: int  # patients who opted out after it


def campaign_report(campaign: Campaign) -> Report:
    """Counts for one campaign; one query."""
    return Report(**Recipient.objects.filter(campaign=campaign).aggregate(**_counts()))


def occurrence_reports(campaign: Campaign, limit: int = 104) -> list[tuple[Campaign, Report]]:
    """Each send of a recurring campaign, latest first, with its counts; two queries."""
    occurrences = list(campaign.occurrences.order_by("-occurs_on")[:limit])
    rows = (
        Recipient.objects.filter(campaign__in=occurrences)
        .values("campaign_id")
        .annotate(**_counts())
    )
    counts = {row.pop("campaign_id"): Report(**row) for row in rows}
    empty = Report(**dict.fromkeys(Report.__dataclass_fields__, 0))
    return [(occurrence, counts.get(occurrence.pk, empty)) for occurrence in occurrences]


def _counts() -> dict:
    replies = Message.objects.filter(
        patient_id=OuterRef("patient_id"),
        direction=Message.Direction.INBOUND,
        created__gte=OuterRef("message__created"),
    )
    waiting = [
        Message.Status.SCHEDULED,
        Message.Status.QUEUED,
        Message.Status.SENDING,
        Message.Status.UNKNOWN,
    ]
    return {
        "messages": Count("pk"),
        "waiting": Count("pk", filter=Q(message__status__in=waiting)),
        "sent": Count("pk", filter=Q(message__status__in=SENT)),
        "delivered": Count("pk", filter=Q(message__status=Message.Status.DELIVERED)),
        "failed": Count("pk", filter=Q(message__status__in=FAILED)),
        "not_sent": Count("pk", filter=Q(message__status__in=NOT_SENT)),
        "replied": Count("pk", filter=Exists(replies)),
        "opted_out": Count("pk", filter=Q(patient__opted_out_at__gte=F("message__created"))),
    }
