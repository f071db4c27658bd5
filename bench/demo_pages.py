"""Server time of every page a person waits on, on the embedded default that `make run` serves.

The demo database is SQLite, seeded by `seed_demo`, exactly as `make run` leaves it. By default
the script builds a fresh one in a temporary folder (VAR_DIR), so the figures never depend on
what a developer clicked in their own demo:

    .venv/bin/python bench/demo_pages.py            # fresh demo, 30 timed requests per page
    .venv/bin/python bench/demo_pages.py --var-dir var   # the demo `make run` already built

Each page is requested through Django's test client (middleware, views, templates and every
SQL query; no network or browser) as the role that uses it: the assistant for the queue and the
item, the clinical user for the escalation inbox, the manager for the scorecard and QA, the admin
for the playbook. The first request after start is measured in a new process: import Django,
load the WSGI application as runserver and gunicorn do, then answer the queue page once, as the
first visitor after `make run` would wait.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 150
FIRST_REQUEST_TARGET_MS = 500


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def manage(var_dir: str, *args: str) -> None:
    env = {**os.environ, "VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


FIRST_REQUEST = """
import os, time, sys
started = time.perf_counter()
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import config.wsgi  # what runserver and gunicorn load: settings, apps and the warm-up
from django.contrib.auth.models import User
from django.test import Client
client = Client()
client.force_login(User.objects.get(username="assistant.lakeside"))
ready = time.perf_counter()
response = client.get("/")
assert response.status_code == 200, response.status_code
done = time.perf_counter()
print((done - started) * 1000, (done - ready) * 1000)
"""


def first_request(var_dir: str) -> tuple[float, float]:
    """(ms from process start to the queue page answered, ms of that first request alone)."""
    env = {**os.environ, "VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST.format(root=str(ROOT))],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def measure(var_dir: str, requests: int) -> dict:
    os.environ["VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from queue_app.models import WorkItem
    from reports.weeks import iso_week, monday_of

    def signed_in(username: str) -> Client:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device:  # managers and admins pass the second factor, as a real sign-in would
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    item = WorkItem.objects.filter(practice__slug="lakeside").order_by("-received_at").first()
    practice = item.practice
    this_week = iso_week(monday_of(practice=practice, instant=timezone.now()))
    assistant = signed_in("assistant.lakeside")
    clinical = signed_in("clinical.lakeside")
    manager = signed_in("manager.lakeside")
    admin = signed_in("admin.lakeside")
    htmx = {"HTTP_HX_REQUEST": "true"}
    # Where a manager lands: the last finished week, stored by the weekly job.
    landing = manager.get(reverse("reports:scorecard-practice", args=[practice.slug]))["Location"]
    landing = landing.split("?")[0]
    pages = [
        ("queue", assistant, reverse("queue:queue"), {}),
        ("queue, whole day", assistant, reverse("queue:queue") + "?block=", {}),
        ("item panel", assistant, reverse("queue:item", args=[item.code]), htmx),
        ("conversation", assistant, reverse("queue:item-conversation", args=[item.code]), htmx),
        ("outbox", assistant, reverse("queue:outbox"), {}),
        ("escalation inbox", clinical, reverse("escalation:inbox"), {}),
        ("scorecard", manager, landing, {}),
        ("scorecard, this week", manager, f"/reports/{practice.slug}/{this_week}/", {}),
        ("quality loop", manager, landing + "quality/", {}),
        ("QA queue", manager, reverse("notes:qa-queue"), {}),
        ("audit log", manager, reverse("queue:audit-log"), {}),
        ("playbook", admin, reverse("playbook:moments", args=[practice.slug]), {}),
        ("playbook training", admin, reverse("playbook:training", args=[practice.slug]), {}),
    ]
    results = {}
    for name, client, url, headers in pages:
        first = client.get(url, **headers)
        if first.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {first.status_code}")
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get(url, **headers)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url, **headers)
            times.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "queries": counter.count,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", help="an existing demo's VAR_DIR (default: a fresh one)")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    var_dir = args.var_dir or tempfile.mkdtemp(prefix="demo-bench-")
    if not args.var_dir:
        manage(var_dir, "migrate", "--noinput")
        manage(var_dir, "seed_demo")
        manage(var_dir, "build_scorecards")  # as `make run` does
    starts = [first_request(var_dir) for _ in range(3)]
    pages = measure(var_dir, args.requests)
    print(f"{'page':<22}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for name, row in pages.items():
        flag = "" if row["p95_ms"] < TARGET_MS else f"  over {TARGET_MS} ms"
        print(f"{name:<22}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['queries']:>9}{flag}")
    whole = statistics.median(s[0] for s in starts)
    alone = statistics.median(s[1] for s in starts)
    print(
        f"first request after start: {whole:.0f} ms from process start "
        f"({alone:.0f} ms the request itself; target {FIRST_REQUEST_TARGET_MS} ms)"
    )
    print(json.dumps({"pages": pages, "first_request_ms": [whole, alone]}))


if __name__ == "__main__":
    main()
