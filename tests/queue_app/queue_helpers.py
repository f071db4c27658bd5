"""Shared setup for the queue's service and view tests: a fixed 'now' inside business hours."""

from datetime import UTC, datetime, timedelta

from notes.services import record_note
from queue_app.models import WorkItem
from tests import factories

# Wednesday 4 March 2026, 10:00 in New York: practice_a is open, outside quiet hours.
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)

GOOD_NOTE = {
    "request": "Patient asked to move the 3/6 9:00 AM visit with Dr. Huang (work conflict)",
    "verified_details": "Identity confirmed (name + DOB)",
    "action_taken": "Moved to 3/13 at 2:10 PM; confirmation text sent",
    "promised_follow_up": "Reminder goes out 3/12; item closed",
    "escalation_status": "No clinical questions; escalation: none",
}


def open_item(practice, patient, **overrides) -> WorkItem:
    """An item received 30 minutes before NOW, due two hours after it."""
    received = overrides.pop("received_at", NOW - timedelta(minutes=30))
    return factories.make_item(
        practice,
        patient=patient,
        received_at=received,
        due_at=overrides.pop("due_at", received + timedelta(hours=2)),
        **overrides,
    )


def owned_item(practice, patient, owner, **overrides) -> WorkItem:
    return open_item(practice, patient, owner=owner, status=WorkItem.Status.ASSIGNED, **overrides)


def verified(item: WorkItem) -> WorkItem:
    item.verified_fields = list(item.moment.verification_fields)
    item.identity_verified_at = NOW - timedelta(minutes=5)
    item.save(update_fields=["verified_fields", "identity_verified_at"])
    return item


def good_note(item: WorkItem, author, now=NOW):
    return record_note(item=item, author=author, fields=GOOD_NOTE, now=now)


def no_quiet_hours(item: WorkItem) -> None:
    """Written messages of this moment may go at any hour: the test's wall clock can't matter."""
    from templates_lib.models import ChannelRule

    ChannelRule.objects.filter(moment=item.moment).update(respects_quiet_hours=False)
