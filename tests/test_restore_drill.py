"""The restore drill against the test database and a scratch attachments folder: a backup
restores whole, and a difference fails it."""

import os
import re
import shutil
import subprocess
import sys
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from messaging.attachments import store_upload
from messaging.models import Attachment
from queue_app.events import record_item_event
from queue_app.models import AuditEvent, ItemEvent, Message, WorkItem
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
DRILL = ROOT / "bin" / "restore-drill"
pytestmark = pytest.mark.slow
# The first bytes of real files: enough for their signatures, padded to a plausible size.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x11" * 4000
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"%" * 2000 + b"\n%%EOF\n"


def database_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def store(settings, tmp_path):
    """The attachments storage in a fresh folder, for the app here and the drill alike."""
    folder = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }
    return folder


@pytest.fixture
def committed(transactional_db, practice_a, patient, store):
    """Rows pg_dump can see: committed, with an item, its events and audit rows."""
    for _ in range(3):
        item = factories.make_item(practice_a, patient=patient)
        record_item_event(item=item, kind="created", now=timezone.now(), service="test")
    AuditEvent.objects.create(
        service="test", action="item_view", practice=practice_a, created=timezone.now()
    )
    return database_url(connection.settings_dict["NAME"])


@pytest.fixture
def attachments(committed, practice_a, patient) -> list[Attachment]:
    """Three files a patient sent, kept the way the app keeps them (committed)."""
    item = factories.make_item(practice_a, patient=patient)
    message = factories.make_message(
        item, direction=Message.Direction.INBOUND, status=Message.Status.RECEIVED, body="My card"
    )
    kept = [
        store_upload(message=message, position=n, declared_type="image/jpeg", size=len(content),
                     read=lambda content=content: content, now=timezone.now())
        for n, content in enumerate([JPEG, PDF, JPEG[:-10] + b"0123456789"])
    ]  # fmt: skip
    assert [a.status for a in kept] == ["stored"] * 3
    return kept


def drill(*args: str, attachments_root: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if attachments_root:
        env["ATTACHMENTS_ROOT"] = str(attachments_root)
    return subprocess.run(
        [sys.executable, str(DRILL), *args], capture_output=True, text=True, timeout=300, env=env
    )


def load_drill():
    spec = spec_from_loader("restore_drill", SourceFileLoader("restore_drill", str(DRILL)))
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_test_database_restores_with_every_count_and_the_audit_trail(committed, store):
    result = drill("--database-url", committed, attachments_root=store)

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


def test_a_changed_audit_row_or_a_missing_row_is_reported(committed, store):
    module = load_drill()
    result = drill("--database-url", committed, "--keep", attachments_root=store)
    scratch = re.search(r"scratch database kept: (\w+)", result.stdout).group(1)
    shutil.rmtree(re.search(r"restored attachments kept: (\S+)", result.stdout).group(1))
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


def test_stored_attachments_restore_with_their_bytes_and_a_stray_file_only_warns(
    attachments, committed, store
):
    stray = store / "stray" / "leftover"
    stray.parent.mkdir()
    stray.write_bytes(b"written after the snapshot, or never recorded")

    result = drill("--database-url", committed, attachments_root=store)

    assert result.returncode == 0, result.stderr
    assert "restore drill: OK" in result.stdout
    assert "ok       attachments: 3 of 3 stored files restored" in result.stdout
    assert "WARNING  stray/leftover: a file in the attachments storage with no stored" in (
        result.stdout
    )
    assert "attachments 4 files" in result.stdout
    assert "MISMATCH" not in result.stdout + result.stderr


def test_a_file_lost_or_changed_before_the_backup_fails_the_drill_naming_it(
    attachments, committed, store, patient
):
    lost, changed, whole = attachments
    (store / lost.file.name).unlink()
    # The same size, other bytes: only the recorded sha256 can tell.
    (store / changed.file.name).write_bytes(PDF.replace(b"Catalog", b"Catalox"))

    result = drill("--database-url", committed, attachments_root=store)

    assert result.returncode == 1
    assert "restore drill: FAILED" in result.stdout
    assert "MISMATCH attachments: 1 of 3 stored files restored" in result.stdout
    assert result.stderr.splitlines() == [
        f"MISMATCH attachment {lost.code}: file missing from the restored storage",
        f"MISMATCH attachment {changed.code}: restored bytes differ from its sha256",
    ]
    assert str(whole.code) not in result.stdout + result.stderr
    # The tables still restored whole, and nothing names the patient.
    assert "MISMATCH queue_app" not in result.stdout
    assert patient.phone not in result.stdout + result.stderr
    assert patient.first_name not in result.stdout + result.stderr


def test_a_file_deleted_or_altered_in_the_backup_is_reported_by_its_code(
    attachments, committed, store
):
    module = load_drill()
    result = drill("--database-url", committed, "--keep", attachments_root=store)
    assert result.returncode == 0, result.stderr
    scratch = re.search(r"scratch database kept: (\w+)", result.stdout).group(1)
    restored = Path(re.search(r"restored attachments kept: (\S+)", result.stdout).group(1))
    deleted, truncated, altered = attachments
    try:
        (restored / deleted.file.name).unlink()
        (restored / truncated.file.name).write_bytes(PDF[:100])
        (restored / altered.file.name).write_bytes(JPEG)  # same size, last bytes differ
        with psycopg.connect(database_url(scratch)) as conn:
            stored, problems, orphans = module.check_attachments(conn, restored)
    finally:
        module.drop_database(committed, scratch)
        shutil.rmtree(restored)

    assert (stored, orphans) == (3, [])
    assert problems == [
        f"attachment {deleted.code}: file missing from the restored storage",
        f"attachment {truncated.code}: 100 bytes restored, {len(PDF)} recorded",
        f"attachment {altered.code}: restored bytes differ from its sha256",
    ]
