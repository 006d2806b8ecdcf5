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

.PHONY: help setup demo test lint format typecheck gate unit browser bench docs fuzz golden sources clean

help:
	@echo "make demo   synthesize the acme-prod tenant baseline offline and gate it"
	@echo "make test   lint, type-check and run the test suite"
	@echo "make bench  synth, gate, checkov, fleet and audit benchmarks (about 30 min on 2 cores)"
	@echo "make docs   regenerate docs/controls.md from the catalog"
	@echo "make format rewrite the sources in the project's style (ruff format, ruff check --fix)"
	@echo "make fuzz   >= 1,000 generated hostile inputs (cases, slowest case, peak memory)"
	@echo "make golden rewrite tests/golden/ (synth JSON and gate reports) after an intended output change"
	@echo "make sources check the catalog against the documents beside the repository (../shared)"

.venv/.synced: pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

# checkov in its own locked environment (tools/checkov): its pins conflict with pulumi's.
tools/checkov/.venv/.synced: tools/checkov/pyproject.toml tools/checkov/uv.lock
	$(UV) sync --frozen --quiet --project tools/checkov
	@touch $@

setup: .venv/.synced tools/checkov/.venv/.synced

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

SOURCES := components stacks tenancy tenantctl policies tests benchmarks tools

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
unit: setup browser
	$(RUN) pytest -n $(PYTEST_WORKERS) --dist loadgroup --cov --cov-report=term

# Headless Chromium for the HTML report's browser test: installed when missing and the machine allows
# it (root, or sudo without a password, and apt-get); otherwise that test is skipped and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || (sudo -n true 2>/dev/null && echo sudo -n) || echo none ); \
	  if [ "$$SUDO" != none ] && command -v apt-get >/dev/null 2>&1; then \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
	      || echo "chromium could not be installed: the HTML report's browser test will be skipped"; \
	  else echo "no chromium and no way to install it here: the HTML report's browser test will be skipped"; fi; }

test: lint typecheck gate unit

# Long: the fleet benchmark synthesizes 100 tenant stacks cold and warm, and checkov scans 100 plans.
bench: setup
	$(RUN) python benchmarks/bench_synth.py
	$(RUN) python benchmarks/bench_check.py
	$(RUN) python benchmarks/bench_checkov.py
	$(RUN) python benchmarks/bench_fleet.py
	$(RUN) python benchmarks/bench_audit.py

# Hostile stack files, --set arguments and YAML documents; prints the case count, slowest case and peak memory.
fuzz: setup
	$(RUN) python -m tests.fuzz --cases 1200

docs: setup
	$(RUN) tenantctl controls --format md --output docs/controls.md

# The catalog against controls.md and the source documents, which live beside the repository, not in it.
sources: setup
	$(RUN) pytest -p no:xdist -m external tests/external

# Record an intended change of synth or gate output; review the diff of tests/golden/ like code.
golden: setup
	$(RUN) python -m tests.golden

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache
