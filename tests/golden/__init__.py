"""Golden files: the synth JSON of the shipped stacks and the gate's reports, pinned byte for byte.

A refactoring must leave every file here unchanged. An intended change of output is recorded with
``make golden`` (``python -m tests.golden``), which rewrites the files; the diff is then reviewed like code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from tenantctl.gate import GateResult, check_all, check_program
from tenantctl.report import render
from tenantctl.synth import synthesize, to_text

GOLDEN = Path(__file__).resolve().parent
REPO = GOLDEN.parents[1]
SHIPPED_STACKS: tuple[str, ...] = ("org", "acme-prod", "acme-staging", "beta-prod")
RAW = REPO / "tests" / "fixtures" / "raw"
# Formats whose bytes carry each finding's wording: JSON (message), text (wrong/expected/fix). SARIF repeats
# the whole rule catalog in every file, so one program pins its renderer.
FINDING_FORMATS: tuple[str, ...] = ("json", "text")
SARIF_FAMILY = "s3"


@cache
def shipped_gate() -> GateResult:
    """``check --all`` over the shipped stacks, computed once per process."""
    return check_all(REPO)


@cache
def raw_gate(family: str) -> GateResult:
    """The gate over one violating raw program (findings of many rules, with their exact wording)."""
    return check_program(RAW / family / "violating", "test")


def raw_families() -> tuple[str, ...]:
    return tuple(sorted(p.parent.parent.name for p in RAW.glob("*/violating/Pulumi.yaml")))


def cases() -> dict[str, Callable[[], str]]:
    """Golden file (relative to this folder) -> how its current text is produced."""
    produced: dict[str, Callable[[], str]] = {}
    for stack in SHIPPED_STACKS:
        produced[f"synth/{stack}.json"] = lambda stack=stack: to_text(synthesize(REPO, stack))
    produced["check/all.json"] = lambda: render(shipped_gate(), "json")
    for family in raw_families():
        for fmt in FINDING_FORMATS:
            produced[f"check/raw-{family}.{fmt}"] = lambda family=family, fmt=fmt: render(
                raw_gate(family), fmt
            )
    produced[f"check/raw-{SARIF_FAMILY}.sarif"] = lambda: render(raw_gate(SARIF_FAMILY), "sarif")
    return produced
