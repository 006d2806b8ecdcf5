"""Renderers: exact text, JSON shape, SARIF 2.1.0 structure, JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from policies.catalog import control_for_rule
from policies.registry import get_rule
from tenantctl.gate import GateResult, StackReport, Undecided, Violation, check_synth
from tenantctl.report import FORMATS, render
from tenantctl.report.details import control_title
from tests.tenantctl.gate.synthkit import SynthBuilder

BUCKET = "aws:s3/bucket:Bucket"
ACME = "acme-prod"
BETA = "beta-prod"
REGION_FIX = get_rule("region_allowed").remediation
RES = control_for_rule("region_allowed")


def urn(stack: str, name: str, resource_type: str = BUCKET) -> str:
    return f"urn:pulumi:{stack}::tenant-zone::{resource_type}::{name}"


def region_violation(stack: str, name: str, region: str, enforcement: str = "mandatory") -> Violation:
    return Violation(
        stack=stack,
        control="RES-01",
        rule="region_allowed",
        urn=urn(stack, name),
        type=BUCKET,
        name=name,
        message=(
            f"{BUCKET} {name}: is in region {region}; expected ap-northeast-1 or ap-northeast-3. [RES-01]"
        ),
        enforcement=enforcement,
        wrong=f"is in region {region}",
        expected="ap-northeast-1 or ap-northeast-3",
    )


ADVISORY = Violation(
    stack=BETA,
    control="TST-99",
    rule="made_up_rule",
    urn="",
    type="stack",
    name="",
    message="free-form message from a rule of another shape",
    enforcement="advisory",
)
UNDECIDED = Undecided(
    stack=BETA,
    control="RES-01",
    rule="region_allowed",
    urn="",
    type="stack",
    name="",
    message=(
        "can't run policy 'region_allowed' from policy pack 'tenant-zone@v0.0.1' during preview: "
        "string value at .region can't be known during preview"
    ),
    reason="string value at .region can't be known during preview",
)


@pytest.fixture
def result() -> GateResult:
    return GateResult(
        stacks=[
            StackReport(BETA, 7, "stacks/Pulumi.beta-prod.yaml"),
            StackReport(ACME, 5, "stacks/Pulumi.acme-prod.yaml"),
            StackReport("org", 3, "stacks/Pulumi.org.yaml"),
        ],
        violations=[
            region_violation(ACME, "b", "us-east-1"),
            ADVISORY,
            region_violation(ACME, "a", "eu-west-1"),
        ],
        undecided=[UNDECIDED],
        rules=("region_allowed",),
    ).sort()


def test_text_has_the_verdict_first_then_findings_by_control_with_the_fix_once(result: GateResult) -> None:
    title = f" {control_title('RES-01')}".rstrip()
    summary = "2 mandatory, 1 advisory violations in 3 stacks; 1 rules over 15 resources; 1 undecided"
    expected = f"""FAIL: {summary}

RES-01{title} (2 findings)
  fix (region_allowed): {REGION_FIX}
  MANDATORY acme-prod: {BUCKET} a
    resource: {urn(ACME, "a")}
    wrong:    is in region eu-west-1
    expected: ap-northeast-1 or ap-northeast-3
  MANDATORY acme-prod: {BUCKET} b
    resource: {urn(ACME, "b")}
    wrong:    is in region us-east-1
    expected: ap-northeast-1 or ap-northeast-3

TST-99 (1 finding)
  rule: made_up_rule
  ADVISORY beta-prod: the stack
    resource: (the stack)
    wrong:    free-form message from a rule of another shape

Stacks:
  acme-prod (stacks/Pulumi.acme-prod.yaml): 2 violations
  beta-prod (stacks/Pulumi.beta-prod.yaml): 1 violation
  org (stacks/Pulumi.org.yaml): no violations

Undecided (values unknown until deployment; not a pass):
  beta-prod [RES-01] region_allowed on the stack: string value at .region can't be known during preview

{summary}
"""
    assert render(result, "text") == expected


def test_text_summary_line_when_clean() -> None:
    clean = GateResult(stacks=[StackReport(ACME, 4)], rules=("a", "b"))
    assert (
        render(clean, "text").splitlines()[-1]
        == "0 mandatory, 0 advisory violations in 1 stacks; 2 rules over 4 resources"
    )


def test_the_runner_keeps_each_finding_whole() -> None:
    """What is wrong and what is expected reach the report as the rule gave them, beside the engine's
    string."""
    builder = SynthBuilder()
    builder.add(BUCKET, "moved", {}, provider=builder.provider("virginia", region="eu-west-1"))
    program = check_synth(builder.build())
    (found,) = [v for v in program.violations if v.rule == "region_allowed"]
    assert (found.wrong, found.expected) == ("is in region eu-west-1", "ap-northeast-1 or ap-northeast-3")
    assert found.message == f"{BUCKET} moved: {found.wrong}; expected {found.expected}. [RES-01]"


def test_a_message_only_finding_is_shown_whole_as_what_is_wrong() -> None:
    assert (ADVISORY.wrong, ADVISORY.expected) == (ADVISORY.message, "")
    assert f"    wrong:    {ADVISORY.message}" in render(GateResult(violations=[ADVISORY]), "text")


def test_json_shape_and_order(result: GateResult) -> None:
    data = json.loads(render(result, "json"))
    # the contract's keys first, then what merging shard reports needs
    assert list(data) == [
        "violations",
        "summary",
        "stacks",
        "rules",
        "notApplicable",
        "outOfScope",
        "controls",
        "positions",
    ]
    assert [list(v) for v in data["violations"]] == [
        ["control", "rule", "stack", "urn", "type", "name", "message", "enforcement"]
    ] * 3
    assert [(v["stack"], v["name"]) for v in data["violations"]] == [(ACME, "a"), (ACME, "b"), (BETA, "")]
    assert data["violations"][0] == {
        "control": "RES-01",
        "rule": "region_allowed",
        "stack": ACME,
        "urn": urn(ACME, "a"),
        "type": BUCKET,
        "name": "a",
        "message": f"{BUCKET} a: is in region eu-west-1; expected ap-northeast-1 or ap-northeast-3. [RES-01]",
        "enforcement": "mandatory",
    }
    assert data["summary"] == {
        "passed": False,
        "mandatory": 2,
        "advisory": 1,
        "stacks": 3,
        "rules": 1,
        "resources": 15,
        "undecided": [
            {
                "control": "RES-01",
                "rule": "region_allowed",
                "stack": BETA,
                "urn": "",
                "type": "stack",
                "name": "",
                "message": UNDECIDED.message,
                "reason": UNDECIDED.reason,
            }
        ],
        "notAnalysed": 0,
    }
    assert data["stacks"] == [
        {
            "name": ACME,
            "file": "stacks/Pulumi.acme-prod.yaml",
            "resources": 5,
            "mandatory": 2,
            "advisory": 0,
            "undecided": 0,
            "notAnalysed": 0,
        },
        {
            "name": BETA,
            "file": "stacks/Pulumi.beta-prod.yaml",
            "resources": 7,
            "mandatory": 0,
            "advisory": 1,
            "undecided": 1,
            "notAnalysed": 0,
        },
        {
            "name": "org",
            "file": "stacks/Pulumi.org.yaml",
            "resources": 3,
            "mandatory": 0,
            "advisory": 0,
            "undecided": 0,
            "notAnalysed": 0,
        },
    ]
    assert render(result, "json") == render(result, "json")


def test_sarif_structure(result: GateResult) -> None:
    data = json.loads(render(result, "sarif"))
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-2.1.0.json")
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tenantctl"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["RES-01", "TST-99"]
    res = rules[0]
    assert set(res) == {
        "id",
        "name",
        "shortDescription",
        "fullDescription",
        "help",
        "defaultConfiguration",
        "properties",
    }
    assert res["shortDescription"]["text"] == (RES.title_en or "RES-01")
    assert res["help"]["text"] == (RES.remediation or RES.title_en or "RES-01")
    assert res["name"].isidentifier()
    expected_severity = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}[RES.severity]
    assert res["properties"]["security-severity"] == expected_severity
    assert rules[1]["name"] == "TST99"

    results = run["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["kind"], r["level"]) for r in results] == [
        ("RES-01", 0, "fail", "error"),
        ("RES-01", 0, "fail", "error"),
        ("TST-99", 1, "fail", "warning"),
        ("RES-01", 0, "open", "none"),
    ]
    first = results[0]
    assert first["message"]["text"] == f"{region_violation(ACME, 'a', 'eu-west-1').message} Fix: {REGION_FIX}"
    (location,) = first["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "stacks/Pulumi.acme-prod.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": urn(ACME, "a"), "kind": "resource", "name": "a"}
    ]
    assert results[2]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": f"stack:{BETA}", "kind": "resource"}
    ]
    fingerprints = [r["partialFingerprints"]["tenantZoneFinding/v1"] for r in results]
    assert len(set(fingerprints)) == 4 and all(len(f) == 32 for f in fingerprints)
    assert first["properties"] == {"rule": "region_allowed", "stack": ACME, "enforcement": "mandatory"}


def test_junit_suites_cases_and_failures(result: GateResult) -> None:
    root = ET.fromstring(render(result, "junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [ACME, BETA, "org"]
    acme = suites[ACME]
    # every stack gets a case for every control checked (RES-01 ran; TST-99 was reported elsewhere)
    case, passing = acme.findall("testcase")
    assert passing.get("name") == "TST-99" and list(passing) == []
    assert case.get("classname") == ACME
    assert case.get("name") == f"RES-01 {control_title('RES-01')}".rstrip()
    failures = case.findall("failure")
    assert [f.get("message") for f in failures] == [
        region_violation(ACME, "a", "eu-west-1").message,
        region_violation(ACME, "b", "us-east-1").message,
    ]
    assert failures[0].text is not None and f"fix: {REGION_FIX}" in failures[0].text
    assert (acme.get("tests"), acme.get("failures"), acme.get("skipped")) == ("2", "1", "0")

    beta_cases = {c.get("name").split()[0]: c for c in suites[BETA].findall("testcase")}  # type: ignore[union-attr]
    assert sorted(beta_cases) == ["RES-01", "TST-99"]
    assert beta_cases["RES-01"].find("skipped") is not None  # undecided is never a pass
    assert beta_cases["TST-99"].find("failure") is None  # advisory does not fail
    assert "advisory:" in (beta_cases["TST-99"].findtext("system-out") or "")
    assert (suites["org"].get("tests"), suites["org"].get("failures")) == ("2", "0")
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("6", "1", "1")


def test_every_format_renders_an_empty_result() -> None:
    empty = GateResult(stacks=[StackReport(ACME, 0)])
    for fmt in FORMATS:
        assert render(empty, fmt)
    with pytest.raises(ValueError, match="format 'yaml'"):
        render(empty, "yaml")


def test_json_reads_back_to_the_same_result(result: GateResult) -> None:
    from tenantctl.report.json_report import as_dict, from_dict

    result.controls = {ACME: {"RES-01": "fail"}, "org": {"RES-01": "pass"}}
    result.positions = {urn(ACME, "a"): ("components/storage.py", 42)}
    assert from_dict(json.loads(render(result, "json"))) == result
    assert as_dict(from_dict(as_dict(result))) == as_dict(result)
