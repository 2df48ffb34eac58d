# migration-ntt: every target sets itself up. `make demo` and `make test` work on a fresh
# clone with nothing but python3 (>= 3.11) installed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Offline mirror of the boundary downloads: ../shared/data when it sits beside the checkout.
export MIGRATION_NTT_MIRROR ?= $(abspath $(wildcard ../shared/data))
# Matplotlib must not look for a screen.
export MPLBACKEND := Agg

.PHONY: demo test bench lint lab clean install browser-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with test tools

demo: $(STAMP) ## run the main job on the embedded data: data/processed, figures, reports
	$(BIN)/migration-ntt all

test: $(STAMP) ## the whole test suite, notebooks included
	$(BIN)/python -m pytest -n 2 -q

browser-check: $(STAMP) ## offline map and brief in headless Chromium, no network (needs chromium)
	$(BIN)/python .ci/browser_check.py

bench: $(STAMP) ## speed targets (see benchmarks/)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lab: $(STAMP) ## JupyterLab in the project environment
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	$(BIN)/jupyter lab notebooks/

clean: ## remove generated outputs and caches (keeps .venv)
	find data/processed figures reports -mindepth 1 ! -name .gitkeep -delete
	rm -rf data/cache .cache .pytest_cache .ruff_cache .hypothesis
