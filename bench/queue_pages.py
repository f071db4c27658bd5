"""Server time and SQL queries of the queue page and the item panel on a year of history.

Seed a PostgreSQL database first (about 1,000,000 work items):

    createdb -h 127.0.0.1 -U postgres pq_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --practices 20 --weeks 50 --items-per-week 1000

then run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench .venv/bin/python bench/queue_pages.py

Each page is requested through Django's test client in this process (middleware, views,
templates and every SQL query included; no network or browser), as `assistant.all`, who
works every demo practice: the widest queue there is. Timing runs and query counting runs
are separate, so counting adds nothing to the times.
"""

import argparse
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


def measure(client: Client, url: str, runs: int, headers: dict) -> dict:
    for _ in range(3):  # warm caches and the session
        client.get(url, headers=headers)
    times, sql_times = [], []
    for _ in range(runs):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        sql_times.append(timer.total * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    rows = response.content.decode().count("data-queue-row")
    return {
        "times": times,
        "sql": sql_times,
        "queries": len(queries.captured_queries),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--user", default="assistant.all")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against the seeded PostgreSQL database"

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    total = WorkItem.objects.count()
    open_items = WorkItem.objects.open().count()
    surname = (
        Patient.objects.filter(preferred_language="es").values_list("last_name", flat=True).first()
    )
    panel_item = (
        WorkItem.objects.open().filter(owner=user).order_by("-received_at").first()
        or WorkItem.objects.open().order_by("-received_at").first()
    )
    queue = reverse("queue:queue")
    item = reverse("queue:item", args=[panel_item.code])
    cases = [
        ("queue, default (rhythm block preselected)", queue, {}),
        ("queue, whole day", f"{queue}?block=", {}),
        ("queue, whole day, page 5", f"{queue}?block=&page=5", {}),
        ("queue, Spanish only", f"{queue}?block=&language=es", {}),
        (f"queue, search '{surname[:5]}'", f"{queue}?block=&q={surname[:5]}", {}),
        ("queue, mine", f"{queue}?block=&scope=mine", {}),
        ("queue, HTMX poll (rows only)", f"{queue}?block=", {"HX-Request": "true"}),
        ("item panel, full page", item, {}),
        ("item panel, HTMX partial", item, {"HX-Request": "true"}),
    ]
    print(f"database: {total:,} work items, {open_items:,} open; user {user.username}")
    print(f"{args.runs} requests per case, after 3 warm-up requests; load {os.getloadavg()[0]:.1f}")
    print()
    print("| case | rows | p50 ms | p95 ms | max ms | SQL ms p50 / p95 | SQL queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, url, headers in cases:
        m = measure(client, url, args.runs, headers)
        times, sql = m["times"], m["sql"]
        print(
            f"| {label} | {m['rows'] or '-'} | {statistics.median(times):.1f} | "
            f"{percentile(times, 0.95):.1f} | {max(times):.1f} | "
            f"{statistics.median(sql):.1f} / {percentile(sql, 0.95):.1f} | {m['queries']} |"
        )
    print(f"\nload average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
