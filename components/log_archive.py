"""LogArchive: the write-once bucket in the log-archive account (LOG-01, LOG-02).

Declared through a provider into the log-archive account (passed in by the
org stack). It receives the organization trail and every account's AWS
Config deliveries (prefix ``config/``), so no tenant administrator can
delete the logs of their own account.

The bucket has Object Lock in COMPLIANCE mode (no one, not even the root
user, can shorten the retention), versioning, SSE-KMS with a customer key
of the log-archive account (bucket key on), a public access block, owner-
enforced object ownership, and a policy that denies plain HTTP (ENC-03).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.buckets import harden_bucket, tls_only_statement
from components.errors import InputProblems
from components.keys import break_glass_arn, key_policy_recovery_statement
from components.policy_documents import policy_document
from components.scps import BASELINE_ROLES_ARN_PATTERN, ORG_ACCESS_ROLE_NAME
from policies.parameters import LOG_OBJECT_LOCK_DAYS, PRIMARY_REGION

_KIND = "LogArchive"
MAX_OBJECT_LOCK_DAYS = 36500
CONFIG_PREFIX = "config"
DEFAULT_TRAIL_NAME = "tz-organization-trail"


@dataclass
class LogArchiveArgs:
    """Inputs of the log archive.

    ``trail_name`` must be the name the ``OrganizationTrail`` is given: the
    bucket and key policies only admit that trail (confused-deputy guard).
    ``reader_account_ids`` may read and decrypt the logs (the security account).
    """

    organization_id: pulumi.Input[str]
    management_account_id: pulumi.Input[str]
    log_archive_account_id: pulumi.Input[str]
    region: str = PRIMARY_REGION
    trail_name: str = DEFAULT_TRAIL_NAME
    object_lock_days: int = LOG_OBJECT_LOCK_DAYS
    archive_after_days: int = 90
    reader_account_ids: Sequence[pulumi.Input[str]] = ()
    tags: dict[str, str] = field(default_factory=dict)


def validate_log_archive_args(name: str, args: LogArchiveArgs) -> None:
    problems = InputProblems(_KIND, name)
    if not LOG_OBJECT_LOCK_DAYS <= args.object_lock_days <= MAX_OBJECT_LOCK_DAYS:
        problems.add(
            f"object_lock_days = {args.object_lock_days} is outside the allowed range",
            f"between {LOG_OBJECT_LOCK_DAYS} and {MAX_OBJECT_LOCK_DAYS} days (the shortest is LOG-01's lock)",
            "LOG-01",
        )
    if args.archive_after_days < 1:
        problems.add(
            f"archive_after_days = {args.archive_after_days} is not positive",
            "the number of days after which logs move to Glacier Instant Retrieval, at least 1",
        )
    problems.raise_if_any()


def trail_arn(region: str, management_account_id: str, trail_name: str) -> str:
    return f"arn:aws:cloudtrail:{region}:{management_account_id}:trail/{trail_name}"


def log_readers_key_statement(reader_account_ids: Sequence[str], via_s3: str) -> dict[str, Any]:
    """The reader accounts (the security account) decrypt archived logs, through S3 only."""
    return {
        "Sid": "LogReaders",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{a}:root" for a in reader_account_ids]},
        "Action": ["kms:Decrypt", "kms:DescribeKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": via_s3}},
    }


def log_readers_bucket_statement(bucket_arn: str, reader_account_ids: Sequence[str]) -> dict[str, Any]:
    """The reader accounts read archived log objects and list the bucket; they never write or delete."""
    return {
        "Sid": "LogReaders",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{a}:root" for a in reader_account_ids]},
        "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"],
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
    }


def key_administration_statement(log_archive_account_id: str) -> dict[str, Any]:
    """Administration of a log-archive key by the platform role only: no cryptographic actions and no
    ScheduleKeyDeletion (deleting the key would destroy a year of evidence)."""
    return {
        "Sid": "KeyAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{log_archive_account_id}:role/{ORG_ACCESS_ROLE_NAME}"},
        "Action": [
            "kms:CancelKeyDeletion",
            "kms:Create*",
            "kms:Delete*",
            "kms:Describe*",
            "kms:Disable*",
            "kms:Enable*",
            "kms:Get*",
            "kms:List*",
            "kms:Put*",
            "kms:Revoke*",
            "kms:RotateKeyOnDemand",
            "kms:TagResource",
            "kms:UntagResource",
            "kms:Update*",
        ],
        "Resource": "*",
    }


def log_archive_key_policy(
    *,
    log_archive_account_id: str,
    management_account_id: str,
    organization_id: str,
    region: str,
    trail_name: str,
    reader_account_ids: Sequence[str] = (),
) -> dict[str, Any]:
    """Key policy: administration by the platform role only, use by the log writers and readers (ENC-02).

    Administrators get no cryptographic actions and no ScheduleKeyDeletion
    (deleting this key would destroy a year of evidence); writers cannot
    change the policy. The account's break-glass role can restore the policy
    if the administrators are lost (``key_policy_recovery_statement``).
    """
    via_s3 = f"s3.{region}.amazonaws.com"
    statements: list[dict[str, Any]] = [
        key_administration_statement(log_archive_account_id),
        key_policy_recovery_statement(log_archive_account_id, [break_glass_arn(log_archive_account_id)]),
        {
            "Sid": "CloudTrailEncryptLogs",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": (
                        f"arn:aws:cloudtrail:*:{management_account_id}:trail/*"
                    )
                },
                "StringEquals": {"aws:SourceArn": trail_arn(region, management_account_id, trail_name)},
            },
        },
        {
            "Sid": "CloudTrailDescribeKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
        },
        {
            "Sid": "ConfigDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceOrgID": organization_id}},
        },
        {
            # AWS Config delivers with each account's recorder role (a baseline
            # role) before falling back to the service principal.
            "Sid": "ConfigRolesWriteThroughS3",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:PrincipalOrgID": organization_id, "kms:ViaService": via_s3},
                "ArnLike": {"aws:PrincipalArn": BASELINE_ROLES_ARN_PATTERN},
            },
        },
    ]
    if reader_account_ids:
        statements.append(log_readers_key_statement(reader_account_ids, via_s3))
    return policy_document(*statements)


def log_archive_bucket_policy(
    *,
    bucket_arn: str,
    management_account_id: str,
    organization_id: str,
    region: str,
    trail_name: str,
    reader_account_ids: Sequence[str] = (),
) -> dict[str, Any]:
    """Bucket policy: TLS only, the organization trail and AWS Config of the organization may write."""
    source_trail = trail_arn(region, management_account_id, trail_name)
    statements: list[dict[str, Any]] = [
        tls_only_statement(bucket_arn),
        {
            "Sid": "CloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": {"aws:SourceArn": source_trail}},
        },
        {
            "Sid": "CloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": [
                f"{bucket_arn}/AWSLogs/{management_account_id}/*",
                f"{bucket_arn}/AWSLogs/{organization_id}/*",
            ],
            "Condition": {
                "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": source_trail}
            },
        },
        {
            "Sid": "ConfigAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": {"StringEquals": {"aws:SourceOrgID": organization_id}},
        },
        {
            "Sid": "ConfigWrite",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{CONFIG_PREFIX}/AWSLogs/*",
            "Condition": {
                "StringEquals": {
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SourceOrgID": organization_id,
                }
            },
        },
        {
            # Config delivers with the recorder's role first; each account may
            # only write under its own account prefix.
            "Sid": "ConfigRoleWrite",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{CONFIG_PREFIX}/AWSLogs/${{aws:PrincipalAccount}}/*",
            "Condition": {
                "StringEquals": {"aws:PrincipalOrgID": organization_id},
                "ArnLike": {"aws:PrincipalArn": BASELINE_ROLES_ARN_PATTERN},
            },
        },
        {
            "Sid": "ConfigRoleAclCheck",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {
                "StringEquals": {"aws:PrincipalOrgID": organization_id},
                "ArnLike": {"aws:PrincipalArn": BASELINE_ROLES_ARN_PATTERN},
            },
        },
    ]
    if reader_account_ids:
        statements.append(log_readers_bucket_statement(bucket_arn, reader_account_ids))
    return policy_document(*statements)


class LogArchive(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]
    trail_name: str
    config_prefix: str

    def __init__(self, name: str, args: LogArchiveArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_log_archive_args(name, args)
        super().__init__("tenant-zone:logarchive:LogArchive", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        readers = pulumi.Output.all(*args.reader_account_ids)
        key_policy = pulumi.Output.all(
            args.log_archive_account_id, args.management_account_id, args.organization_id, readers
        ).apply(
            lambda v: json.dumps(
                log_archive_key_policy(
                    log_archive_account_id=v[0],
                    management_account_id=v[1],
                    organization_id=v[2],
                    region=args.region,
                    trail_name=args.trail_name,
                    reader_account_ids=v[3],
                )
            )
        )
        key = aws.kms.Key(
            f"{name}-key",
            description="Log archive: organization trail and AWS Config deliveries",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=key_policy,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        aws.kms.Alias(f"{name}-key-alias", name="alias/tz-log-archive", target_key_id=key.key_id, opts=child)

        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            object_lock_enabled=True,
            force_destroy=False,
            tags={**args.tags, "purpose": "log-archive"},
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        aws.s3.BucketObjectLockConfiguration(
            f"{name}-object-lock",
            bucket=bucket.id,
            object_lock_enabled="Enabled",
            rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
                default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(
                    mode="COMPLIANCE", days=args.object_lock_days
                )
            ),
            opts=child,
        )
        hardening = harden_bucket(name, bucket, key.arn, child)
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=[
                # Cheaper storage, never expiry: Object Lock decides when a log may go.
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="archive",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    transitions=[
                        aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                            days=args.archive_after_days, storage_class="GLACIER_IR"
                        )
                    ],
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=7
                    ),
                )
            ],
            opts=child,
        )
        bucket_policy_json = pulumi.Output.all(
            bucket.arn, args.management_account_id, args.organization_id, readers
        ).apply(
            lambda v: json.dumps(
                log_archive_bucket_policy(
                    bucket_arn=v[0],
                    management_account_id=v[1],
                    organization_id=v[2],
                    region=args.region,
                    trail_name=args.trail_name,
                    reader_account_ids=v[3],
                )
            )
        )
        policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket.id,
            policy=bucket_policy_json,
            # The public access block must exist first or S3 may judge the
            # service-principal statements against an unprotected bucket.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[hardening.public_access]),
        )

        # Consumers (the trail, Config delivery channels) must wait for the
        # bucket policy, or CloudTrail rejects the bucket: the name output
        # carries that dependency.
        self.bucket_name = pulumi.Output.all(bucket.bucket, policy.id).apply(lambda v: v[0])
        self.bucket_arn = bucket.arn
        self.kms_key_arn = key.arn
        self.trail_name = args.trail_name
        self.config_prefix = CONFIG_PREFIX
        self.register_outputs(
            {"bucketName": self.bucket_name, "bucketArn": self.bucket_arn, "kmsKeyArn": self.kms_key_arn}
        )
