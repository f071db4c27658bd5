"""Every ItemEvent row is written by queue_app.events.record_item_event(s), nowhere else."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from queue_app.events import record_item_event, record_item_events
from queue_app.models import ItemEvent

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
WRITES = re.compile(
    r"ItemEvent\.objects\.(create|bulk_create|get_or_create)|(?<!class )ItemEvent\("
)


def test_no_module_but_events_writes_item_events():
    writers = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        if not path.is_relative_to(ROOT / "tests")
        and "migrations" not in path.parts
        and not path.is_relative_to(ROOT / ".venv")
        and WRITES.search(path.read_text(encoding="utf-8"))
    ]
    assert writers == ["queue_app/events.py"]


@pytest.mark.django_db
def test_a_person_is_named_as_actor_and_a_worker_as_service(item, assistant):
    by_person = record_item_event(item=item, kind="claimed", now=NOW, actor=assistant, service="x")
    by_worker = record_item_event(item=item.pk, kind="flagged", now=NOW, service="deadline-watch")
    assert (by_person.actor, by_person.service) == (assistant, "")
    assert (by_worker.actor, by_worker.service) == (None, "deadline-watch")


@pytest.mark.django_db
def test_many_items_get_the_same_service_event_in_one_insert(item, django_assert_num_queries):
    with django_assert_num_queries(1):
        record_item_events(item_ids=[item.pk], kind="overdue_flagged", now=NOW, service="watch")
    assert ItemEvent.objects.filter(item=item, kind="overdue_flagged").count() == 1
