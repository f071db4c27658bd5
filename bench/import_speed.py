"""Bad and oversized input, timed: a large CSV, a deeply nested FHIR bundle, long triage lines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench_import .venv/bin/python \
        bench/import_speed.py --rows 50000

Each case runs the real management command in its own process (as an admin would) and reports
its wall time, the CPU time the command used itself (PostgreSQL's work is not in it), its peak
memory (the child's maximum resident set) and its exit status:

- `import_csv` of `--rows` rows, each a patient with one booked appointment next month, into a
  practice created for the run (`bench-import-<time>`, left in the database);
- `manage.py check`: what starting Django costs every command;
- `import_fhir` of a bundle nested `--depth` deep (refused: the depth limit);
- `triage --jsonl` of one line of 8 KB, 16 KB and 1 MB of text followed by a short line.

The database must be migrated (`manage.py migrate`). Prints a Markdown table.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from tests.factories import make_practice  # noqa: E402

SLUG = f"bench-import-{int(time.time())}"
MEMORY_CAP = 8 * 1024**3
SENTENCE = "I need to move my appointment, my chest feels tight since this morning. "


def run(args: list[str], stdin: Path | None = None) -> dict:
    """One command in a child process: seconds, that child's peak MB, exit status. The child
    may not use more than MEMORY_CAP (a runaway parse fails instead of swapping the machine)."""
    start = time.perf_counter()
    with (
        open(stdin or os.devnull, "rb") as source,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        child = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            stdin=source,
            stdout=out,
            stderr=err,
            preexec_fn=_cap_memory,  # noqa: PLW1509 - no threads in this process
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return {
            "seconds": seconds,
            "peak_mb": usage.ru_maxrss / 1024,
            "cpu": usage.ru_utime + usage.ru_stime,
            "exit": child.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def write_csv(path: Path, rows: int) -> None:
    start = datetime.now(UTC) + timedelta(days=30)
    with path.open("w", encoding="utf-8") as out:
        out.write("MRN,First Name,Last Name,DOB,Mobile,Language,Appointment ID,")
        out.write("Appointment Start,Duration,Provider,Status\n")
        for n in range(rows):
            when = (start + timedelta(minutes=15 * (n % 2000))).strftime("%Y-%m-%d %H:%M")
            out.write(
                f"B-{n},Given{n},Family{n},1980-01-{n % 28 + 1:02d},"
                f"(617) 555-{n % 10000:04d},{'es' if n % 3 else 'en'},V-{n},{when},20,"
                f"Dr. Patel,booked\n"
            )


def write_deep_bundle(path: Path, depth: int) -> None:
    entry = '{"resource":' * depth + "1" + "}" * depth
    path.write_text('{"resourceType":"Bundle","type":"collection","entry":[' + entry + "]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--depth", type=int, default=100_000)
    args = parser.parse_args()
    make_practice(
        slug=SLUG, languages=["en", "es"], phone=f"+1202555{int(time.time()) % 10000:04d}"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "patients.csv"
        write_csv(csv_path, args.rows)
        size = csv_path.stat().st_size / 1_048_576
        outcome = run(["import_csv", str(csv_path), "--practice", SLUG])
        results.append((f"import_csv, {args.rows:,} rows ({size:.1f} MB)", outcome))
        outcome = run(["import_csv", str(csv_path), "--practice", SLUG])
        results.append((f"import_csv again, {args.rows:,} rows unchanged", outcome))
        outcome = run(["check"])
        results.append(("manage.py check (the cost of starting Django)", outcome))
        bundle = folder / "deep.json"
        write_deep_bundle(bundle, args.depth)
        kb = bundle.stat().st_size / 1024
        outcome = run(["import_fhir", str(bundle), "--practice", SLUG])
        results.append((f"import_fhir, {kb:.0f} KB nested {args.depth:,} deep", outcome))
        for size in (8_000, 16_000, 1_000_000):
            lines = folder / f"triage-{size}.jsonl"
            text = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
            lines.write_text(
                json.dumps({"id": "long", "text": text})
                + "\n"
                + json.dumps({"id": "after", "text": "can I reschedule to friday"})
                + "\n"
            )
            outcome = run(["triage", "--jsonl", str(lines)])
            results.append((f"triage --jsonl, a {size:,}-character line then a short one", outcome))
    print(f"Load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    print()
    print("| case | seconds | its CPU seconds | peak MB | exit | last line of output |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, outcome in results:
        said = (outcome["stdout"].strip().splitlines() or [""])[-1][:90]
        err = (outcome["stderr"].strip().splitlines() or [""])[-1][:90]
        print(
            f"| {name} | {outcome['seconds']:.1f} | {outcome['cpu']:.1f} | "
            f"{outcome['peak_mb']:.0f} | {outcome['exit']} | {said or err} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
