"""The benchmarks' generated fleet stays a valid, compliant program as the shipped template changes."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_check import make_program  # noqa: E402

from tenantctl.fleet import Settings, check_all  # noqa: E402


def test_the_generated_tenants_pass_the_gate_beside_the_org_stack(tmp_path: Path) -> None:
    program = make_program(tmp_path, 2)
    result = check_all(Settings(program, jobs=1))
    assert sorted(s.name for s in result.stacks) == ["org", "t000-prod", "t001-prod"]
    assert [v.message for v in result.violations] == []
    assert all(s.resources > 100 for s in result.stacks)
