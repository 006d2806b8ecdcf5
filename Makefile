# Every target installs what it needs on a fresh machine: uv (from PyPI) when missing, then the locked venv.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
PYTEST_WORKERS ?= 2

.PHONY: help setup demo test lint typecheck unit bench docs clean

help:
	@echo "make demo   synthesize the acme-prod tenant baseline offline and gate it"
	@echo "make test   lint, type-check and run the test suite"
	@echo "make bench  synth and gate benchmarks (ratios measured in one run)"
	@echo "make docs   regenerate docs/controls.md from the catalog"

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

setup: .venv/.synced

demo: setup
	$(RUN) tenantctl demo --stack acme-prod

lint: setup
	$(RUN) ruff check components stacks tenantctl policies tests benchmarks

typecheck: setup
	$(RUN) mypy

unit: setup
	$(RUN) pytest -n $(PYTEST_WORKERS)

test: lint typecheck unit

bench: setup
	$(RUN) python benchmarks/bench_synth.py
	$(RUN) python benchmarks/bench_check.py

docs: setup
	$(RUN) tenantctl controls --format md --output docs/controls.md

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache
