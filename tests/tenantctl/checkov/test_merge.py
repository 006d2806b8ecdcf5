"""checkov results as gate findings: on the Pulumi resource, under the control whose scan layer names the
check (with that control's enforcement), else under the check's own ID as mandatory; excepted ones counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenantctl.checkov.exceptions import Exception_, parse
from tenantctl.checkov.merge import expected_text, merge, scan_controls
from tenantctl.checkov.runner import Result, Run
from tenantctl.export import export
from tenantctl.export.sources import Document, Resource
from tenantctl.gate.model import Violation

STACK = "dev"
BUCKET_URN = "urn:pulumi:dev::team::aws:s3/bucket:Bucket::data"
TOPIC_URN = "urn:pulumi:dev::team::aws:sns/topic:Topic::events"
SECRET_URN = "urn:pulumi:dev::team::aws:secretsmanager/secret:Secret::token"


def document() -> Document:
    return Document(
        STACK,
        "team",
        "synth",
        (
            Resource(BUCKET_URN, "aws:s3/bucket:Bucket", "data", "ap-northeast-1", {"bucket": "data"}),
            Resource(TOPIC_URN, "aws:sns/topic:Topic", "events", "ap-northeast-1", {"name": "events"}),
            Resource(SECRET_URN, "aws:secretsmanager/secret:Secret", "token", "ap-northeast-1", {}),
        ),
    )


def failed(check: str, name: str, address: str) -> Result:
    return Result(STACK, check, name, address, passed=False)


def merged(
    results: list[Result], exceptions: dict[str, Exception_] | None = None
) -> tuple[list[Violation], int]:
    doc = document()
    out = merge(Run("3.3.30", results), {STACK: export(doc)}, {STACK: doc}, exceptions or {})
    return sorted(out.violations), len(out.excepted)


def test_check_in_a_scan_layer_is_reported_under_the_control() -> None:
    assert scan_controls()["CKV_AWS_26"] == (("ENC-01", "mandatory"),)
    violations, _ = merged(
        [failed("CKV_AWS_26", "Ensure all data stored in the SNS topic is encrypted", "aws_sns_topic.events")]
    )
    assert violations == [
        Violation(
            stack=STACK,
            control="ENC-01",
            rule="CKV_AWS_26",
            urn=TOPIC_URN,
            type="aws:sns/topic:Topic",
            name="events",
            message="aws:sns/topic:Topic events: fails checkov CKV_AWS_26 (Ensure all data stored in the SNS "
            "topic is encrypted); expected all data stored in the SNS topic is encrypted. [ENC-01]",
            enforcement="mandatory",
        )
    ]


def test_check_outside_the_catalog_is_reported_under_its_own_id_as_mandatory() -> None:
    assert "CKV_AWS_18" not in scan_controls()
    violations, _ = merged(
        [failed("CKV_AWS_18", "Ensure the S3 bucket has access logging enabled", "aws_s3_bucket.data")]
    )
    assert [(v.control, v.rule, v.urn, v.enforcement, v.message) for v in violations] == [
        (
            "CKV_AWS_18",
            "CKV_AWS_18",
            BUCKET_URN,
            "mandatory",
            "aws:s3/bucket:Bucket data: fails checkov CKV_AWS_18 (Ensure the S3 bucket has access logging "
            "enabled); expected the S3 bucket has access logging enabled. [CKV_AWS_18]",
        )
    ]


def test_check_serving_two_controls_is_reported_under_both() -> None:
    assert [c for c, _ in scan_controls()["CKV_AWS_149"]] == ["ENC-01", "ENC-04"]
    name = "Ensure that Secrets Manager secret is encrypted using KMS CMK"
    violations, _ = merged([failed("CKV_AWS_149", name, "aws_secretsmanager_secret.token")])
    assert [(v.control, v.urn) for v in violations] == [("ENC-01", SECRET_URN), ("ENC-04", SECRET_URN)]
    assert [v.message.rsplit(" ", 1)[-1] for v in violations] == ["[ENC-01]", "[ENC-04]"]


def test_excepted_check_is_counted_not_reported_and_only_on_its_types() -> None:
    exceptions = parse(
        Path("exceptions.yaml"),
        {
            "exceptions": [
                {
                    "check": "CKV_AWS_18",
                    "types": ["aws:s3/bucket:Bucket"],
                    "reason": "Buckets of this design log object access through another reviewed path.",
                }
            ]
        },
    )
    name = "Ensure the S3 bucket has access logging enabled"
    violations, excepted = merged([failed("CKV_AWS_18", name, "aws_s3_bucket.data")], exceptions)
    assert (violations, excepted) == ([], 1)
    other = parse(
        Path("exceptions.yaml"),
        {"exceptions": [{**{"check": "CKV_AWS_18", "reason": "x" * 40}, "types": ["aws:sns/topic:Topic"]}]},
    )
    violations, excepted = merged([failed("CKV_AWS_18", name, "aws_s3_bucket.data")], other)
    assert (len(violations), excepted) == (1, 0)


def test_passed_checks_give_no_finding() -> None:
    ok = Result(
        STACK,
        "CKV_AWS_26",
        "Ensure all data stored in the SNS topic is encrypted",
        "aws_sns_topic.events",
        True,
    )
    assert merged([ok]) == ([], 0)


def test_a_result_on_an_address_the_export_never_wrote_is_an_internal_error() -> None:
    with pytest.raises(LookupError, match="aws_s3_bucket.ghost"):
        merged([failed("CKV_AWS_18", "Ensure", "aws_s3_bucket.ghost")])


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Ensure the S3 bucket has access logging enabled", "the S3 bucket has access logging enabled"),
        ("Ensure that ECR repositories are encrypted using KMS", "ECR repositories are encrypted using KMS"),
        (
            "Ensure IAM policies are attached only to groups or roles",
            "IAM policies are attached only to groups or roles",
        ),
        (
            "Verify Elasticsearch domain is using an up to date TLS policy",
            "Elasticsearch domain is using an up to date TLS policy",
        ),
        ("AWS SSM Parameter should be Encrypted", "AWS SSM Parameter should be Encrypted"),
        ("Ensure CloudTrail defines an SNS Topic", "CloudTrail defines an SNS Topic"),
    ],
)
def test_expected_text_is_the_checks_demand(name: str, expected: str) -> None:
    assert expected_text(name) == expected
