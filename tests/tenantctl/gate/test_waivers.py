"""Waivers: valid ones accept a finding (reported as waived in every format), expired ones accept nothing,
unmatched ones are reported, and a non-waivable control (data residency) is never waived."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.gate import check_program
from tenantctl.gate.waivers import inline_waivers, parse_waiver_file

REPO = Path(__file__).resolve().parents[3]
SERVICE = REPO / "tests" / "fixtures" / "programs" / "service" / "violating"
TODAY = dt.date.today()
APPROVED = TODAY - dt.timedelta(days=10)
EXPIRES = TODAY + dt.timedelta(days=30)
APPROVER = "ciso@tenant-zone.example.jp"

PROGRAM = """\
import pulumi
import pulumi_aws as aws

virginia = aws.Provider("virginia", region="us-east-1")
aws.s3.Bucket("moved", opts=pulumi.ResourceOptions(provider=virginia))
aws.sqs.Queue("jobs")
aws.sns.Topic("events")
aws.cloudwatch.LogGroup(
    "app", retention_in_days=30, tags={"tenant-zone:waiver:LOG-02": pulumi.Config().require("waiverTag")}
)
"""
TAG = f"approved={APPROVED} expires={EXPIRES} approver={APPROVER} reason=Debug logs of a throwaway sandbox"


def waiver(**fields: Any) -> dict[str, Any]:
    base = {
        "resource": "jobs",
        "reason": "Queue carries public job IDs only",
        "approver": APPROVER,
        "approved": str(APPROVED),
        "expires": str(EXPIRES),
    }
    return {**base, **fields}


WAIVERS = [
    waiver(rule="sqs_queue_kms_encryption"),
    waiver(
        rule="sns_topic_kms_encryption",
        resource="events",
        approved=str(TODAY - dt.timedelta(days=100)),
        expires=str(TODAY - dt.timedelta(days=1)),
    ),
    waiver(control="ENC-01", resource="no-such-queue"),
    waiver(control="RES-01", resource="moved", reason="Marketing assets only, no tenant data"),
]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("waived")
    (directory / "Pulumi.yaml").write_text("name: waived\nruntime: python\n", encoding="utf-8")
    (directory / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    (directory / "Pulumi.dev.yaml").write_text(
        yaml.safe_dump({"config": {"aws:region": "ap-northeast-1", "waived:waiverTag": TAG}}),
        encoding="utf-8",
    )
    (directory / "waivers.yaml").write_text(yaml.safe_dump({"waivers": WAIVERS}), encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def reports(program: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for fmt in ("json", "sarif", "junit", "text"):
        path = program / "reports" / f"gate.{fmt}"
        # The expired and the forbidden waiver leave mandatory violations: the gate still fails.
        assert (
            main(
                ["check", "--program", str(program), "--stack", "dev", "--format", fmt, "--output", str(path)]
            )
            == 1
        )
        out[fmt] = path.read_text(encoding="utf-8")
    return out


EXPIRED_MESSAGE = (
    "waiver waivers.yaml waivers[1]: rule sns_topic_kms_encryption on events expired on"
    f" {TODAY - dt.timedelta(days=1)} (its 1 finding(s) are violations again); expected the finding fixed, or"
    " a renewed approval with a new expiry date. [ENC-01]"
)
UNMATCHED_MESSAGE = (
    "waiver waivers.yaml waivers[2]: control ENC-01 on no-such-queue matches no finding; expected a finding"
    " it accepts, or the waiver removed. [ENC-01]"
)
FORBIDDEN_MESSAGE = (
    "waiver waivers.yaml waivers[3]: control RES-01 on moved waives control RES-01, which can never be"
    " waived; expected the finding fixed and the waiver removed. [RES-01]"
)


def test_json_reports_waived_findings_and_every_waiver(reports: dict[str, str]) -> None:
    data = json.loads(reports["json"])
    waived = {(w["rule"], w["name"], w["waiver"]["source"]) for w in data["waived"]}
    assert waived == {
        ("sqs_queue_kms_encryption", "jobs", "waivers.yaml waivers[0]"),
        (
            "log_group_retention",
            "app",
            "tag tenant-zone:waiver:LOG-02 on urn:pulumi:dev::waived::aws:cloudwatch/logGroup:LogGroup::app",
        ),
    }
    assert all(w["status"] == "waived" for w in data["waived"])
    violated = {(v["rule"], v["name"]) for v in data["violations"]}
    # valid: waived, not violated; expired and forbidden: violated again
    assert ("sqs_queue_kms_encryption", "jobs") not in violated
    assert ("log_group_retention", "app") not in violated
    assert {("sns_topic_kms_encryption", "events"), ("region_allowed", "moved")} <= violated
    statuses = {w["source"]: (w["status"], w["message"]) for w in data["waivers"]}
    assert statuses["waivers.yaml waivers[1]"] == ("expired", EXPIRED_MESSAGE)
    assert statuses["waivers.yaml waivers[2]"] == ("unmatched", UNMATCHED_MESSAGE)
    assert statuses["waivers.yaml waivers[3]"] == ("forbidden", FORBIDDEN_MESSAGE)
    assert statuses["waivers.yaml waivers[0]"][0] == "applied"
    assert data["summary"]["waived"] == 2 and data["summary"]["waiver_problems"] == 3
    first = next(w for w in data["waivers"] if w["source"] == "waivers.yaml waivers[0]")
    assert (first["approver"], first["approved"], first["expires"]) == (APPROVER, str(APPROVED), str(EXPIRES))


def test_sarif_carries_waivers_as_accepted_suppressions(reports: dict[str, str]) -> None:
    run = json.loads(reports["sarif"])["runs"][0]
    by_name = {
        (r["properties"]["rule"], r["locations"][0]["logicalLocations"][0]["name"]): r for r in run["results"]
    }
    jobs = by_name[("sqs_queue_kms_encryption", "jobs")]
    assert jobs["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Queue carries public job IDs only",
            "properties": {
                "approver": APPROVER,
                "approved": str(APPROVED),
                "expires": str(EXPIRES),
                "source": "waivers.yaml waivers[0]",
            },
        }
    ]
    assert by_name[("log_group_retention", "app")]["suppressions"][0]["kind"] == "inSource"
    assert "suppressions" not in by_name[("sns_topic_kms_encryption", "events")]
    assert "suppressions" not in by_name[("region_allowed", "moved")]
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert [(n["descriptor"]["id"], n["level"], n["message"]["text"]) for n in notifications] == [
        ("waiver-expired", "error", EXPIRED_MESSAGE),
        ("waiver-forbidden", "error", FORBIDDEN_MESSAGE),
        ("waiver-unmatched", "warning", UNMATCHED_MESSAGE),
    ]


def test_junit_has_a_case_per_waiver(reports: dict[str, str]) -> None:
    root = ET.fromstring(reports["junit"])
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "waivers")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("5", "2", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    expired = cases["waivers.yaml waivers[1]"].find("failure")
    assert expired is not None and expired.get("message") == EXPIRED_MESSAGE
    forbidden = cases["waivers.yaml waivers[3]"].find("failure")
    assert forbidden is not None and forbidden.get("message") == FORBIDDEN_MESSAGE
    unmatched = cases["waivers.yaml waivers[2]"].find("skipped")
    assert unmatched is not None and unmatched.get("message") == UNMATCHED_MESSAGE
    applied = cases["waivers.yaml waivers[0]"]
    assert applied.find("failure") is None and applied.find("skipped") is None
    log_case = next(
        c
        for c in root.iter("testcase")
        if c.get("classname") == "dev" and c.get("name", "").startswith("LOG-02")
    )
    skipped = log_case.find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith(
        "waived: aws:cloudwatch/logGroup:LogGroup app:"
    )
    assert root.get("failures") == str(sum(int(s.get("failures", "0")) for s in root.iter("testsuite")))


def test_text_lists_waived_findings_and_waivers_accepting_nothing(reports: dict[str, str]) -> None:
    text = reports["text"]
    assert (
        f"    waiver: waivers.yaml waivers[0]; approved by {APPROVER} on {APPROVED}; expires {EXPIRES}; "
        "reason: Queue carries public job IDs only\n" in text
    )
    assert f"  EXPIRED: {EXPIRED_MESSAGE}\n" in text
    assert f"  UNMATCHED: {UNMATCHED_MESSAGE}\n" in text
    assert f"  FORBIDDEN: {FORBIDDEN_MESSAGE}\n" in text
    assert text.splitlines()[-1].endswith("; 2 waived; 3 waivers accepting nothing")


def test_every_finding_of_a_service_program_waived_passes(tmp_path: Path) -> None:
    findings = [
        ("dynamodb_kms_encryption", "orders"),
        ("sns_topic_kms_encryption", "order-events"),
        ("sqs_queue_kms_encryption", "jobs"),
        ("log_group_retention", "orders-app"),
    ]
    path = tmp_path / "waivers.yaml"
    path.write_text(
        yaml.safe_dump({"waivers": [waiver(rule=rule, resource=name) for rule, name in findings]}),
        encoding="utf-8",
    )
    result = check_program(SERVICE, "dev", waivers_file=path)
    assert result.passed and result.violations == []
    assert sorted((w.violation.rule, w.violation.name) for w in result.waived) == sorted(findings)
    # The day after the waivers expire, the same findings are violations again.
    later = check_program(SERVICE, "dev", waivers_file=path, today=EXPIRES + dt.timedelta(days=1))
    assert sorted((v.rule, v.name) for v in later.violations) == sorted(findings)
    assert {w.status for w in later.waivers} == {"expired"}


# --- a bad waiver is bad input: one line naming the key, the value and the fix --------------------------


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            waiver(),
            (
                "w.yaml waivers[0].rule: neither rule nor control is set; expected exactly one of rule (a"
                " gate rule ID) or control (a control ID like NET-02)."
            ),
        ),
        (
            waiver(rule="no_such_rule"),
            (
                "w.yaml waivers[0].rule: 'no_such_rule' is not a gate rule; expected a rule ID from"
                " `tenantctl controls` (e.g. sg_no_public_ingress)."
            ),
        ),
        (
            waiver(control="NET-99"),
            (
                "w.yaml waivers[0].control: 'NET-99' is not a control of the catalog; expected a control ID"
                " like NET-02."
            ),
        ),
        (
            waiver(rule="sqs_queue_kms_encryption", reason="ok"),
            (
                "w.yaml waivers[0].reason: is 'ok'; expected why the finding is accepted, in at least 10"
                " characters."
            ),
        ),
        (
            waiver(rule="sqs_queue_kms_encryption", approver="bob"),
            (
                "w.yaml waivers[0].approver: is 'bob'; expected the e-mail address of the person who approved"
                " the exception."
            ),
        ),
        (
            waiver(rule="sqs_queue_kms_encryption", expires="next year"),
            (
                "w.yaml waivers[0].expires: is 'next year'; expected the expiry date as YYYY-MM-DD, at most"
                " 365 days after approved."
            ),
        ),
        (
            waiver(rule="sqs_queue_kms_encryption", expires=str(APPROVED + dt.timedelta(days=400))),
            (
                f"w.yaml waivers[0].expires: {APPROVED + dt.timedelta(days=400)} is 400 days after approved"
                f" {APPROVED}; expected a date from approved to {APPROVED + dt.timedelta(days=365)} (365"
                " days): renew it with a new approval instead."
            ),
        ),
        (
            waiver(rule="sqs_queue_kms_encryption", approved=str(TODAY + dt.timedelta(days=1))),
            (
                f"w.yaml waivers[0].approved: {TODAY + dt.timedelta(days=1)} is in the future; expected a"
                f" date on or before today ({TODAY})."
            ),
        ),
        (
            waiver(rule="sqs_queue_kms_encryption", owner="me"),
            (
                "w.yaml waivers[0].owner: is not a waiver field; expected only rule, control, resource,"
                " stack, reason, approver, approved, expires."
            ),
        ),
    ],
)
def test_a_bad_waiver_is_refused(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_waiver_file({"waivers": [entry]}, "w.yaml", TODAY)
    assert str(caught.value) == message


def test_cli_refuses_a_bad_waiver_file_before_synthesis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n  - rule: sqs_queue_kms_encryption\n", encoding="utf-8")
    code = main(["check", "--program", str(SERVICE), "--stack", "dev", "--waivers", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert (
        "waivers[0].resource: is None; expected the name or URN of the resource whose finding is accepted."
        in err
    )


def test_cli_refuses_a_missing_waiver_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["check", "--program", str(SERVICE), "--stack", "dev", "--waivers", str(missing)]) == 2
    assert f"--waivers {missing}: no such file; expected a waivers.yaml." in capsys.readouterr().err


def test_an_inline_waiver_tag_is_read_and_checked() -> None:
    synth = {
        "stack": "dev",
        "resources": [
            {
                "urn": "urn:a",
                "inputs": {"tags": {"tenant-zone:waiver:sg_no_public_ingress": TAG, "team": "x"}},
            },
        ],
    }
    (record,) = inline_waivers(synth, TODAY)
    assert (record.rule, record.control, record.resource, record.stack) == (
        "sg_no_public_ingress",
        "",
        "urn:a",
        "dev",
    )
    assert (record.approver, record.reason, record.inline) == (
        APPROVER,
        "Debug logs of a throwaway sandbox",
        True,
    )
    synth["resources"][0]["inputs"]["tags"] = {
        "tenant-zone:waiver:NET-02": f"approved={APPROVED} reason=because I say so"
    }
    with pytest.raises(UserError) as caught:
        inline_waivers(synth, TODAY)
    assert str(caught.value).splitlines() == [
        (
            "tag tenant-zone:waiver:NET-02 on urn:a.approver: is None; expected the e-mail address of the"
            " person who approved the exception."
        ),
        (
            "tag tenant-zone:waiver:NET-02 on urn:a.expires: is None; expected the expiry date as YYYY-MM-DD,"
            " at most 365 days after approved."
        ),
    ]


def test_a_waiver_scoped_to_another_stack_is_out_of_scope_not_unmatched() -> None:
    from tenantctl.gate.model import GateResult, StackReport, WaiverRecord
    from tenantctl.gate.waivers import apply_waivers

    def record(stack: str) -> WaiverRecord:
        return WaiverRecord(
            source=f"waivers.yaml {stack}",
            rule="s3_bucket_kms_encryption",
            control="",
            resource="alb-access-logs-apne1-bucket-encryption",
            stack=stack,
            reason="ALB access logs accept SSE-S3 only",
            approver=APPROVER,
            approved=str(APPROVED),
            expires=str(EXPIRES),
            inline=False,
        )

    result = apply_waivers(
        GateResult(stacks=[StackReport("acme-prod", 10)]), [record("org"), record("")], TODAY
    )
    # the org-scoped waiver says nothing about acme-prod; an unscoped one that matches nothing is reported
    assert [(w.status, w.waiver.stack) for w in result.waivers] == [("unmatched", "")]
