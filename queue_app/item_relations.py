"""What the merge / link widget shows beside an item: reads only (queue_app.services.merging
changes them)."""

from dataclasses import dataclass, field

from django.db.models import Q

from queue_app.models import ItemLink, WorkItem
from queue_app.services.merging import merge_refusal

CANDIDATES = 10


@dataclass
class Relations:
    merged_into: WorkItem | None = None
    merged: list[WorkItem] = field(default_factory=list)
    linked: list[WorkItem] = field(default_factory=list)
    # The patient's other items, each with why it may not be merged into this one ("" if it may).
    candidates: list[tuple[WorkItem, str]] = field(default_factory=list)


def item_relations(*, item: WorkItem) -> Relations:
    """The item's merges and links, and the same patient's other items to merge or link."""
    base = WorkItem.objects.select_related("moment", "practice")
    relations = Relations(
        merged_into=base.filter(pk=item.merged_into_id).first() if item.merged_into_id else None,
        merged=list(base.filter(merged_into=item).order_by("received_at")),
    )
    pairs = ItemLink.objects.filter(Q(first=item) | Q(second=item)).values_list("first", "second")
    linked_ids = {pk for pair in pairs for pk in pair} - {item.pk}
    relations.linked = list(base.filter(pk__in=linked_ids).order_by("-received_at"))
    if item.patient_id is not None:
        others = (
            base.filter(practice=item.practice_id, patient=item.patient_id, merged_into=None)
            .exclude(pk=item.pk)
            .exclude(pk__in=linked_ids)
            .order_by("-received_at")[:CANDIDATES]
        )
        for other in others:
            other.patient = item.patient  # same patient: spares a query per row
            relations.candidates.append((other, merge_refusal(other, item)))
    return relations
