# Tarot Master — the everyday commands. `make run` and `make test` work on a fresh clone with
# nothing but Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The service suite's defaults: the PostgreSQL and Redis running on this machine.
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tarot
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/15

.DEFAULT_GOAL := help
.PHONY: help run test test-services test-any-date lint format deploy-check deploy-check-self-test smoke bench clean security backup-drill

help:
	@echo "make run            create .venv, install, migrate, seed the deck, serve on http://$(HOST):$(PORT)/"
	@echo "make test           install test dependencies and run the suite (SQLite, no services)"
	@echo "make test-services  the suite against PostgreSQL + Redis with a live Celery worker"
	@echo "make test-any-date  the suite (without the browser) at an awkward instant, under faketime"
	@echo "make lint           ruff check, ruff format --check, import-linter layers, makemigrations --check"
	@echo "make format         ruff format and fix"
	@echo "make deploy-check   validate every file in deploy/ with its real validator"
	@echo "make deploy-check-self-test  break copies of deploy/ on purpose: deploy-check must catch each"
	@echo "make smoke          staging-like run on loopback: nginx + gunicorn + Celery on PostgreSQL + Redis"
	@echo "make security       bandit on the project's code: no medium or high finding"
	@echo "make backup-drill   pg_dump a seeded PostgreSQL database, restore it, compare every table"
	@echo "make bench          HTTP benchmark against Django/DRF's own ceiling (gunicorn, wrk, ~5 min)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-development: $(PY) requirements/base.txt requirements/development.txt
	$(PY) -m pip install --quiet -r requirements/development.txt
	@touch $@

$(VENV)/.installed-test: $(PY) requirements/base.txt requirements/test.txt
	$(PY) -m pip install --quiet -r requirements/test.txt
	@touch $@

run: $(VENV)/.installed-development
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_deck
	$(PY) manage.py runserver $(HOST):$(PORT)

# One pytest worker per core (pytest-xdist). The service run stays in one process: its tests share
# one Redis database and a live Celery worker.
test: $(VENV)/.installed-test
	$(BIN)/pytest -n auto

test-services: $(VENV)/.installed-test
	DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) REQUIRE_SERVICES=1 \
		HYPOTHESIS_PROFILE=thorough $(BIN)/pytest

# The suite must not care what day it is: run it at an awkward instant (libfaketime, Debian's
# `faketime`): a leap day, one minute before midnight in Seoul. The wall clock starts there and
# runs on ('@'); the monotonic clock stays real, so timeouts and thread waits behave.
FAKE_NOW ?= 2028-02-29 14:59:00
test-any-date: $(VENV)/.installed-test
	@command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)"; exit 1; }
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '@$(FAKE_NOW)' $(BIN)/pytest -p no:xdist -m "not browser"

lint: $(VENV)/.installed-test $(VENV)/.installed-development
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=settings.test $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-development
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

deploy-check:
	bash deploy/check.sh

deploy-check-self-test:
	bash deploy/check.sh --self-test

$(VENV)/.installed-production: $(PY) requirements/base.txt requirements/production.txt
	$(PY) -m pip install --quiet -r requirements/production.txt
	@touch $@

smoke: $(VENV)/.installed-production
	bash deploy/smoke/smoke.sh

# Medium and high findings fail; each accepted one is justified inline (# nosec BXXX).
# Dependencies: `$(BIN)/pip-audit --strict -r requirements/production.txt` where the PyPI JSON
# API or OSV is reachable (not from CI's network, where nothing could be audited).
security: $(VENV)/.installed-test
	$(BIN)/bandit -q -r accounts readings tarot settings --severity-level medium

# The nightly backup and the documented restore, end to end (deploy/backup/drill.sh).
backup-drill: $(VENV)/.installed-test
	PYTHON=$(PY) bash deploy/backup/drill.sh

# Prints figures on loopback (PostgreSQL database tarot_bench_http, Redis db 11); not a test.
bench: $(VENV)/.installed-development
	$(BIN)/pip install --quiet -r requirements/production.txt
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
