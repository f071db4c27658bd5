"""The embedded default (SQLite) finds patients the same way: its search function is
registered per connection, where PostgreSQL has it from migration 0011."""

import pytest

from tests.embedded import run_embedded_script


@pytest.mark.slow
def test_search_and_the_patient_page_work_on_sqlite(tmp_path):
    summary = run_embedded_script("tests.patients.sqlite_search", tmp_path)
    found = summary["found"]
    assert found.pop("gomez") == 2  # Rosa Gómez and Rosa Gomez
    # Name with birth date, phone, MRN in lower case, the resolved item's reference: Rosa only.
    assert list(found.values()) == [1, 1, 1, 1]
    assert summary["page"] == 200
