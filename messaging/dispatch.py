"""How other modules queue messaging work: the task names and their chunking, in one place.

Services call these instead of importing messaging.tasks, which imports them (see
queue_app.jobs).
"""

from collections.abc import Sequence

from queue_app.jobs import enqueue

DELIVER_MESSAGE = "messaging.tasks.deliver_message_task"
DELIVER_MESSAGES = "messaging.tasks.deliver_messages_task"
PROCESS_WEBHOOK_EVENT = "messaging.tasks.process_webhook_event_task"

# A reminder batch's deliveries go a few per task: fewer broker round trips, same claim.
DELIVERY_CHUNK = 25


def enqueue_delivery(message_id: int, *, countdown: float | None = None) -> None:
    """Queue the delivery of one message once the current transaction commits."""
    enqueue(DELIVER_MESSAGE, message_id, countdown=countdown)


def enqueue_deliveries(message_ids: Sequence[int]) -> None:
    """Queue delivery of many messages once the transaction commits, DELIVERY_CHUNK per task."""
    ids = list(message_ids)
    for start in range(0, len(ids), DELIVERY_CHUNK):
        enqueue(DELIVER_MESSAGES, ids[start : start + DELIVERY_CHUNK])


def enqueue_webhook_event(event_id: int) -> None:
    """Queue the processing of a stored webhook event once it is committed."""
    enqueue(PROCESS_WEBHOOK_EVENT, event_id)
