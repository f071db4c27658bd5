"""Server time of the patient search at 100,000 or 1,000,000 patients and work items.

    .venv/bin/python bench/search_speed.py --size 100k
    .venv/bin/python bench/search_speed.py --size 1m --write-docs   # docs/PERFORMANCE.md

Its own database per size (pq_bench_search_100k, pq_bench_search_1m), seeded once and reused:
`seed_demo` makes 20 practices with their playbooks and staff (assistant.all works all of
them: the widest search there is), then SQL adds N patients and N work items in bulk. Names
follow a realistic spread: about one patient in six carries one of the demo's 32 common
surnames (so "gomez" matches ~0.5 % of everyone, thousands at 1M), the rest a surname built
from syllables (tens of thousands of distinct ones), first names from the demo's lists.
97 % of the items are resolved.

Each query is posted to /patients/search/ through Django's test client in this process
(middleware, view, template and every SQL query; no network), as assistant.all; p50 and p95
of the server time per query and over all of them.
"""

import argparse
import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import seed_size  # noqa: E402
from run import put_block  # noqa: E402

SIZES = {"100k": 100_000, "1m": 1_000_000}
OUT = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "PERFORMANCE.md"
SYLLABLES = [
    "al",
    "bar",
    "cas",
    "del",
    "fer",
    "gar",
    "her",
    "ist",
    "jo",
    "kal",
    "lin",
    "mar",
    "nor",
    "ol",
    "per",
    "quin",
    "ros",
    "san",
    "tor",
    "ur",
    "val",
    "wes",
    "yar",
    "zam",
    "bel",
    "cor",
    "dun",
    "el",
    "fal",
    "gon",
    "hal",
]
ENDINGS = ["", "ez", "son", "es", "ini", "ov", "berg", "ton", "ado", "ley"]


def demo_names() -> tuple[list[str], list[str]]:
    """The demo's first names and surnames (read from demo/seed.py without Django)."""
    tree = ast.parse((ROOT / "demo" / "seed.py").read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in (
            "FIRST_NAMES",
            "LAST_NAMES",
        ):
            lists = ast.literal_eval(node.value)
            found[node.targets[0].id] = [name for names in lists.values() for name in names]
    return found["FIRST_NAMES"], found["LAST_NAMES"]


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def seed_sql(n: int) -> str:
    """Bulk patients and items, in SQL: a million rows of each in a few minutes."""
    syllables, endings = sql_array(SYLLABLES), sql_array(ENDINGS)
    first, last = demo_names()
    firsts, lasts = sql_array(first), sql_array(last)
    return f"""
CREATE TEMP TABLE practices AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM queue_app_practice;
CREATE TEMP TABLE moments AS
  SELECT practice_id, row_number() OVER (PARTITION BY practice_id ORDER BY id) - 1 AS i, id
  FROM queue_app_communicationmoment;
INSERT INTO queue_app_patient (code, practice_id, first_name, last_name, date_of_birth, phone,
    email, preferred_language, contact_window, external_id, created, updated)
SELECT gen_random_uuid(), p.id,
  ({firsts})[1 + (g * 7) % {len(first)}],
  CASE WHEN g % 6 = 0 THEN ({lasts})[1 + (g / 6) % {len(last)}]
    ELSE initcap(({syllables})[1 + g % 30] || ({syllables})[1 + (g / 30) % 30]
                 || ({endings})[1 + (g / 900) % 10]) END,
  date '1930-01-01' + ((g * 7919) % 32000)::int,
  '+1555' || lpad(((g * 104729) % 10000000)::text, 7, '0'),
  '', CASE WHEN g % 3 = 0 THEN 'es' ELSE 'en' END, '', 'B' || g, now(), now()
FROM generate_series(1::bigint, {n}) g JOIN practices p ON p.i = g % 20;
CREATE TEMP TABLE bench_patients AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, practice_id FROM queue_app_patient
  WHERE external_id LIKE 'B%';
INSERT INTO queue_app_workitem (code, practice_id, patient_id, moment_id, channel, patient_words,
    language, status, boundary, triage_reasons, triage_unsure, priority, received_at, due_at,
    resolved_at, needed_from_patient, verified_fields, version, updated)
SELECT gen_random_uuid(), bp.practice_id, bp.id, m.id, 'sms', 'Bench request', 'en',
  CASE WHEN g % 33 = 0 THEN 'new' ELSE 'resolved' END, 'administrative', '[]', false, 0,
  now() - ((g % 365) || ' days')::interval,
  now() - ((g % 365) || ' days')::interval + interval '2 hours',
  CASE WHEN g % 33 = 0 THEN NULL
       ELSE now() - ((g % 365) || ' days')::interval + interval '1 day' END,
  '', '[]', 1, now()
FROM generate_series(1::bigint, {n}) g
JOIN bench_patients bp ON bp.i = (g * 7) % {n}
JOIN moments m ON m.practice_id = bp.practice_id AND m.i = g % 15;
"""


BENCH_ROWS = "external_id LIKE 'B%'"


def ensure(size: str) -> dict:
    """The size's database: practices and staff from seed_demo once, then the bulk rows."""
    n = SIZES[size]
    database = f"pq_bench_search_{size}"
    started = time.perf_counter()
    if not seed_size.exists(database):
        seed_size.psql("postgres", f'CREATE DATABASE "{database}"')
        env = {**os.environ, "DATABASE_URL": seed_size.database_url(database)}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
        demo = ["--practices", "20", "--weeks", "0", "--items-per-week", "5", "--patients", "20"]
        subprocess.run(
            [*manage, "seed_demo", *demo], env=env, cwd=ROOT, check=True, capture_output=True
        )
    count = int(
        seed_size.psql(database, f"SELECT count(*) FROM queue_app_patient WHERE {BENCH_ROWS}")
    )
    if count == n:
        return {"database": database, "seeded": False}
    seed_size.psql(
        database,
        "DELETE FROM queue_app_workitem WHERE patient_id IN "
        f"(SELECT id FROM queue_app_patient WHERE {BENCH_ROWS}); "
        f"DELETE FROM queue_app_patient WHERE {BENCH_ROWS};",
    )
    seed_size.psql(database, seed_sql(n))
    seed_size.psql(database, "VACUUM ANALYZE")
    return {"database": database, "seeded": True, "seed_s": round(time.perf_counter() - started)}


def queries_for(database: str) -> list[tuple[str, str]]:
    """Realistic searches, built from rows that exist (so each one finds something)."""
    row = seed_size.psql(
        database,
        "SELECT first_name, last_name, to_char(date_of_birth, 'FMMM/FMDD/YYYY'), phone, "
        "external_id "
        "FROM queue_app_patient WHERE last_name = 'Gómez' AND external_id LIKE 'B%' LIMIT 1",
    ).split("|")
    first, last, dob, phone, mrn = row
    rare = seed_size.psql(
        database,
        "SELECT last_name FROM queue_app_patient WHERE external_id LIKE 'B%' "
        "AND last_name LIKE '%ado' LIMIT 1",
    )
    code = seed_size.psql(database, "SELECT code FROM queue_app_workitem ORDER BY id DESC LIMIT 1")
    digits = phone[2:]
    return [
        ("common surname", "gomez"),
        ("surname + birth date", f"gomez {dob}"),
        ("first + last name", f"{first.lower()} {last.lower()}"),
        ("partial rare surname", rare[:5].lower()),
        ("birth date, words", "March 14 1961"),
        ("phone, typed", f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"),
        ("MRN", mrn),
        ("item reference", code.replace("-", "")[:8].upper()),
        # The queue's own filter box reads the same terms (its items, open and resolved).
        ("queue filter box", f"gomez {dob}"),
    ]


def measure(database: str, runs: int) -> list[dict]:
    os.environ["DATABASE_URL"] = seed_size.database_url(database)
    import queue_pages  # noqa: PLC0415  (sets Django up for this database)
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    client = Client()
    client.force_login(User.objects.get(username="assistant.all"))
    results = []

    def send(label: str, query: str):
        if label == "queue filter box":
            return client.get("/", {"q": query, "block": ""})
        return client.post("/patients/search/", {"q": query})

    for label, query in queries_for(database):
        for _ in range(3):  # warm the caches and the session
            send(label, query)
        times, sql, cpu = [], [], []
        body = send(label, query).content.decode()
        found = body.count("data-result") or body.count("data-queue-row")
        for _ in range(runs):
            timer = queue_pages.SqlTimer()
            from django.db import connection  # noqa: PLC0415

            with connection.execute_wrapper(timer):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = send(label, query)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
            sql.append(timer.total * 1000)
        results.append(
            {
                "case": label,
                "query": query,
                "shown": found,
                "p50_ms": round(queue_pages.percentile(times, 0.5), 1),
                "p95_ms": round(queue_pages.percentile(times, 0.95), 1),
                "sql_p50_ms": round(queue_pages.percentile(sql, 0.5), 1),
                "cpu_p50_ms": round(queue_pages.percentile(cpu, 0.5), 1),
                "all_ms": times,
            }
        )
    return results


def table(size: str, results: list[dict], load: float) -> str:
    every = [t for r in results for t in r["all_ms"]]
    import queue_pages  # noqa: PLC0415

    lines = [
        f"{SIZES[size]:,} patients and {SIZES[size]:,} work items, 20 practices, as "
        f"assistant.all (all 20); {len(results[0]['all_ms'])} posts per query; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs at the start "
        f"({time.strftime('%Y-%m-%d %H:%M')}). "
        f"Command: `.venv/bin/python bench/search_speed.py --size {size}`.",
        "",
        "| query | typed | rows shown | p50 ms | p95 ms | SQL p50 ms | Python CPU p50 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['case']} | `{r['query']}` | {r['shown']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['sql_p50_ms']} | {r['cpu_p50_ms']} |"
        )
    lines.append(
        f"| **all queries** | | | **{queue_pages.percentile(every, 0.5):.1f}** "
        f"| **{queue_pages.percentile(every, 0.95):.1f}** | | |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    seeded = ensure(args.size)
    print(json.dumps(seeded))
    load = os.getloadavg()[0]
    results = measure(seeded["database"], args.runs)
    body = table(args.size, results, load)
    print(body)
    OUT.mkdir(parents=True, exist_ok=True)
    record = {"size": args.size, "load": load, **seeded, "results": results}
    (OUT / f"search-{args.size}.json").write_text(json.dumps(record, indent=1))
    if args.write_docs:
        DOC.write_text(put_block(DOC.read_text(), f"search-{args.size}", body) + "\n")


if __name__ == "__main__":
    main()
