"""LogDelivery: the log-archive buckets for tenant flow logs and WAF logs, their key and policies."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.errors import ComponentInputError
from components.log_delivery import LogDelivery, LogDeliveryArgs, validate_log_delivery_args
from tests.pulumi_mocks import Run, assert_all_under, run

LOG_ARCHIVE_ACCOUNT = "222222222222"
SECURITY = "333333333333"
TENANTS = ["555555555555", "444444444444"]
ORG_ID = "o-abcdef1234"
BUCKET = "aws:s3/bucket:Bucket"


def delivery_args(**overrides: object) -> LogDeliveryArgs:
    values: dict[str, Any] = {
        "log_archive_account_id": LOG_ARCHIVE_ACCOUNT,
        "organization_id": ORG_ID,
        "source_account_ids": TENANTS,
        "reader_account_ids": [SECURITY],
    }
    values.update(overrides)
    return LogDeliveryArgs(**values)


@pytest.fixture(scope="module")
def delivery() -> Run:
    def program() -> LogDelivery:
        provider = aws.Provider("log-archive-apne1", region="ap-northeast-1")
        return LogDelivery("log-delivery", delivery_args(), opts=pulumi.ResourceOptions(provider=provider))

    return run(program)


def by_name(result: Run, type_: str) -> dict[str, Any]:
    return {r.name: r for r in result.of_type(type_)}


def statements(policy: str) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(policy)["Statement"]}


def test_every_child_is_parented_and_in_tokyo(delivery: Run) -> None:
    component = delivery.one("tenant-zone:logarchive:LogDelivery")
    assert_all_under(delivery, component.urn)
    for resource in delivery.descendants_of(component.urn):
        if resource.custom:
            assert delivery.region_of(resource) == "ap-northeast-1", resource.name


def test_the_waf_bucket_carries_the_prefix_waf_requires(delivery: Run) -> None:
    buckets = by_name(delivery, BUCKET)
    assert set(buckets) == {"log-delivery-flow-logs", "log-delivery-waf-logs"}
    assert buckets["log-delivery-waf-logs"].outputs["bucket"].startswith("aws-waf-logs-log-delivery-")
    for bucket in buckets.values():
        assert bucket.protect is True and bucket.inputs["forceDestroy"] is False


def test_each_bucket_is_hardened_with_the_delivery_key_and_kept_the_retention(delivery: Run) -> None:
    key_arn = delivery.one("aws:kms/key:Key").outputs["arn"]
    for bucket in delivery.of_type(BUCKET):
        name, bucket_id = bucket.name, bucket.outputs["id"]

        def of(type_: str, bucket_id: str = bucket_id) -> dict[str, Any]:
            [config] = [r.inputs for r in delivery.of_type(type_) if r.inputs["bucket"] == bucket_id]
            return config

        sse = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
        assert sse["rules"][0]["applyServerSideEncryptionByDefault"] == {
            "sseAlgorithm": "aws:kms",
            "kmsMasterKeyId": key_arn,
        }, name
        assert of("aws:s3/bucketVersioning:BucketVersioning")["versioningConfiguration"] == {
            "status": "Enabled"
        }
        block = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
        assert all(
            block[k] is True
            for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        ), name
        [rule] = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
        assert rule["expiration"] == {"days": 365}, name
        assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 365}, name
        tls = statements(of("aws:s3/bucketPolicy:BucketPolicy")["policy"])["DenyInsecureTransport"]
        assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}, name


def test_the_flow_log_bucket_admits_the_delivery_service_for_the_tenant_accounts_only(delivery: Run) -> None:
    arn = by_name(delivery, BUCKET)["log-delivery-flow-logs"].outputs["arn"]
    [policy] = [p for p in delivery.of_type("aws:s3/bucketPolicy:BucketPolicy") if "flow" in p.name]
    found = statements(policy.inputs["policy"])
    acl, write = found["LogDeliveryAclCheck"], found["LogDeliveryWrite"]
    for statement in (acl, write):
        assert statement["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == sorted(TENANTS)
        assert statement["Condition"]["ArnLike"]["aws:SourceArn"] == [
            f"arn:aws:logs:*:{a}:*" for a in sorted(TENANTS)
        ]
    assert acl["Action"] == ["s3:GetBucketAcl", "s3:ListBucket"] and acl["Resource"] == arn
    assert write["Action"] == "s3:PutObject"
    assert write["Resource"] == [f"{arn}/AWSLogs/{a}/*" for a in sorted(TENANTS)]
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
    assert found["LogReaders"]["Principal"] == {"AWS": [f"arn:aws:iam::{SECURITY}:root"]}


def test_the_waf_bucket_admits_only_the_tenants_waf_delivery_roles(delivery: Run) -> None:
    arn = by_name(delivery, BUCKET)["log-delivery-waf-logs"].outputs["arn"]
    [policy] = [p for p in delivery.of_type("aws:s3/bucketPolicy:BucketPolicy") if "waf" in p.name]
    found = statements(policy.inputs["policy"])
    assert "LogDeliveryWrite" not in found
    write = found["WafLogRolesWrite"]
    assert write["Resource"] == f"{arn}/AWSLogs/${{aws:PrincipalAccount}}/*"
    assert "s3:DeleteObject" not in write["Action"]
    condition = write["Condition"]
    assert condition["StringEquals"] == {
        "aws:PrincipalOrgID": ORG_ID,
        "aws:PrincipalAccount": sorted(TENANTS),
    }
    pattern = condition["ArnLike"]["aws:PrincipalArn"]
    assert fnmatchcase(
        "arn:aws:iam::444444444444:role/tenant-zone/service/acme-prod-edge-waf-log-delivery-1a2b3c4", pattern
    )
    assert not fnmatchcase("arn:aws:iam::444444444444:role/tenant-admin", pattern)


def test_the_key_lets_the_writers_encrypt_and_the_platform_role_administer(delivery: Run) -> None:
    key = delivery.one("aws:kms/key:Key").inputs
    assert key["enableKeyRotation"] is True and key["deletionWindowInDays"] == 30
    found = statements(key["policy"])
    admin = found["KeyAdministration"]
    assert admin["Principal"] == {
        "AWS": f"arn:aws:iam::{LOG_ARCHIVE_ACCOUNT}:role/OrganizationAccountAccessRole"
    }
    assert not {"kms:Decrypt", "kms:GenerateDataKey*", "kms:ScheduleKeyDeletion"} & set(admin["Action"])
    service = found["LogDeliveryEncrypt"]
    assert service["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert service["Action"] == "kms:GenerateDataKey*"
    assert service["Condition"]["StringEquals"] == {"aws:SourceAccount": sorted(TENANTS)}
    roles = found["WafLogRolesEncrypt"]["Condition"]
    assert roles["StringEquals"]["kms:ViaService"] == "s3.ap-northeast-1.amazonaws.com"
    assert roles["StringEquals"]["aws:PrincipalOrgID"] == ORG_ID


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"retention_days": 90, "archive_after_days": 30},
            "retention_days = 90 keeps flow and WAF logs too briefly; expected at least 365 days. [LOG-02]",
        ),
        (
            {"retention_days": 400, "archive_after_days": 400},
            "archive_after_days = 400 is not between 1 and retention_days; expected the number of days after"
            " which logs move to Glacier Instant Retrieval, before they expire.",
        ),
    ],
)
def test_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_log_delivery_args("log-delivery", delivery_args(**overrides))
    assert str(caught.value) == f"LogDelivery log-delivery: {message}"


def test_a_name_too_long_for_the_waf_bucket_prefix_is_refused() -> None:
    with pytest.raises(ComponentInputError, match="longer than 37 characters"):
        validate_log_delivery_args("x" * 30, delivery_args())
