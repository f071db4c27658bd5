"""Run as a script against a fresh SQLite database: eight people press Claim on one item at
once, through the view, the way a double-click or two assistants would; then a new Spanish
item is assigned round robin. Prints a JSON summary."""

import json
import os
import sys
from functools import partial

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from queue_app.models import ItemEvent, Role, WorkItem  # noqa: E402
from queue_app.services import ownership  # noqa: E402
from tests import factories  # noqa: E402
from tests.concurrency import at_once  # noqa: E402
from tests.queue_app.queue_helpers import NOW, open_item  # noqa: E402

PEOPLE = 8


def main() -> None:
    call_command("migrate", "--noinput", verbosity=0)
    assert connection.vendor == "sqlite"
    practice = factories.make_practice(slug="sqlite")
    item = factories.make_item(practice, patient=factories.make_patient(practice))
    clients = []
    for n in range(PEOPLE):
        client = Client(raise_request_exception=False)
        client.force_login(factories.make_user(f"assistant-{n}", practice, Role.ASSISTANT))
        clients.append(client)
    connection.close()
    url = reverse("queue:item-claim", args=[item.code])

    def press(client: Client) -> list[int]:
        # Each person double-clicks.
        return [client.post(url, headers={"HX-Request": "true"}).status_code for _ in range(2)]

    pressed = at_once(*[partial(press, c) for c in clients])
    statuses = [status for pair in pressed for status in pair]
    item.refresh_from_db()
    summary = {
        "statuses": sorted(statuses),
        "owner": item.owner_id is not None,
        "status": item.status,
        "claimed_events": ItemEvent.objects.filter(item=item, kind="claimed").count(),
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        "round_robin_owner": round_robin_owner(practice),
    }
    json.dump(summary, sys.stdout)
    assert item.status == WorkItem.Status.ASSIGNED


def round_robin_owner(practice) -> str:
    """Who a new Spanish item goes to: the assistants above speak English only."""
    factories.make_user("bilingual", practice, Role.ASSISTANT, languages=["en", "es"])
    patient = factories.make_patient(practice, preferred_language="es")
    item = open_item(practice, patient)
    ownership.assign_new_item(item=item, now=NOW)
    item.refresh_from_db()
    return item.owner.username if item.owner else ""


if __name__ == "__main__":
    main()
