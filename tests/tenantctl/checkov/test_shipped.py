"""The shipped stacks under checkov: every applicable check passes or its exception is in the reviewed
file, and every exception in that file is still needed (a fixed finding must take its exception with it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenantctl.checkov import Scan, Summary
from tenantctl.checkov.exceptions import load as load_exceptions
from tenantctl.checkov.runner import Run
from tenantctl.gate import GateResult, check_all

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.xdist_group("checkov-shipped")


@pytest.fixture(scope="module")
def shipped() -> tuple[GateResult, Summary, Run]:
    scan = Scan.start()
    return scan.finish(check_all(REPO, observe=scan.observe))


def test_shipped_stacks_pass_every_applicable_checkov_check(shipped: tuple[GateResult, Summary, Run]) -> None:
    result, summary, _ = shipped
    assert [v for v in result.violations if v.rule.startswith("CKV")] == []
    assert result.passed
    assert summary.failed == 0
    assert summary.excepted > 0
    assert summary.checks > 50  # the baseline's types are judged by many checks, not a handful


def test_every_stack_was_scanned(shipped: tuple[GateResult, Summary, Run]) -> None:
    result, _, run = shipped
    assert {r.stack for r in run.results} == {s.name for s in result.stacks}


def test_every_exception_is_still_needed(shipped: tuple[GateResult, Summary, Run]) -> None:
    _, _, run = shipped
    failing = {r.check_id for r in run.failed}
    assert sorted(set(load_exceptions()) - failing) == []
