"""The embedded default (SQLite) takes simultaneous claims without "database is locked", and
assigns new items round robin by language."""

import pytest

from tests.embedded import run_embedded_script


@pytest.mark.slow
def test_simultaneous_claims_on_sqlite_give_one_owner_and_no_500(tmp_path):
    summary = run_embedded_script(
        "tests.queue_app.sqlite_claims", tmp_path, CELERY_TASK_ALWAYS_EAGER="False"
    )
    assert summary["journal_mode"] == "wal"
    assert summary["statuses"] == [200] * 16, summary
    assert summary["owner"]
    assert summary["claimed_events"] == 1
    assert summary["round_robin_owner"] == "bilingual"
