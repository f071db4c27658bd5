"""Run as a script against a fresh SQLite database (the embedded default): the patient search
and the patient's page through their views. Prints a JSON summary."""

import json
import os
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from queue_app.models import Role, WorkItem  # noqa: E402
from queue_app.search_terms import reference  # noqa: E402
from tests import factories  # noqa: E402


def main() -> None:
    call_command("migrate", "--noinput", verbosity=0)
    assert connection.vendor == "sqlite"
    practice = factories.make_practice(slug="sqlite")
    assistant = factories.make_user("sqlite-assistant", practice, Role.ASSISTANT)
    rosa = factories.make_patient(
        practice,
        first_name="Rosa",
        last_name="Gómez",
        date_of_birth=date(1961, 3, 14),
        phone="+15551234567",
        external_id="MRN-5",
    )
    factories.make_patient(practice, first_name="Rosa", last_name="Gomez")
    item = factories.make_item(
        practice, patient=rosa, status=WorkItem.Status.RESOLVED, resolved_at=timezone.now()
    )
    client = Client()
    client.force_login(assistant)
    found = {}
    for query in ("gomez", "GOMEZ 3/14/1961", "(555) 123-4567", "mrn-5", reference(item.code)):
        body = client.post(reverse("patients:search"), {"q": query}).content.decode()
        found[query] = body.count("data-result")
    page = client.get(reverse("patients:patient", args=[rosa.code]))
    print(json.dumps({"found": found, "page": page.status_code}))


if __name__ == "__main__":
    main()
