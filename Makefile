# Kazi: `make run` starts everything with demo data, `make test` runs the tests.
# With no DATABASE_URL / REDIS_URL the embedded PostgreSQL and Redis in var/ are used.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

export DJANGO_DEBUG ?= 1

.PHONY: install run test test-fast lint format migrate seed stop-embedded clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# With no EMAIL_URL, mail goes to the local catcher (the Procfile's `mail`, shown at /admin/core/caughtmail/);
# with one, the catcher is not started and mail goes where EMAIL_URL says.
RUN_PROCESSES := $(if $(EMAIL_URL),web worker beat,)
run: seed
	PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile $(RUN_PROCESSES)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Everything but tests/e2e (real daphne/Celery processes, the browser) and tests/fuzz (the API fuzz, a minute of
# requests), in TEST_WORKERS processes with a test database each (test_<name>_gw0, ...); `make test` runs
# everything, e2e and fuzz included.
TEST_WORKERS ?= 2
test-fast: install
	$(PY) -m pytest -n $(TEST_WORKERS) --ignore=tests/e2e --ignore=tests/fuzz $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

stop-embedded:
	$(PY) -m config.embedded stop

clean: stop-embedded
	rm -rf var
