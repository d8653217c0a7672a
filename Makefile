# Etalage developer tasks. `make help` lists them; each target documents itself with `##`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Python 3.11 or newer, used only to create .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.etalage-installed
NODE_STAMP := node_modules/.etalage-installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers for two cores; browser tests share one worker (xdist_group "browser").
PYTEST_XDIST ?= -n 2 --dist loadgroup
PYTEST_ARGS ?=

.PHONY: help venv run test lint fmt vendor clean distclean system-deps node-deps meilisearch

help: ## List the targets
	@echo "Etalage make targets:"
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-zA-Z0-9_-]+:[^#]*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(VENV_STAMP) ## Create .venv (Python 3.11+) and install Etalage with the pinned dependencies

$(VENV_STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11+ not found; run: make PYTHON=/path/to/python3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run: make PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt pip hatchling editables
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-build-isolation -c constraints.txt -e '.[dev]'
	touch $@

run: venv ## Serve the demo on http://127.0.0.1:8000 (SQLite under var/, fictional demo data)
	$(BIN)/etalage db upgrade
	$(BIN)/etalage demo load
	$(BIN)/etalage serve --host $(HOST) --port $(PORT)

system-deps: ## Install the Debian packages the tests need (PostgreSQL, Chromium, fonts)
	scripts/install_system_deps.sh

node-deps: $(NODE_STAMP) ## Install the pinned npm dev packages (axe-core) with npm ci

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

meilisearch: ## Fetch and verify the Meilisearch binary into .cache/meilisearch/
	scripts/fetch_meilisearch.sh

# Lint and tests both run, so one run reports every problem; either failing fails `make test`.
test: venv system-deps node-deps meilisearch ## Install everything the tests need, lint, type-check, run all tests (CI=true)
	@status=0; \
	$(MAKE) --no-print-directory lint || status=$$?; \
	echo "CI=true $(BIN)/pytest $(PYTEST_XDIST) -m 'not timing' $(PYTEST_ARGS)"; \
	CI=true $(BIN)/pytest $(PYTEST_XDIST) -m "not timing" $(PYTEST_ARGS) || status=$$?; \
	echo "CI=true $(BIN)/pytest -m timing $(PYTEST_ARGS)   # wall-clock promises, on an idle machine"; \
	CI=true $(BIN)/pytest -m timing $(PYTEST_ARGS) || status=$$?; \
	if [[ $$status -ne 0 ]]; then echo "make test: FAILED (see above)" >&2; fi; \
	exit $$status

lint: venv ## ruff check, ruff format --check and mypy (all three run; any failing fails)
	@status=0; \
	for check in "ruff check ." "ruff format --check ." "mypy etalage search_index"; do \
	  echo "$(BIN)/$$check"; $(BIN)/$$check || status=1; \
	done; \
	exit $$status

fmt: venv ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

vendor: ## Re-fetch static/vendor/ assets with npm pack and verify their checksums
	scripts/vendor_assets.sh

clean: ## Remove caches and test artefacts (keeps .venv, node_modules, .cache and var/)
	rm -rf .pytest_cache .ruff_cache .mypy_cache test-artifacts build dist
	find . \( -path ./.venv -o -path ./node_modules \) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean ## Also remove .venv, node_modules and .cache (local data in var/ stays)
	rm -rf $(VENV) node_modules .cache
