"""Components built by a plugin that does not run offline (awsx, eks): reported by `check` as not analysed,
in every format, never as a pass; strict mode (flag or project setting) fails the run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tenantctl.cli import main
from tenantctl.gate import GateResult, StackReport, Undecided
from tenantctl.gate.adapt import stack_input
from tenantctl.gate.unseen import RULE, strict, unseen_components
from tenantctl.report import render
from tenantctl.report.details import summary_line

URN = "urn:pulumi:dev::unseen::awsx:ec2:Vpc::network"
MESSAGE = (
    "awsx:ec2:Vpc network: none of the resources it would create was checked (package awsx's plugin does not "
    "run offline); expected every resource of the stack analysed by the gate. [GOV-01]"
)
# As the awsx SDK declares its components: a ComponentResource subclass registered with remote=True.
PROGRAM = """
import pulumi


class Vpc(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("awsx:ec2:Vpc", name, {"cidrBlock": "10.0.0.0/16"}, remote=True)


Vpc("network")
"""


@pytest.fixture
def program(tmp_path: Path) -> Path:
    root = tmp_path / "unseen"
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: unseen\nruntime: python\n", encoding="utf-8")
    (root / "Pulumi.dev.yaml").write_text("config:\n  aws:region: ap-northeast-1\n", encoding="utf-8")
    (root / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    return root


def test_every_format_reports_the_component_as_not_analysed(
    program: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {fmt: tmp_path / f"gate.{fmt}" for fmt in ("json", "sarif", "junit")}
    also = [f"--also={fmt}={path}" for fmt, path in files.items()]
    code = main(["check", "--program", str(program), "--stack", "dev", "--no-cache", *also])
    text = capsys.readouterr().out
    assert code == 0
    assert text.startswith("INCOMPLETE: 0 mandatory, 0 advisory violations in 1 stacks;")
    assert "no violations" not in text.lower()
    assert "Pulumi.dev.yaml): 0 violations, 1 component not analysed\n" in text
    assert f"  dev {MESSAGE}" in text
    assert text.rstrip().endswith("; 1 component not analysed")

    report = json.loads(files["json"].read_text(encoding="utf-8"))
    assert report["summary"]["passed"] is True
    assert report["summary"]["notAnalysed"] == 1
    assert report["stacks"][0]["notAnalysed"] == 1
    [entry] = report["summary"]["undecided"]
    assert (entry["control"], entry["rule"], entry["urn"], entry["type"]) == (
        "GOV-01",
        RULE,
        URN,
        "awsx:ec2:Vpc",
    )
    assert entry["message"] == MESSAGE

    sarif = json.loads(files["sarif"].read_text(encoding="utf-8"))["runs"][0]
    [result] = sarif["results"]
    assert (result["ruleId"], result["kind"], result["level"]) == ("GOV-01", "open", "none")
    assert result["message"]["text"] == MESSAGE
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == URN
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 10  # Vpc("network")
    assert "GOV-01" in [rule["id"] for rule in sarif["tool"]["driver"]["rules"]]

    junit = ET.fromstring(files["junit"].read_text(encoding="utf-8"))
    [case] = [c for c in junit.iter("testcase") if c.get("name", "").startswith("GOV-01")]
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == MESSAGE
    assert junit.get("failures") == "0"


def test_strict_flag_fails_the_run(program: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["check", "--program", str(program), "--stack", "dev", "--no-cache", "--strict", "--format", "json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["summary"]["passed"] is False
    assert report["summary"]["notAnalysed"] == 1
    [violation] = report["violations"]
    assert (violation["rule"], violation["enforcement"], violation["message"]) == (RULE, "mandatory", MESSAGE)


def test_project_setting_makes_it_strict_and_the_flag_overrides(
    program: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (program / "pyproject.toml").write_text("[tool.tenantctl]\nstrict = true\n", encoding="utf-8")
    assert main(["check", "--program", str(program), "--stack", "dev", "--no-cache"]) == 1
    assert capsys.readouterr().out.startswith("FAIL: 1 mandatory")
    assert main(["check", "--program", str(program), "--stack", "dev", "--no-cache", "--no-strict"]) == 0
    capsys.readouterr()


def test_a_bad_strict_setting_is_refused(program: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (program / "pyproject.toml").write_text('[tool.tenantctl]\nstrict = "yes"\n', encoding="utf-8")
    assert main(["check", "--program", str(program), "--stack", "dev", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "[tool.tenantctl] strict: 'yes' is not allowed; expected one of true, false." in err
    assert "Traceback" not in err


def test_the_gate_reads_not_analysed_from_the_synth_and_refuses_a_malformed_list() -> None:
    synth = {
        "project": "unseen",
        "stack": "dev",
        "resources": [],
        "notAnalysed": [{"urn": URN, "type": "awsx:ec2:Vpc", "package": "awsx"}],
    }
    [component] = stack_input(synth).not_analysed
    assert (component.urn, component.type, component.package, component.name) == (
        URN,
        "awsx:ec2:Vpc",
        "awsx",
        "network",
    )
    from tenantctl.errors import UserError

    with pytest.raises(UserError, match=r"`notAnalysed\[0\]` is \{'type': 'x'\}; expected an object with"):
        unseen_components({**synth, "notAnalysed": [{"type": "x"}]})


def test_strict_turns_only_the_unseen_components_into_violations() -> None:
    other = Undecided(
        "dev", "ENC-01", "some_rule", "urn:x", "aws:s3/bucket:Bucket", "b", "can't run", "unknown"
    )
    unseen = Undecided("dev", "GOV-01", RULE, URN, "awsx:ec2:Vpc", "network", MESSAGE, "not checked")
    result = strict(GateResult(stacks=[StackReport("dev", 1)], undecided=[other, unseen]))
    assert result.undecided == [other]
    assert [(v.rule, v.enforcement) for v in result.violations] == [(RULE, "mandatory")]
    assert not result.passed
    assert summary_line(result).endswith("; 1 undecided; 1 component not analysed")
    assert render(result, "text").startswith("FAIL:")
