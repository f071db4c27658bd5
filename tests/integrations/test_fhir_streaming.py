import json
import tracemalloc
from pathlib import Path

import pytest

from integrations.fhir_import import import_fhir_bundle
from queue_app.models import Appointment, Patient
from tests.integrations.helpers import NOW

ENTRIES = 100
# Each Patient carries ~500 KB of narrative, as EHR exports with generated history text do;
# few large entries keep the test about memory rather than database round trips.
NARRATIVE = "<p>" + "Visit summary line. " * 25000 + "</p>"


def _write_big_bundle(path: Path) -> int:
    """Write a ~50 MB bundle entry by entry, so the test itself never holds it whole."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"resourceType": "Bundle", "type": "collection", "entry": [')
        for n in range(ENTRIES):
            patient = {
                "resourceType": "Patient",
                "id": f"big-{n}",
                "text": {
                    "status": "generated",
                    "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{NARRATIVE}</div>',
                },
                "name": [{"use": "official", "family": f"Stream{n}", "given": ["Pat"]}],
                "telecom": [{"system": "phone", "value": f"+1617555{n % 10000:04d}"}],
            }
            appointment = {
                "resourceType": "Appointment",
                "id": f"big-apt-{n}",
                "status": "fulfilled",
                "start": "2026-11-02T09:00:00-05:00",
                "end": "2026-11-02T09:15:00-05:00",
                "participant": [
                    {"actor": {"reference": f"Patient/big-{n}"}, "status": "accepted"},
                    {"actor": {"type": "Practitioner", "display": "Dr. Lee"}, "status": "accepted"},
                ],
            }
            separator = "," if n else ""
            out.write(separator + json.dumps({"resource": patient}))
            out.write("," + json.dumps({"resource": appointment}))
        out.write("]}")
    return path.stat().st_size


@pytest.mark.slow
def test_a_50_mb_bundle_is_streamed_not_read_whole(practice_a, tmp_path):
    path = tmp_path / "big.json"
    size = _write_big_bundle(path)
    assert size > 50_000_000

    tracemalloc.start()
    try:
        with path.open("rb") as source:
            report = import_fhir_bundle(
                practice=practice_a, source=source, filename="big.json", now=NOW
            )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (2 * ENTRIES, 0, 0)
    assert Patient.objects.filter(practice=practice_a).count() == ENTRIES
    assert Appointment.objects.filter(practice=practice_a, status="completed").count() == ENTRIES
    assert peak < 30_000_000, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"
