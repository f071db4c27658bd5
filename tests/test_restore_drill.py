"""The restore drill against the test database: a dump restores whole, and a difference fails it."""

import re
import subprocess
import sys
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from queue_app.events import record_item_event
from queue_app.models import AuditEvent, ItemEvent, WorkItem
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
DRILL = ROOT / "bin" / "restore-drill"
pytestmark = pytest.mark.slow


def database_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def committed(transactional_db, practice_a, patient):
    """Rows pg_dump can see: committed, with an item, its events and audit rows."""
    for _ in range(3):
        item = factories.make_item(practice_a, patient=patient)
        record_item_event(item=item, kind="created", now=timezone.now(), service="test")
    AuditEvent.objects.create(
        service="test", action="item_view", practice=practice_a, created=timezone.now()
    )
    return database_url(connection.settings_dict["NAME"])


def drill(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DRILL), *args], capture_output=True, text=True, timeout=300
    )


def test_the_test_database_restores_with_every_count_and_the_audit_trail(committed):
    result = drill("--database-url", committed)

    assert result.returncode == 0, result.stderr
    assert "restore drill: OK" in result.stdout
    assert f"queue_app_workitem: {WorkItem.objects.count()} rows" in result.stdout
    audits = AuditEvent.objects.count()
    assert (
        f"queue_app_auditevent: {audits} rows, latest id {AuditEvent.objects.latest('id').pk}"
        in (result.stdout)
    )
    assert f"queue_app_itemevent: {ItemEvent.objects.count()} rows" in result.stdout
    assert "MISMATCH" not in result.stdout


def test_a_changed_audit_row_or_a_missing_row_is_reported(committed):
    spec = spec_from_loader("restore_drill", SourceFileLoader("restore_drill", str(DRILL)))
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    result = drill("--database-url", committed, "--keep")
    scratch = re.search(r"scratch database kept: (\w+)", result.stdout).group(1)
    try:
        with psycopg.connect(database_url(scratch), autocommit=True) as restored:
            # Edit the trail behind its append-only guard, and lose an item's last event.
            restored.execute("ALTER TABLE queue_app_auditevent DISABLE TRIGGER USER")
            restored.execute(
                "UPDATE queue_app_auditevent SET action = 'edited' "
                "WHERE id = (SELECT max(id) FROM queue_app_auditevent)"
            )
            restored.execute("ALTER TABLE queue_app_itemevent DISABLE TRIGGER USER")
            restored.execute(
                "DELETE FROM queue_app_itemevent "
                "WHERE id = (SELECT max(id) FROM queue_app_itemevent)"
            )
            found = module.measure(restored)
        with psycopg.connect(committed) as source:
            expected = module.measure(source)
    finally:
        module.drop_database(committed, scratch)

    problems = module.compare(expected, found)
    assert [p.split(":")[0] for p in problems] == ["queue_app_auditevent", "queue_app_itemevent"]


def test_an_unreachable_source_fails_the_drill():
    result = drill("--database-url", database_url("restore_drill_no_such_database"))
    assert result.returncode == 2
    assert "restore drill: FAILED" in result.stderr
