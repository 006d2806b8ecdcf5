# Every target installs what it needs on a fresh machine: uv (from PyPI) when missing, then the locked venv.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# uv from PATH, else the uv package from PyPI run as `python3 -m uv` (installed on first use).
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(shell python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --user uv >/dev/null 2>&1 || python3 -m pip install --quiet uv >/dev/null 2>&1; echo python3 -m uv)
endif
RUN := $(UV) run --frozen
PYTEST_WORKERS ?= 2

.PHONY: help setup demo test lint format typecheck gate unit bench docs clean

help:
	@echo "make demo   synthesize the acme-prod tenant baseline offline and gate it"
	@echo "make test   lint, type-check and run the test suite"
	@echo "make bench  synth and gate benchmarks (ratios measured in one run)"
	@echo "make docs   regenerate docs/controls.md from the catalog"
	@echo "make format rewrite the sources in the project's style (ruff format, ruff check --fix)"

.venv/.synced: pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

setup: .venv/.synced

# After the offline synth and gate: the lifecycle on a local AWS (moto server on 127.0.0.1), stopped at the end.
demo: setup
	$(RUN) tenantctl demo --stack acme-prod
	@$(RUN) tenantctl sandbox stop 2>/dev/null || true
	@set -e; trap '$(RUN) tenantctl sandbox stop' EXIT; \
	echo "== local AWS: the organization and the shipped tenants (acme-prod's baseline seeded)"; \
	$(RUN) tenantctl sandbox start --seed acme-prod; \
	echo "== onboarding gamma-prod, plan only"; \
	$(RUN) tenantctl onboard tenantctl/lifecycle/requests/gamma-prod.yaml --plan-only; \
	echo "== drift planted: automatic rotation turned off on acme-prod's Tokyo key; the audit must find it"; \
	$(RUN) tenantctl sandbox drift --stack acme-prod --kind rotation-off; \
	$(RUN) tenantctl audit --tenant acme --env prod && exit 1 || [ $$? -eq 1 ]; \
	echo "== a violating request is refused (exit 2), nothing written"; \
	$(RUN) tenantctl onboard tenantctl/lifecycle/requests/violating-request.yaml --plan-only && exit 1 || [ $$? -eq 2 ]; \
	echo "== demo done"

SOURCES := components stacks tenantctl policies tests benchmarks

lint: setup
	$(RUN) ruff format --check $(SOURCES)
	$(RUN) ruff check $(SOURCES)

# Rewrites the sources in the project's style (what `lint` requires).
format: setup
	$(RUN) ruff format $(SOURCES)
	$(RUN) ruff check --fix $(SOURCES)

typecheck: setup
	$(RUN) mypy

# The policy gate over every shipped stack, as CI runs it on a pull request (GOV-01).
gate: setup
	$(RUN) tenantctl check --all

# Prints line and branch coverage of the packages (files at 100% are left out of the table).
unit: setup
	$(RUN) pytest -n $(PYTEST_WORKERS) --cov --cov-report=term

test: lint typecheck gate unit

bench: setup
	$(RUN) python benchmarks/bench_synth.py
	$(RUN) python benchmarks/bench_check.py
	$(RUN) python benchmarks/bench_audit.py

docs: setup
	$(RUN) tenantctl controls --format md --output docs/controls.md

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache
