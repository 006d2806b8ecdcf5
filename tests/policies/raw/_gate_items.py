"""Raw programs for the rules that check a control's substance (tests/fixtures/raw/<item>/): each item's
violating program yields exactly its expected findings of the item's rules, and its compliant twin none."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tenantctl.gate import GateResult, check_program

RAW = Path(__file__).resolve().parents[2] / "fixtures" / "raw"
STACK = "test"


@cache
def gate(item: str, variant: str) -> GateResult:
    return check_program(RAW / item / variant, STACK)


def findings(result: GateResult, rules: frozenset[str]) -> set[tuple[str, str, str]]:
    """(control, rule, resource name) of each violation of ``rules``."""
    return {(v.control, v.rule, v.name) for v in result.violations if v.rule in rules}


def undecided(result: GateResult, rules: frozenset[str]) -> list[str]:
    return [u.message for u in result.undecided if u.rule in rules]
