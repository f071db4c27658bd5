"""Server time and SQL queries of the queue page and the item panel on a year of history.

Seed a PostgreSQL database first (about 1,000,000 work items):

    createdb -h 127.0.0.1 -U postgres pq_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --practices 20 --weeks 50 --items-per-week 1000

(or let `bench/seed_size.py --size 10k|100k|1m` make one), then run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench .venv/bin/python bench/queue_pages.py

`--quick` keeps the four cases the size comparison needs (default, Spanish only, a search,
the item panel); `--rounds` repeats the whole measurement and reports each round's median.

Each page is requested through Django's test client in this process (middleware, views,
templates and every SQL query included; no network or browser), as `assistant.all`, who
works every demo practice: the widest queue there is. Timing runs and query counting runs
are separate, so counting adds nothing to the times.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from queue_app.models import Patient, WorkItem  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class SqlTimer:
    """Wall time spent inside the database driver, per request."""

    def __init__(self) -> None:
        self.total = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - started


def request_once(client: Client, url: str, headers: dict) -> tuple[float, float]:
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, timer.total * 1000


def count_queries(client: Client, url: str, headers: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return len(queries.captured_queries), response.content.decode().count("data-queue-row")


def cases_for(user: User, quick: bool) -> list[tuple[str, str, str, dict]]:
    """(key, label, url, headers) of each case."""
    surname = (
        Patient.objects.filter(preferred_language="es").values_list("last_name", flat=True).first()
    )
    panel_item = (
        WorkItem.objects.open().filter(owner=user).order_by("-received_at").first()
        or WorkItem.objects.open().order_by("-received_at").first()
    )
    queue = reverse("queue:queue")
    item = reverse("queue:item", args=[panel_item.code])
    search = surname[:5]
    cases = [
        ("queue_default", "queue, default (rhythm block preselected)", queue, {}),
        ("queue_whole_day", "queue, whole day", f"{queue}?block=", {}),
        ("queue_page5", "queue, whole day, page 5", f"{queue}?block=&page=5", {}),
        ("queue_spanish", "queue, Spanish only", f"{queue}?block=&language=es", {}),
        ("queue_search", f"queue, search '{search}'", f"{queue}?block=&q={search}", {}),
        ("queue_mine", "queue, mine", f"{queue}?block=&scope=mine", {}),
        ("queue_poll", "queue, HTMX poll (rows only)", f"{queue}?block=", {"HX-Request": "true"}),
        ("item_page", "item panel, full page", item, {}),
        ("item_htmx", "item panel, HTMX partial", item, {"HX-Request": "true"}),
    ]
    if quick:  # the cases of the issue: default, a language filter, a search, the panel
        keep = {"queue_default", "queue_spanish", "queue_search", "item_htmx"}
        cases = [case for case in cases if case[0] in keep]
    return cases


def measure_all(
    client: Client, cases: list, runs: int, rounds: int, clients: dict[str, Client] | None = None
) -> list[dict]:
    """`rounds` rounds; each sends runs/rounds requests per case, the cases interleaved
    request by request so that a burst of load from elsewhere falls on all of them alike.
    `clients` gives a case (by key) a client of its own: a page seen as another person."""
    clients = clients or {}
    per_round = max(1, runs // rounds)
    results = {key: {"times": [], "sql": [], "round_p50": [], "round_p95": []} for key, *_ in cases}
    for key, _, url, headers in cases:
        for _ in range(3):  # warm caches, the session and the activity stamp
            clients.get(key, client).get(url, headers=headers)
    for _ in range(rounds):
        batch = {key: ([], []) for key, *_ in cases}
        for _ in range(per_round):
            for key, _, url, headers in cases:
                elapsed, sql = request_once(clients.get(key, client), url, headers)
                batch[key][0].append(elapsed)
                batch[key][1].append(sql)
        for key, (times, sql) in batch.items():
            results[key]["times"] += times
            results[key]["sql"] += sql
            results[key]["round_p50"].append(statistics.median(times))
            results[key]["round_p95"].append(percentile(times, 0.95))
    out = []
    for key, label, url, headers in cases:
        r = results[key]
        queries, rows = count_queries(clients.get(key, client), url, headers)
        out.append(
            {
                "key": key,
                "label": label,
                "url": url,
                "htmx": bool(headers),
                "requests": len(r["times"]),
                "p50_ms": statistics.median(r["times"]),
                "p95_ms": percentile(r["times"], 0.95),
                "max_ms": max(r["times"]),
                "round_p50_ms": r["round_p50"],
                "round_p95_ms": r["round_p95"],
                "sql_p50_ms": statistics.median(r["sql"]),
                "sql_p95_ms": percentile(r["sql"], 0.95),
                "queries": queries,
                "rows": rows,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="requests per case, in all")
    parser.add_argument("--rounds", type=int, default=3, help="repeated runs of every case")
    parser.add_argument("--user", default="assistant.all")
    parser.add_argument("--quick", action="store_true", help="only the four cases of issue 11")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against the seeded PostgreSQL database"

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    total = WorkItem.objects.count()
    open_items = WorkItem.objects.open().count()
    cases = cases_for(user, args.quick)
    load_before = os.getloadavg()[0]
    print(f"database {connection.settings_dict['NAME']}: {total:,} work items, {open_items:,} open")
    print(
        f"user {user.username}; {args.runs} requests per case in {args.rounds} rounds, "
        f"after 3 warm-up requests; load {load_before:.1f}"
    )
    results = measure_all(client, cases, args.runs, args.rounds)
    load_after = os.getloadavg()[0]
    print()
    print("| case | rows | p50 ms | p95 ms | max ms | round p50s | SQL ms p50 / p95 | queries |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for m in results:
        rounds = " · ".join(f"{v:.0f}" for v in m["round_p50_ms"])
        print(
            f"| {m['label']} | {m['rows'] or '-'} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} | "
            f"{m['max_ms']:.1f} | {rounds} | {m['sql_p50_ms']:.1f} / {m['sql_p95_ms']:.1f} | "
            f"{m['queries']} |"
        )
    print(f"\nload average after the run: {load_after:.1f} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "database": connection.settings_dict["NAME"],
                    "items": total,
                    "open_items": open_items,
                    "user": user.username,
                    "runs": args.runs,
                    "rounds": args.rounds,
                    "load_before": load_before,
                    "load_after": load_after,
                    "cases": results,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
