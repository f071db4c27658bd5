# One command runs the app (embedded: SQLite + filesystem broker), one passes the tests
# (PostgreSQL + Redis). See README.md.

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/patient_queue
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist workers: 2 fit a 2-CPU machine (WORKERS=0 runs in one process). Each worker has
# its own test database and Redis database (counting down from TEST_REDIS_URL's; see
# tests/environment.py).
WORKERS ?= 2
TEST_ENV = DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=True

.PHONY: run test test-fast screenshots chromium lint install services bench clean restore-drill

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "Python 3.12+ is needed (Django 6). Install it, or set PYTHON=/path/to/python3.12."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py build_scorecards
	@echo ""
	@echo "  Patient queue: http://127.0.0.1:$(PORT)/   (Ctrl-C stops the web app, worker and beat)"
	@echo "  Demo logins: assistant.lakeside, manager.lakeside, clinical.lakeside, admin.lakeside,"
	@echo "  admin2.lakeside (a second admin, to approve the first one's template edits),"
	@echo "  assistant.mesa ..., assistant.all (both practices); password: queue-demo-2026"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2 & \
	$(VENV)/bin/celery -A config beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

services:
	@bash bin/ensure-services

chromium:
	@bash bin/ensure-chromium

# The whole suite, browser and Celery worker tests included.
test: install services chromium
	$(TEST_ENV) $(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)

# The inner loop: everything but the tests marked slow, browser or worker (under a minute).
# It keeps its test databases between runs (--reuse-db, named after this checkout), so only
# new migrations are applied; `make test` always starts from fresh ones.
FAST_DB := test_patient_queue_fast_$(shell printf '%s' '$(CURDIR)' | cksum | cut -d' ' -f1)
test-fast: install services
	$(TEST_ENV) TEST_DATABASE_NAME=$(FAST_DB) $(VENV)/bin/pytest -n $(WORKERS) --reuse-db \
		-m "not slow and not browser and not worker" $(PYTEST_ARGS)

# The browser journeys again, saving docs/screenshots/ (tests alone never write tracked files).
screenshots: install services chromium
	$(TEST_ENV) SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(VENV)/bin/pytest -m browser tests/browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

bench: install services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bench/run.py --size $(or $(SIZE),full)

# Dump the configured database (DATABASE_URL), restore it into a scratch one, compare every
# table and the audit trails (docs/BACKUP.md). Without DATABASE_URL: a seeded scratch source
# on the tests' server.
restore-drill: install services
	$(PY) bin/restore-drill $(if $(DATABASE_URL),--database-url $(DATABASE_URL),--seed --database-url $(TEST_DATABASE_URL))

clean:
	rm -rf var
