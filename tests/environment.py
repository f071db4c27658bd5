"""Loaded as a pytest plugin (-p), before Django reads its settings: the suite's services.

One database and one Redis database per process, so parallel runs never share state:
- the test database is named after the pid of the run (`make test` on two checkouts at once),
  and pytest-django adds `_gw0`, `_gw1`… for each pytest-xdist worker;
- each xdist worker counts down from REDIS_URL's database number: gw0 uses N, gw1 N-1, …
  (`make test` defaults to 15 and 2 workers, so 15 and 14). The Celery worker tests drain
  and read the broker's queue, which must not be shared.
"""

import os
import re

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/patient_queue")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# Playwright's sync API runs an event loop in the test thread; the ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("TEST_DATABASE_NAME", f"test_patient_queue_{os.getpid()}")
# Most tests send bursts from one practice's long code (1 text a second): the senders' rate
# limits are on only where a test asks for them (tests/messaging/test_sender_rate_limits.py).
os.environ.setdefault("SENDER_RATE_LIMITS", "False")


def _redis_for_worker(url: str, worker: str) -> str:
    match = re.fullmatch(r"(.*/)(\d+)", url)
    base = int(match.group(2)) if match else 0
    number = base - int(worker.removeprefix("gw"))
    if number < 0:
        raise RuntimeError(f"REDIS_URL {url} leaves no Redis database for xdist worker {worker}")
    return f"{match.group(1) if match else url.rstrip('/') + '/'}{number}"


_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    os.environ["REDIS_URL"] = _redis_for_worker(os.environ["REDIS_URL"], _worker)
