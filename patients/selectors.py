"""Reads for the search results: each patient's latest items beside their name."""

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from queue_app.models import Patient, WorkItem

ITEMS_PER_PATIENT = 5


def attach_recent_items(patients: list[Patient]) -> None:
    """Give each patient `.recent_items` (open and resolved, newest first, at most five) and
    `.open_count`, in one query for the whole page."""
    items = (
        WorkItem.objects.filter(patient__in=patients)
        .select_related("moment")
        .annotate(
            row=Window(RowNumber(), partition_by=F("patient_id"), order_by=F("received_at").desc()),
            open_count=Window(
                Count("id", filter=~Q(status=WorkItem.Status.RESOLVED)),
                partition_by=F("patient_id"),
            ),
        )
        .filter(row__lte=ITEMS_PER_PATIENT)
        .order_by("patient_id", "row")
    )
    by_patient: dict[int, list[WorkItem]] = {}
    for item in items:
        by_patient.setdefault(item.patient_id, []).append(item)
    for patient in patients:
        patient.recent_items = by_patient.get(patient.pk, [])
        patient.open_count = patient.recent_items[0].open_count if patient.recent_items else 0
