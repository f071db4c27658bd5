"""What the queue's workflows share: their refusals and how they hold an item while changing it."""

from django.contrib.auth.models import User

from queue_app.clock import BusinessHours
from queue_app.models import Practice, WorkItem

# Statuses in which someone is working the item.
WORKED = (WorkItem.Status.ASSIGNED, WorkItem.Status.WAITING, WorkItem.Status.ESCALATED)


class ActionRefused(Exception):
    """A domain rule refuses the action; the message is shown to the person as it is."""


class ItemNotClaimable(ActionRefused):
    def __init__(self, message: str, holder: User | None = None) -> None:
        super().__init__(message)
        self.holder = holder


def holder_name(user: User | None) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.username


def business_hours(practice: Practice) -> BusinessHours:
    return BusinessHours.from_json(practice.timezone, practice.business_hours)


def locked(item: WorkItem) -> WorkItem:
    """The item's row, locked for the rest of the transaction, with what the checks need."""
    return (
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("practice", "patient", "moment", "owner")
        .get(pk=item.pk)
    )


def require_owner(item: WorkItem, actor: User) -> None:
    if item.status == WorkItem.Status.RESOLVED:
        raise ActionRefused("This item is already resolved.")
    if item.owner_id != actor.pk:
        if item.owner_id is None:
            raise ActionRefused("Claim this item first.")
        raise ActionRefused(f"{holder_name(item.owner)} has this item; ask them or a manager.")


def refreshed(item: WorkItem) -> WorkItem:
    """Reload the caller's instance, so what the view renders next is what is stored."""
    item.refresh_from_db()
    return item
