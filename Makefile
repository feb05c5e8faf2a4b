# Two commands matter to a new user: `make demo` and `make test`. Everything else is a
# building block of those two or an operator's shortcut.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__UNIT_TEST_MODE := False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN ?= sqlite:///$(CURDIR)/.airflow/airflow.db
export PYTHONPATH := $(CURDIR)/plugins

.PHONY: install demo test test-unit test-db lint ingest backfill airflow-db testsite clean browser

install: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-dev.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $@

# `airflow db migrate` takes half a minute even when there is nothing to do, so it runs
# once per metadata database (named in the stamp) and install, not before every command.
AIRFLOW_DB_STAMP := $(AIRFLOW_HOME)/.db-migrated-$(shell printf %s "$(AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)" | cksum | cut -d' ' -f1)

airflow-db: $(AIRFLOW_DB_STAMP)

$(AIRFLOW_DB_STAMP): $(VENV)/.installed
	mkdir -p $(AIRFLOW_HOME)
	$(VENV)/bin/airflow db migrate >$(AIRFLOW_HOME)/db-migrate.log 2>&1 || (tail -50 $(AIRFLOW_HOME)/db-migrate.log; exit 1)
	touch $@

# With `make airflow-demo` running, the run goes to that stack (in its UI); a stack asking
# any other site is not used (VIA=stack refuses, VIA=dags-test never asks the stack).
demo: install airflow-db
	$(PY) -m newswire.cli demo $(if $(VIA),--via "$(VIA)")

test: install airflow-db browser
	$(VENV)/bin/pytest -q -m "not chaos"

# The report's and the Airflow UI's browser checks need a headless Chromium: Debian's
# package, installed when missing and apt-get may run (root or password-less sudo).
browser:
	@scripts/ensure_chromium.sh

# ruff on everything; mypy --strict on the library (configuration in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Runs one window through Airflow; exits non-zero when the run fails. SOURCE=tass.ru for
# the Russian service (default tass.com). When `make airflow-up` runs, the run is
# triggered on that stack (in its UI); else `airflow dags test` (VIA=stack|dags-test).
ingest: install airflow-db
	@test -n "$(SINCE)" || (echo "usage: make ingest [SOURCE=tass.ru] SINCE=2024-12-26 UNTIL=2024-12-27" >&2; exit 2)
	$(PY) -m newswire.cli airflow-ingest --since "$(SINCE)" $(if $(UNTIL),--until "$(UNTIL)") $(if $(SOURCE),--source "$(SOURCE)") $(if $(VIA),--via "$(VIA)")

# A long range as month windows, resumable: Airflow's backfill when `make airflow-up` is
# running, else window by window here (MODE=local|dags-test|airflow to choose).
backfill: install airflow-db
	@test -n "$(SINCE)" || (echo "usage: make backfill [SOURCE=tass.ru] SINCE=2017-01-01 [UNTIL=2026-12-01]" >&2; exit 2)
	$(PY) -m newswire.cli backfill --since "$(SINCE)" $(if $(UNTIL),--until "$(UNTIL)") $(if $(SOURCE),--source "$(SOURCE)") $(if $(MODE),--mode "$(MODE)")

testsite: install
	$(PY) -m devtools.testsite --port $(or $(PORT),8089)

clean:
	-$(PY) -m newswire.cli db stop
	rm -rf .airflow .newswire .pytest_cache

# Benchmarks print figures side by side with their peer; the last line of each is JSON.
.PHONY: bench-extract
bench-extract: install
	$(PY) benchmarks/extraction.py

.PHONY: bench-selectors
bench-selectors: install
	$(PY) benchmarks/selector_engines.py

.PHONY: bench-fetch
bench-fetch: install
	$(PY) benchmarks/fetch.py

.PHONY: bench-entities bench-quotes bench-warehouse bench-analysis report
bench-analysis: install
	$(PY) benchmarks/analysis_cost.py

bench-entities: install
	$(PY) benchmarks/entities.py

bench-quotes: install
	$(PY) benchmarks/quotes.py

bench-warehouse: install
	$(PY) benchmarks/warehouse.py $(if $(ARTICLES),--articles $(ARTICLES))

report: install
	$(PY) -m newswire.cli report $(if $(SINCE),--since "$(SINCE)") $(if $(UNTIL),--until "$(UNTIL)")

include mk/airflow.mk

# A backfill through a throw-away Airflow stack and the same without Airflow (ARTICLES
# copies of the test site's pages, default 100,000; NO_PEER=1 skips the second run).
.PHONY: bench-backfill
bench-backfill: install
	$(PY) benchmarks/backfill.py $(if $(ARTICLES),--articles $(ARTICLES)) $(if $(NO_PEER),--no-peer)

# Re-analysis of every article over the cores (ARTICLES synthetic ones, default 100,000).
.PHONY: bench-reanalyse
bench-reanalyse: install
	$(PY) benchmarks/reanalyse.py $(if $(ARTICLES),--articles $(ARTICLES))
