"""The pull-request gate as users run it: `.github/workflows/policy-check.yml` parsed and its commands run
on the shipped stacks (which must pass every applicable checkov check, or have a reviewed exception that is
still needed), and the pre-commit hook's entry."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenantctl.checkov.exceptions import load as load_exceptions
from tenantctl.cli import main
from tenantctl.precommit import commands

REPO = Path(__file__).resolve().parents[3]
WORKFLOW = REPO / ".github" / "workflows" / "policy-check.yml"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
pytestmark = pytest.mark.xdist_group("checkov-shipped")
SUMMARY = re.compile(
    r"^checkov (?P<version>\S+): (?P<checks>\d+) AWS checks over (?P<resources>\d+) exported resources; "
    r"(?P<failed>\d+) failed; (?P<unmapped>\d+) resources without a Terraform type; "
    r"(?P<excepted>\d+) excepted \(policies/checkov/exceptions\.yaml\)(?:: (?P<checks_excepted>.*))?$",
    re.M,
)


def workflow() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def steps() -> list[dict[str, Any]]:
    return list(workflow()["jobs"]["gate"]["steps"])


def step(name_start: str) -> dict[str, Any]:
    found = [s for s in steps() if s.get("name", "").startswith(name_start)]
    assert len(found) == 1, name_start
    return found[0]


def test_workflow_runs_on_pull_requests_with_the_rights_it_needs() -> None:
    document = workflow()
    triggers = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert document["permissions"]["security-events"] == "write"
    uses = [s.get("uses", "") for s in steps()]
    assert uses[0].startswith("actions/checkout@")
    assert any(u.startswith("astral-sh/setup-uv@") for u in uses)


def test_reports_are_uploaded_even_when_the_gate_fails() -> None:
    sarif = step("Upload SARIF")
    assert sarif["uses"].startswith("github/codeql-action/upload-sarif@")
    assert sarif["if"].startswith("always()")
    assert sarif["with"]["sarif_file"] == "reports/policy-check.sarif"
    junit = step("Publish the JUnit")
    assert junit["if"].startswith("always()")
    assert junit["with"]["report_paths"] == "reports/policy-check.xml"


def test_install_step_is_make_setup() -> None:
    assert step("Install")["run"] == "make setup"
    done = subprocess.run(["make", "-n", "setup"], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "tools/checkov" in (REPO / "Makefile").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def gate_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The workflow's gate command, run as written (without its `uv run --frozen` prefix) in a checkout-like
    working directory whose reports land in a temporary folder."""
    command = shlex.split(step("Gate with checkov")["run"])
    assert command[:4] == ["uv", "run", "--frozen", "tenantctl"]
    work = tmp_path_factory.mktemp("workflow")
    argv = [*command[4:], "--program", str(REPO)]
    argv = [a.replace("reports/", f"{work}/reports/") for a in argv]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue(), "reports": work / "reports"}


def test_the_gate_passes_the_shipped_stacks(gate_run: dict[str, Any]) -> None:
    assert gate_run["code"] == 0, gate_run["stdout"] + gate_run["stderr"]
    assert "CKV" not in gate_run["stdout"]


def test_checkov_ran_and_nothing_failed_outside_the_reviewed_exceptions(gate_run: dict[str, Any]) -> None:
    found = SUMMARY.search(gate_run["stderr"])
    assert found is not None, gate_run["stderr"]
    assert found["version"] == "3.3.30"
    assert int(found["failed"]) == 0
    assert int(found["checks"]) > 50  # the baseline's types meet many checks, not a handful


def test_every_exception_is_still_needed(gate_run: dict[str, Any]) -> None:
    found = SUMMARY.search(gate_run["stderr"])
    assert found is not None and found["checks_excepted"]
    used = set(found["checks_excepted"].split(", "))
    assert sorted(set(load_exceptions()) - used) == []


def test_sarif_and_junit_reports_are_written_from_the_same_run(gate_run: dict[str, Any]) -> None:
    sarif = json.loads((gate_run["reports"] / "policy-check.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    # a finding a waiver accepts stays in the report, suppressed (SARIF suppressions)
    assert [
        r for r in results if r["kind"] == "fail" and r["level"] == "error" and not r.get("suppressions")
    ] == []
    waived = [r for r in results if r.get("suppressions")]
    assert {r["ruleId"] for r in waived} <= {"ENC-01"}
    junit = ET.parse(gate_run["reports"] / "policy-check.xml").getroot()
    assert junit.tag == "testsuites"
    assert junit.get("failures") == "0"
    assert int(junit.get("tests", "0")) > 0


def test_pre_commit_hook_gates_the_changed_stacks() -> None:
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "tenantctl-check"]
    assert len(hooks) == 1
    hook = hooks[0]
    assert re.search(hook["files"], "stacks/Pulumi.acme-prod.yaml")
    assert re.search(hook["files"], "components/edge.py")
    assert not re.search(hook["files"], "README.md")
    assert commands(["stacks/Pulumi.acme-prod.yaml", "stacks/Pulumi.beta-prod.yaml"]) == [
        ["check", "--stack", "acme-prod"],
        ["check", "--stack", "beta-prod"],
    ]
    assert commands(["stacks/Pulumi.acme-prod.yaml", "components/edge.py"]) == [["check", "--all"]]


def test_pre_commit_hook_entry_runs(tmp_path: Path) -> None:
    hook = next(
        h
        for repo in yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))["repos"]
        for h in repo["hooks"]
        if h["id"] == "tenantctl-check"
    )
    entry = shlex.split(hook["entry"])
    done = subprocess.run(
        [*entry, "stacks/Pulumi.beta-prod.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TENANTCTL_WITH_CHECKOV": "0"},
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  beta-prod (stacks/Pulumi.beta-prod.yaml): no violations" in done.stdout
