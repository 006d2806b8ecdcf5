"""AlbAccessLogs: the log archive's ALB access-log bucket of one Region, its encryption and policy."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.alb_access_logs import AlbAccessLogs, AlbAccessLogsArgs, validate_alb_access_logs_args
from components.errors import ComponentInputError
from tests.pulumi_mocks import Run, assert_all_under, run

SECURITY = "333333333333"
TENANTS = ["555555555555", "444444444444"]
BUCKET = "aws:s3/bucket:Bucket"


def statements(policy: str) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(policy)["Statement"]}


ALB_SOURCES = {"acme-prod": TENANTS[0], "beta-prod": TENANTS[1]}
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def alb_args(**overrides: object) -> AlbAccessLogsArgs:
    values: dict[str, Any] = {"sources": ALB_SOURCES, "reader_account_ids": [SECURITY]}
    values.update(overrides)
    return AlbAccessLogsArgs(**values)


@pytest.fixture(scope="module", params=["ap-northeast-1", "ap-northeast-3"])
def alb_logs(request: pytest.FixtureRequest) -> tuple[str, Run]:
    region = request.param

    def program() -> AlbAccessLogs:
        provider = aws.Provider("log-archive", region=region)
        return AlbAccessLogs(
            "alb-access-logs", alb_args(region=region), opts=pulumi.ResourceOptions(provider=provider)
        )

    return region, run(program)


def test_the_alb_bucket_is_in_its_region_under_the_component(alb_logs: tuple[str, Run]) -> None:
    region, result = alb_logs
    component = result.one("tenant-zone:logarchive:AlbAccessLogs")
    assert_all_under(result, component.urn)
    for resource in result.descendants_of(component.urn):
        if resource.custom:
            assert result.region_of(resource) == region, resource.name
    [bucket] = result.of_type(BUCKET)
    assert bucket.protect is True and bucket.inputs["forceDestroy"] is False
    assert bucket.inputs["tags"]["purpose"] == "logs"


def test_the_alb_bucket_is_sse_s3_and_otherwise_hardened_and_kept_a_year(alb_logs: tuple[str, Run]) -> None:
    _, result = alb_logs
    assert [r.inputs["rules"] for r in result.of_type(SSE)] == [
        [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": False}]
    ]
    assert not result.of_type("aws:kms/key:Key")
    [versioning] = result.of_type("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    [block] = result.of_type("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(
        block.inputs[k] is True
        for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    [ownership] = result.of_type("aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    [lifecycle] = result.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    [rule] = lifecycle.inputs["rules"]
    assert rule["expiration"] == {"days": 365}
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 365}


def test_only_the_regions_elb_account_writes_and_only_under_each_tenants_prefix(
    alb_logs: tuple[str, Run],
) -> None:
    region, result = alb_logs
    elb_account = {"ap-northeast-1": "582318560864", "ap-northeast-3": "383597477331"}[region]
    arn = result.one(BUCKET).outputs["arn"]
    [policy] = result.of_type("aws:s3/bucketPolicy:BucketPolicy")
    found = statements(policy.inputs["policy"])
    assert set(found) == {"DenyInsecureTransport", "ElbAccessLogDelivery", "OnlyElbAccessLogs", "LogReaders"}
    write = found["ElbAccessLogDelivery"]
    assert write["Principal"] == {"AWS": f"arn:aws:iam::{elb_account}:root"}
    assert write["Action"] == "s3:PutObject"
    assert write["Resource"] == [
        f"{arn}/acme-prod/AWSLogs/{TENANTS[0]}/*",
        f"{arn}/beta-prod/AWSLogs/{TENANTS[1]}/*",
    ]
    only = found["OnlyElbAccessLogs"]
    assert only["Effect"] == "Deny" and only["Principal"] == "*" and only["Action"] == "s3:PutObject"
    assert only["Resource"] == f"{arn}/*"
    assert only["Condition"] == {"StringNotEquals": {"aws:PrincipalAccount": elb_account}}
    assert found["LogReaders"]["Action"] == ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]


def test_the_alb_bucket_name_waits_for_its_policy(alb_logs: tuple[str, Run]) -> None:
    # ELB writes a test object when a load balancer's access logs are switched on.
    _, result = alb_logs
    name = result.value.bucket_name
    assert result.resolve(name) == result.one(BUCKET).outputs["bucket"]
    waits_for = result.loop.run_until_complete(name.resources())
    assert any(isinstance(r, aws.s3.BucketPolicy) for r in waits_for)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"retention_days": 200, "archive_after_days": 30},
            "retention_days = 200 keeps ALB access logs too briefly; expected at least 365 days. [LOG-06]",
        ),
        (
            {"region": "us-east-1"},
            "region = 'us-east-1' has no Elastic Load Balancing log delivery account here; expected one of"
            " ap-northeast-1, ap-northeast-3. [RES-01]",
        ),
        (
            {"sources": {"AWSLogs-acme": TENANTS[0]}},
            "sources key 'AWSLogs-acme' is not an access-log prefix ELB accepts; expected a prefix of"
            " letters, digits and hyphens without 'AWSLogs' (the tenant stack's name).",
        ),
    ],
)
def test_alb_access_logs_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_alb_access_logs_args("alb-access-logs", alb_args(**overrides))
    assert str(caught.value) == f"AlbAccessLogs alb-access-logs: {message}"
