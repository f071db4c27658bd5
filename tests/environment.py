"""Loaded as a pytest plugin (-p), before Django reads its settings: the suite's services."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/patient_queue")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# Playwright's sync API runs an event loop in the test thread; the ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("TEST_DATABASE_NAME", f"test_patient_queue_{os.getpid()}")
