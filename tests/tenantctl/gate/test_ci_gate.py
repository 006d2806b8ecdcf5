"""The gate as CI runs it: `tenantctl check --all` on a copy of the shipped stacks with one stack file
changed fails naming the control; and the reports CI uploads (SARIF 2.1.0
for code scanning, JUnit for the test tab) are structurally valid, stack-level findings included."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenantctl.cli import main

REPO = Path(__file__).resolve().parents[3]
STACK = "pulumi:pulumi:Stack"


def copy_of_the_project(destination: Path) -> Path:
    destination.mkdir()
    shutil.copy(REPO / "Pulumi.yaml", destination / "Pulumi.yaml")
    shutil.copytree(REPO / "stacks", destination / "stacks", ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def edit_tenant(program: Path, stack: str, change: dict[str, Any]) -> None:
    path = program / "stacks" / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec = document["config"]["tenant-zone:tenant"]
    for dotted, value in change.items():
        *parents, leaf = dotted.split(".")
        node = spec
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


# Each change is made in acme-prod's stack file, as a pull request would. The tenant specification
# refuses a value that breaks a control before any resource is declared: bad input (exit 2) whose
# message names the key, the value and the control.
CHANGES = [
    ("non-Japan primary region", {"primaryRegion": "us-east-1"}, "primaryRegion", "RES-01"),
    ("non-Japan secondary region", {"secondaryRegion": "ap-southeast-1"}, "secondaryRegion", "RES-01"),
    ("extra allowed countries", {"allowedCountries": ["JP", "US"]}, "allowedCountries", "EDGE-02"),
    ("short log retention", {"logRetentionDays": 30}, "logRetentionDays", "LOG-02"),
    ("one AZ", {"availabilityZones": 1}, "availabilityZones", "NET-03"),
    ("unknown data classification", {"dataClassification": "top-secret"}, "dataClassification", "TEN-04"),
    ("zero backup retention", {"backup.retentionDays": 0}, "backup.retentionDays", "BAK-01"),
]


@pytest.mark.parametrize("change, key, control", [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_check_all_fails_naming_the_control(
    change: dict[str, Any], key: str, control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = copy_of_the_project(tmp_path / "project")
    edit_tenant(program, "acme-prod", change)
    code = main(["check", "--all", "--program", str(program)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.out == ""
    assert f"tenant-zone:tenant.{key}:" in captured.err
    assert f"[{control}]" in captured.err
    assert "Traceback" not in captured.err


# The eighth change, a CIDR overlapping another tenant's, is
# test_check_program.py::test_overlapping_cidr_with_another_tenant_is_named (check --all, exit 2, TEN-02).


# --- the reports, from a program with every kind of finding -------------------------------------

RAW_PROGRAM = """\
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
virginia = aws.Provider("virginia", region="us-east-1")
aws.s3.Bucket("moved", opts=pulumi.ResourceOptions(provider=virginia))
aws.ec2.Vpc("vpc", cidr_block=config.require("cidr"))
aws.organizations.Account("account", email=config.require("email"), name=pulumi.get_stack())
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two tenant stacks of a raw program that collide: resource-level findings (a bucket in Virginia),
    stack-level ones (no backup plan, no detection: reported at the stack's root resource) and
    cross-stack ones (overlapping CIDRs, one account e-mail), rendered in every format by one CLI run each."""
    program = tmp_path_factory.mktemp("raw")
    (program / "Pulumi.yaml").write_text("name: raw\nruntime: python\n", encoding="utf-8")
    (program / "__main__.py").write_text(RAW_PROGRAM, encoding="utf-8")
    for stack, cidr in (("alpha-prod", "10.1.0.0/16"), ("bravo-prod", "10.1.128.0/17")):
        (program / f"Pulumi.{stack}.yaml").write_text(
            f"config:\n  aws:region: ap-northeast-1\n  tenant-zone:stackKind: tenant\n  raw:cidr: {cidr}\n"
            "  raw:email: aws@alpha.example.jp\n",
            encoding="utf-8",
        )
    out: dict[str, Any] = {"program": program}
    for fmt in ("json", "sarif", "junit", "text"):
        path = program / "reports" / f"gate.{fmt}"
        assert (
            main(["check", "--all", "--program", str(program), "--format", fmt, "--output", str(path)]) == 1
        )
        out[fmt] = path.read_text(encoding="utf-8")
    return out


def test_the_findings_include_every_kind(reports: dict[str, Any]) -> None:
    violations = json.loads(reports["json"])["violations"]
    assert {v["stack"] for v in violations} == {"alpha-prod", "bravo-prod"}
    stack_level = [v for v in violations if v["type"] == STACK]
    assert stack_level, "expected findings about the stack as a whole"
    for v in stack_level:
        name = f"raw-{v['stack']}"
        assert v["name"] == name
        assert v["urn"] == f"urn:pulumi:{v['stack']}::raw::{STACK}::{name}"
        assert v["message"].startswith(f"{STACK} {name}: ") and v["message"].endswith(f". [{v['control']}]")
    assert {"TEN-01", "TEN-02", "RES-01"} <= {v["control"] for v in violations}


def test_text_shows_stack_level_findings_by_the_stack_resource(reports: dict[str, Any]) -> None:
    text = reports["text"]
    for stack in ("alpha-prod", "bravo-prod"):
        block = (
            f"  MANDATORY {stack}: {STACK} raw-{stack}\n    resource:"
            f" urn:pulumi:{stack}::raw::{STACK}::raw-{stack}\n    wrong:    "
        )
        assert block in text
    assert "(the stack)" not in text
    mandatory = len(json.loads(reports["json"])["violations"])
    assert text.splitlines()[-1].startswith(f"{mandatory} mandatory, 0 advisory violations in 2 stacks; ")


SARIF_LEVELS = {"none", "note", "warning", "error"}
SARIF_KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}


def test_sarif_2_1_0_structure(reports: dict[str, Any]) -> None:
    sarif = json.loads(reports["sarif"])
    assert sarif["version"] == "2.1.0"
    assert re.fullmatch(r"https://\S+/sarif-2\.1\.0(-rtm\.\d+)?\.json", sarif["$schema"])
    assert set(sarif) <= {"$schema", "version", "runs", "inlineExternalProperties", "properties"}
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert isinstance(driver["name"], str) and driver["name"]
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)), "reportingDescriptor ids must be unique"
    for rule in rules:
        assert re.fullmatch(r"[A-Z]+-\d+", rule["id"])  # one rule per control
        for key in ("shortDescription", "fullDescription", "help"):
            assert isinstance(rule[key]["text"], str) and rule[key]["text"]
        assert rule["defaultConfiguration"]["level"] in SARIF_LEVELS
        tags = rule["properties"]["tags"]
        assert len(tags) == len(set(tags)) and all(isinstance(t, str) for t in tags)
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
    assert all(isinstance(i["executionSuccessful"], bool) for i in run["invocations"])

    results = run["results"]
    violations = json.loads(reports["json"])["violations"]
    assert len(results) == len(violations)
    assert Counter(r["ruleId"] for r in results) == Counter(v["control"] for v in violations)
    program: Path = reports["program"]
    for result in results:
        assert result["ruleId"] in ids
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["kind"] in SARIF_KINDS and result["level"] in SARIF_LEVELS
        if result["kind"] != "fail":
            assert result["level"] == "none"  # SARIF 3.27.9: only a failure has a level
        assert result["message"]["text"]
        assert result["locations"], "code scanning drops results without a location"
        for location in result["locations"]:
            artifact = location["physicalLocation"]["artifactLocation"]
            assert not artifact["uri"].startswith("/") and "\\" not in artifact["uri"]
            assert (program / artifact["uri"]).is_file()
            assert location["physicalLocation"]["region"]["startLine"] >= 1
            (logical,) = location["logicalLocations"]
            assert logical["fullyQualifiedName"].startswith("urn:pulumi:")
        assert all(isinstance(v, str) for v in result["partialFingerprints"].values())
    fingerprints = [r["partialFingerprints"]["tenantZoneFinding/v1"] for r in results]
    assert len(fingerprints) == len(set(fingerprints))

    stack_results = [
        r for r in results if f"::{STACK}::" in r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
    ]
    assert stack_results
    for result in stack_results:
        location = result["locations"][0]
        stack = result["properties"]["stack"]
        assert location["logicalLocations"][0] == {
            "fullyQualifiedName": f"urn:pulumi:{stack}::raw::{STACK}::raw-{stack}",
            "kind": "resource",
            "name": f"raw-{stack}",
        }
        assert location["physicalLocation"]["artifactLocation"]["uri"] == f"Pulumi.{stack}.yaml"
        assert result["message"]["text"].startswith(f"{STACK} raw-{stack}: ")


def test_junit_parses_and_its_counts_agree(reports: dict[str, Any]) -> None:
    root = ET.fromstring(reports["junit"])
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["alpha-prod", "bravo-prod"]
    totals = Counter[str]()
    for suite in suites:
        cases = suite.findall("testcase")
        names = [c.get("name") for c in cases]
        assert len(names) == len(set(names)), "one test case per (stack, control)"
        assert all(c.get("classname") == suite.get("name") for c in cases)
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
        }
        assert {k: int(suite.get(k, "-1")) for k in counts} == counts
        totals.update(counts)
    assert {k: int(root.get(k, "-1")) for k in totals} == dict(totals)
    violations = json.loads(reports["json"])["violations"]
    failures = [f for f in root.iter("failure")]
    assert sorted(f.get("message") or "" for f in failures) == sorted(v["message"] for v in violations)
    failing_cases = {
        (s.get("name"), c.get("name", "").split()[0])
        for s in suites
        for c in s.findall("testcase")
        if c.find("failure") is not None
    }
    assert failing_cases == {(v["stack"], v["control"]) for v in violations}
