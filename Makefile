# migration-ntt: every target sets itself up. `make demo` and `make test` work on a fresh
# clone with nothing but python3 (>= 3.11) installed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements-lock.txt
UV_VERSION ?= >=0.9
# Offline mirror of the boundary downloads: ../shared/data when it sits beside the checkout.
export MIGRATION_NTT_MIRROR ?= $(abspath $(wildcard ../shared/data))
# Matplotlib must not look for a screen.
export MPLBACKEND := Agg

.PHONY: demo test bench lint lab clean install lock browser-check docs

# The environment: exactly the versions of requirements-lock.txt (what `make test` passed
# with), then the package itself. Installed by uv when it is on PATH or can be installed
# into the new environment (it is on the package index; about 8 times faster than pip;
# bytecode compiled at install, as pip does, not by every test process at once);
# pip otherwise.
$(STAMP): pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	@if command -v uv >/dev/null 2>&1; then uv=uv; \
	elif $(BIN)/python -m pip install --quiet "uv$(UV_VERSION)" >/dev/null 2>&1; then uv=$(BIN)/uv; \
	else uv=; fi; \
	if [ -n "$$uv" ]; then \
	  echo "installing $(LOCK) with $$($$uv --version)"; \
	  $$uv pip install --quiet --compile-bytecode --python $(BIN)/python -r $(LOCK) && \
	  $$uv pip install --quiet --python $(BIN)/python --no-deps -e .; \
	else \
	  echo "installing $(LOCK) with pip (uv not available)"; \
	  $(BIN)/python -m pip install --quiet -r $(LOCK) && \
	  $(BIN)/python -m pip install --quiet --no-deps -e .; \
	fi
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with test tools

demo: $(STAMP) ## run the main job on the embedded data: data/processed, figures, reports
	$(BIN)/migration-ntt all

test: $(STAMP) ## the whole test suite, notebooks included
	$(BIN)/python -m pytest -n 2 -q --durations=20

docs: $(STAMP) ## the documentation site in docs/_build/html (gallery executed, warnings are errors, offline)
	$(BIN)/python docs/build.py

browser-check: $(STAMP) ## offline map, brief and docs (after make docs) in headless Chromium, no network
	$(BIN)/python .ci/browser_check.py

lock: $(STAMP) ## pin the newest versions pyproject.toml allows in requirements-lock.txt (then: make test)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra docs --upgrade --python-version 3.11.7 \
	  --custom-compile-command "make lock" --quiet --output-file $(LOCK)

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
	rm -rf docs/_build docs/jupyter_execute docs/gallery/*.ipynb docs/gallery/index.md \
	  docs/_static/gallery docs/reference/generated docs/reference/cli.md
