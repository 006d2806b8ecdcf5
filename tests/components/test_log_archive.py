"""LogArchive: Object Lock, versioning, encryption, key and bucket policies of the log-archive bucket."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.errors import ComponentInputError
from components.log_archive import LogArchive, LogArchiveArgs
from tests.pulumi_mocks import Run, assert_all_under, run

LOG_ARCHIVE_ACCOUNT = "222222222222"
MANAGEMENT = "111111111111"
SECURITY = "333333333333"
ORG_ID = "o-abcdef1234"


def build_archive(**overrides: object) -> LogArchive:
    values: dict[str, Any] = {
        "organization_id": ORG_ID,
        "management_account_id": MANAGEMENT,
        "log_archive_account_id": LOG_ARCHIVE_ACCOUNT,
        "reader_account_ids": [SECURITY],
    }
    values.update(overrides)
    provider = aws.Provider(
        "log-archive-apne1",
        region="ap-northeast-1",
        assume_roles=[
            aws.ProviderAssumeRoleArgs(
                role_arn=f"arn:aws:iam::{LOG_ARCHIVE_ACCOUNT}:role/OrganizationAccountAccessRole"
            )
        ],
    )
    return LogArchive("log-archive", LogArchiveArgs(**values), opts=pulumi.ResourceOptions(provider=provider))


@pytest.fixture(scope="module")
def archive() -> Run:
    return run(build_archive)


def only(result: Run, type_: str) -> dict[str, Any]:
    return result.one(type_).inputs


def test_every_child_is_parented_and_uses_the_log_archive_provider(archive: Run) -> None:
    component = archive.one("tenant-zone:logarchive:LogArchive")
    assert_all_under(archive, component.urn)
    provider = archive.one("pulumi:providers:aws")
    for resource in archive.descendants_of(component.urn):
        if resource.custom:
            assert resource.provider_urn == provider.urn, resource.name
            assert archive.region_of(resource) == "ap-northeast-1"


def test_bucket_is_object_locked_in_compliance_mode_for_a_year(archive: Run) -> None:
    bucket = archive.one("aws:s3/bucket:Bucket")
    assert bucket.inputs["objectLockEnabled"] is True
    assert bucket.inputs["forceDestroy"] is False
    assert bucket.tags["purpose"] == "log-archive"
    assert bucket.protect is True
    lock = only(archive, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    assert lock["bucket"] == bucket.outputs["id"]
    assert lock["rule"]["defaultRetention"] == {"mode": "COMPLIANCE", "days": 365}


def test_bucket_versioning_encryption_public_access_ownership(archive: Run) -> None:
    key = archive.one("aws:kms/key:Key")
    assert only(archive, "aws:s3/bucketVersioning:BucketVersioning")["versioningConfiguration"] == {
        "status": "Enabled"
    }
    [rule] = only(
        archive, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": key.outputs["arn"],
    }
    assert rule["bucketKeyEnabled"] is True
    block = only(archive, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(
        block[k] is True
        for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    ownership = only(archive, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    [lifecycle] = only(archive, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
    assert "expiration" not in lifecycle  # Object Lock, not lifecycle, decides when a log may go
    assert lifecycle["transitions"] == [{"days": 90, "storageClass": "GLACIER_IR"}]


def test_key_rotates_with_thirty_day_window_and_separates_admin_from_use(archive: Run) -> None:
    key = only(archive, "aws:kms/key:Key")
    assert key["enableKeyRotation"] is True
    assert key["deletionWindowInDays"] == 30
    statements = {s["Sid"]: s for s in json.loads(key["policy"])["Statement"]}
    admin = statements["KeyAdministration"]
    assert admin["Principal"] == {
        "AWS": f"arn:aws:iam::{LOG_ARCHIVE_ACCOUNT}:role/OrganizationAccountAccessRole"
    }
    assert not {
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ScheduleKeyDeletion",
        "kms:*",
    } & set(admin["Action"])
    trail = statements["CloudTrailEncryptLogs"]
    assert trail["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert (
        trail["Condition"]["StringEquals"]["aws:SourceArn"]
        == f"arn:aws:cloudtrail:ap-northeast-1:{MANAGEMENT}:trail/tz-organization-trail"
    )
    for sid in ("CloudTrailEncryptLogs", "ConfigDelivery", "ConfigRolesWriteThroughS3", "LogReaders"):
        assert not {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"} & set(statements[sid]["Action"]), sid
    writers = statements["ConfigRolesWriteThroughS3"]["Condition"]
    assert writers["StringEquals"]["aws:PrincipalOrgID"] == ORG_ID
    assert writers["ArnLike"] == {"aws:PrincipalArn": "arn:aws:iam::*:role/tenant-zone/*"}
    assert statements["LogReaders"]["Principal"] == {"AWS": [f"arn:aws:iam::{SECURITY}:root"]}


def test_bucket_policy_is_tls_only_and_admits_the_trail_and_config(archive: Run) -> None:
    bucket = archive.one("aws:s3/bucket:Bucket")
    arn = bucket.outputs["arn"]
    statements = {
        s["Sid"]: s
        for s in json.loads(only(archive, "aws:s3/bucketPolicy:BucketPolicy")["policy"])["Statement"]
    }
    tls = statements["DenyInsecureTransport"]
    assert tls["Effect"] == "Deny" and tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert tls["Resource"] == [arn, f"{arn}/*"]
    write = statements["CloudTrailWrite"]
    assert write["Resource"] == [f"{arn}/AWSLogs/{MANAGEMENT}/*", f"{arn}/AWSLogs/{ORG_ID}/*"]
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
    assert statements["CloudTrailAclCheck"]["Action"] == "s3:GetBucketAcl"
    assert statements["ConfigWrite"]["Resource"] == f"{arn}/config/AWSLogs/*"
    assert statements["ConfigWrite"]["Condition"]["StringEquals"]["aws:SourceOrgID"] == ORG_ID
    # A member account's Config role writes only under its own account prefix.
    assert statements["ConfigRoleWrite"]["Resource"] == f"{arn}/config/AWSLogs/${{aws:PrincipalAccount}}/*"


def test_bucket_name_output_waits_for_the_bucket_policy(archive: Run) -> None:
    consumer = run(
        lambda: aws.s3.BucketObject("probe", bucket=build_archive().bucket_name, key="k", content="x")
    )
    probe = consumer.one("aws:s3/bucketObject:BucketObject")
    policy = consumer.one("aws:s3/bucketPolicy:BucketPolicy")
    assert policy.urn in probe.dependencies


def test_no_readers_means_no_reader_statements() -> None:
    result = run(lambda: build_archive(reader_account_ids=[]))
    sids = {s["Sid"] for s in json.loads(only(result, "aws:kms/key:Key")["policy"])["Statement"]}
    assert "LogReaders" not in sids
    policy_sids = {
        s["Sid"] for s in json.loads(only(result, "aws:s3/bucketPolicy:BucketPolicy")["policy"])["Statement"]
    }
    assert "LogReaders" not in policy_sids


def test_longer_retention_and_archive_delay() -> None:
    result = run(lambda: build_archive(object_lock_days=400, archive_after_days=30))
    lock = only(result, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    assert lock["rule"]["defaultRetention"]["days"] == 400
    [rule] = only(result, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
    assert rule["transitions"][0]["days"] == 30


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"object_lock_days": 90},
            (
                "LogArchive log-archive: object_lock_days = 90 is outside the allowed range; expected between"
                " 365 and 36500 days (the shortest is LOG-01's lock). [LOG-01]"
            ),
        ),
        (
            {"archive_after_days": 0},
            (
                "LogArchive log-archive: archive_after_days = 0 is not positive; expected the number of days"
                " after which logs move to Glacier Instant Retrieval, at least 1."
            ),
        ),
    ],
)
def test_archive_validation(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        run(lambda: build_archive(**overrides))
    assert str(caught.value) == message


def test_trail_name_reaches_the_key_and_bucket_policies() -> None:
    result = run(lambda: build_archive(trail_name="org-audit-trail"))
    trail = f"arn:aws:cloudtrail:ap-northeast-1:{MANAGEMENT}:trail/org-audit-trail"
    key = {s["Sid"]: s for s in json.loads(only(result, "aws:kms/key:Key")["policy"])["Statement"]}
    assert key["CloudTrailEncryptLogs"]["Condition"]["StringEquals"]["aws:SourceArn"] == trail
    bucket = {
        s["Sid"]: s
        for s in json.loads(only(result, "aws:s3/bucketPolicy:BucketPolicy")["policy"])["Statement"]
    }
    assert bucket["CloudTrailWrite"]["Condition"]["StringEquals"]["aws:SourceArn"] == trail
    assert bucket["CloudTrailAclCheck"]["Condition"]["StringEquals"]["aws:SourceArn"] == trail
