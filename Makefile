# One command runs the app (embedded: SQLite + filesystem broker), one passes the tests
# (PostgreSQL + Redis). See README.md.

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/patient_queue
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint install services bench clean

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
	@echo ""
	@echo "  Patient queue: http://127.0.0.1:$(PORT)/   (Ctrl-C stops the web app, worker and beat)"
	@echo "  Demo logins: assistant.lakeside, manager.lakeside, clinical.lakeside, admin.lakeside,"
	@echo "  assistant.mesa ..., assistant.all (both practices); password: queue-demo-2026"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2 & \
	$(VENV)/bin/celery -A config beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

services:
	@bash bin/ensure-services

test: install services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=True \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

bench: install services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bench/run.py --size $(or $(SIZE),full)

clean:
	rm -rf var
