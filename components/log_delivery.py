"""LogDelivery: the buckets of the log-archive account that tenant VPC flow logs and WAF logs go to (LOG-02).

Flow logs are written by the log delivery service (``delivery.logs.amazonaws.com``) on behalf of each tenant
account. WAF writes straight only to a bucket of the web ACL's own account
(https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html), so each tenant's WAF logs arrive
through a Firehose stream of the tenant account whose baseline role (``*-waf-log-delivery-*``) this bucket and
key admit, each account under its own ``AWSLogs/<account>/`` prefix. Either way, a tenant administrator holds
no delete right over the archived logs. Declared through the log-archive provider, in Tokyo, after the
tenant accounts exist (the bucket and key policies name them).

Each bucket gets the platform's bucket hardening (SSE-KMS under a customer key of the log-archive account with
the bucket key on, versioning, the four public access blocks, owner-enforced ownership), a TLS-only policy and
a lifecycle that keeps objects at least LOG-02's minimum retention.

Flow-log delivery with SSE-KMS needs the key policy to let the delivery service generate data keys, and the
bucket policy to let it check the bucket ACL and put objects with ``bucket-owner-full-control``:
https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html. The WAF bucket keeps the
``aws-waf-logs-`` prefix WAF requires of its destinations, so that it stays usable as one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.buckets import harden_bucket, tls_only_statement
from components.edge import WAF_LOG_DELIVERY_ROLE
from components.errors import InputProblems
from components.keys import break_glass_arn, key_policy_recovery_statement
from components.log_archive import (
    key_administration_statement,
    log_readers_bucket_statement,
    log_readers_key_statement,
)
from components.naming import SERVICE_ROLE_PATH
from components.policy_documents import policy_document
from components.scps import WAF_LOG_PREFIX
from policies.parameters import MIN_LOG_RETENTION_DAYS, PRIMARY_REGION

_KIND = "LogDelivery"
DELIVERY_PRINCIPAL = "delivery.logs.amazonaws.com"
# The provider completes a bucket_prefix with 26 unique characters, within S3's 63-character limit, so the
# prefix may be at most 37 characters: https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/
MAX_BUCKET_PREFIX = 37
_NoncurrentExpiration = aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs
_AbortMultipart = aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs


@dataclass
class LogDeliveryArgs:
    """Inputs of the delivery buckets.

    ``source_account_ids`` are the accounts whose flow logs and WAF logs may be delivered (the tenant
    accounts); ``reader_account_ids`` may read and decrypt them (the security account). ``retention_days``
    is how long objects are kept, never less than LOG-02's minimum."""

    log_archive_account_id: pulumi.Input[str]
    organization_id: pulumi.Input[str]
    source_account_ids: Sequence[pulumi.Input[str]]
    region: str = PRIMARY_REGION
    retention_days: int = MIN_LOG_RETENTION_DAYS
    archive_after_days: int = 90
    reader_account_ids: Sequence[pulumi.Input[str]] = ()
    tags: dict[str, str] = field(default_factory=dict)


def waf_bucket_prefix(name: str) -> str:
    return f"{WAF_LOG_PREFIX}{name}-"


def retention_problems(
    problems: InputProblems, retention_days: int, archive_after_days: int, what: str, control: str
) -> None:
    """The retention of a log bucket: at least LOG-02's minimum, archived before it expires."""
    if retention_days < MIN_LOG_RETENTION_DAYS:
        problems.add(
            f"retention_days = {retention_days} keeps {what} too briefly",
            f"at least {MIN_LOG_RETENTION_DAYS} days",
            control,
        )
    if not 1 <= archive_after_days < retention_days:
        problems.add(
            f"archive_after_days = {archive_after_days} is not between 1 and retention_days",
            "the number of days after which logs move to Glacier Instant Retrieval, before they expire",
        )


def validate_log_delivery_args(name: str, args: LogDeliveryArgs) -> None:
    problems = InputProblems(_KIND, name)
    retention_problems(problems, args.retention_days, args.archive_after_days, "flow and WAF logs", "LOG-02")
    if len(waf_bucket_prefix(name)) > MAX_BUCKET_PREFIX:
        problems.add(
            f"the name {name!r} makes the WAF bucket prefix longer than {MAX_BUCKET_PREFIX} characters",
            f"a name of at most {MAX_BUCKET_PREFIX - len(waf_bucket_prefix(''))} characters",
        )
    problems.raise_if_any()


WAF_LOG_ROLE_PATTERN = f"arn:aws:iam::*:role{SERVICE_ROLE_PATH}*-{WAF_LOG_DELIVERY_ROLE}-*"


def _waf_role_condition(organization_id: str, source_account_ids: Sequence[str]) -> dict[str, Any]:
    """The tenant accounts' WAF log delivery roles (baseline roles: the SCPs keep tenant administrators from
    changing them)."""
    return {
        "StringEquals": {
            "aws:PrincipalOrgID": organization_id,
            "aws:PrincipalAccount": sorted(source_account_ids),
        },
        "ArnLike": {"aws:PrincipalArn": WAF_LOG_ROLE_PATTERN},
    }


def _source_condition(source_account_ids: Sequence[str]) -> dict[str, Any]:
    """Confused-deputy guard: only deliveries made for the listed accounts' log sources."""
    return {
        "StringEquals": {"aws:SourceAccount": sorted(source_account_ids)},
        "ArnLike": {"aws:SourceArn": [f"arn:aws:logs:*:{a}:*" for a in sorted(source_account_ids)]},
    }


def log_delivery_key_policy(
    *,
    log_archive_account_id: str,
    organization_id: str,
    source_account_ids: Sequence[str],
    region: str,
    reader_account_ids: Sequence[str] = (),
) -> dict[str, Any]:
    """Key policy: administration by the platform role only, data keys for the delivery service, reading
    through S3 for the readers (ENC-02)."""
    statements: list[dict[str, Any]] = [
        key_administration_statement(log_archive_account_id),
        key_policy_recovery_statement(log_archive_account_id, [break_glass_arn(log_archive_account_id)]),
    ]
    if source_account_ids:
        statements.append(
            {
                "Sid": "LogDeliveryEncrypt",
                "Effect": "Allow",
                "Principal": {"Service": DELIVERY_PRINCIPAL},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": _source_condition(source_account_ids),
            }
        )
        role_condition = _waf_role_condition(organization_id, source_account_ids)
        role_condition["StringEquals"]["kms:ViaService"] = f"s3.{region}.amazonaws.com"
        statements.append(
            {
                "Sid": "WafLogRolesEncrypt",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": "*",
                "Condition": role_condition,
            }
        )
    if reader_account_ids:
        statements.append(log_readers_key_statement(reader_account_ids, f"s3.{region}.amazonaws.com"))
    return policy_document(*statements)


def flow_log_writers(bucket_arn: str, source_account_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The log delivery service checks the bucket and writes for the source accounts, each under its own
    ``AWSLogs/<account>/`` prefix, objects owned by the bucket owner."""
    if not source_account_ids:
        return []
    condition = _source_condition(source_account_ids)
    return [
        {
            "Sid": "LogDeliveryAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": DELIVERY_PRINCIPAL},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": condition,
        },
        {
            "Sid": "LogDeliveryWrite",
            "Effect": "Allow",
            "Principal": {"Service": DELIVERY_PRINCIPAL},
            "Action": "s3:PutObject",
            "Resource": [f"{bucket_arn}/AWSLogs/{a}/*" for a in sorted(source_account_ids)],
            "Condition": {
                **condition,
                "StringEquals": {**condition["StringEquals"], "s3:x-amz-acl": "bucket-owner-full-control"},
            },
        },
    ]


def waf_log_writers(
    bucket_arn: str, organization_id: str, source_account_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """The tenant accounts' WAF log delivery roles list the bucket and write under their own account's
    prefix (the S3 actions Firehose needs:
    https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#cross-account-delivery-s3)."""
    if not source_account_ids:
        return []
    condition = _waf_role_condition(organization_id, source_account_ids)
    return [
        {
            "Sid": "WafLogRolesList",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            "Resource": bucket_arn,
            "Condition": condition,
        },
        {
            "Sid": "WafLogRolesWrite",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
            "Resource": f"{bucket_arn}/AWSLogs/${{aws:PrincipalAccount}}/*",
            "Condition": condition,
        },
    ]


def log_delivery_bucket_policy(
    *, bucket_arn: str, writers: Sequence[dict[str, Any]], reader_account_ids: Sequence[str] = ()
) -> dict[str, Any]:
    """Bucket policy: TLS only, then the ``writers`` statements and the readers."""
    statements: list[dict[str, Any]] = [tls_only_statement(bucket_arn), *writers]
    if reader_account_ids:
        statements.append(log_readers_bucket_statement(bucket_arn, reader_account_ids))
    return policy_document(*statements)


def retention_lifecycle(
    prefix: str,
    bucket: aws.s3.Bucket,
    *,
    retention_days: int,
    archive_after_days: int,
    opts: pulumi.ResourceOptions,
) -> aws.s3.BucketLifecycleConfiguration:
    """``<prefix>-lifecycle``: objects move to Glacier Instant Retrieval after ``archive_after_days`` and
    expire, current and noncurrent versions alike, after ``retention_days``."""
    return aws.s3.BucketLifecycleConfiguration(
        f"{prefix}-lifecycle",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="retention",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                transitions=[
                    aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                        days=archive_after_days, storage_class="GLACIER_IR"
                    )
                ],
                expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=retention_days),
                noncurrent_version_expiration=_NoncurrentExpiration(noncurrent_days=retention_days),
                abort_incomplete_multipart_upload=_AbortMultipart(days_after_initiation=7),
            )
        ],
        opts=opts,
    )


class LogDelivery(pulumi.ComponentResource):
    """The flow-log and WAF-log buckets of the log-archive account; see the module docstring."""

    flow_log_bucket_arn: pulumi.Output[str]
    waf_log_bucket_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str]

    def __init__(self, name: str, args: LogDeliveryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_log_delivery_args(name, args)
        super().__init__("tenant-zone:logarchive:LogDelivery", name, None, opts)
        sources = pulumi.Output.all(*args.source_account_ids)
        organization = pulumi.Output.from_input(args.organization_id)
        readers = pulumi.Output.all(*args.reader_account_ids)
        key_policy = pulumi.Output.all(args.log_archive_account_id, organization, sources, readers).apply(
            lambda v: json.dumps(
                log_delivery_key_policy(
                    log_archive_account_id=v[0],
                    organization_id=v[1],
                    source_account_ids=v[2],
                    region=args.region,
                    reader_account_ids=v[3],
                )
            )
        )
        key = aws.kms.Key(
            f"{name}-key",
            description="Log archive: VPC flow logs and WAF logs of the tenant accounts",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=key_policy,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        aws.kms.Alias(
            f"{name}-key-alias",
            name="alias/tz-log-delivery",
            target_key_id=key.key_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        parties = pulumi.Output.all(organization, sources, readers)
        flow = self._bucket(
            f"{name}-flow-logs",
            None,
            "vpc-flow-logs",
            key,
            parties,
            args,
            lambda arn, _org, ids: flow_log_writers(arn, ids),
        )
        waf = self._bucket(
            f"{name}-waf-logs", waf_bucket_prefix(name), "waf-logs", key, parties, args, waf_log_writers
        )
        self.flow_log_bucket_arn = flow
        self.waf_log_bucket_arn = waf
        self.kms_key_arn = key.arn
        self.register_outputs(
            {
                "flowLogBucketArn": self.flow_log_bucket_arn,
                "wafLogBucketArn": self.waf_log_bucket_arn,
                "kmsKeyArn": self.kms_key_arn,
            }
        )

    def _bucket(
        self,
        prefix: str,
        bucket_prefix: str | None,
        purpose: str,
        key: aws.kms.Key,
        parties: pulumi.Output[list[Any]],
        args: LogDeliveryArgs,
        writers: Callable[[str, str, Sequence[str]], list[dict[str, Any]]],
    ) -> pulumi.Output[str]:
        """One delivery bucket; returns its ARN, which resolves only once the bucket policy exists (the
        delivery service checks the policy when a flow log is created). ``parties`` are the organization,
        the source accounts and the readers; ``writers`` the statements that let the sources write."""
        child = pulumi.ResourceOptions(parent=self)
        bucket = aws.s3.Bucket(
            prefix,
            bucket_prefix=bucket_prefix,
            force_destroy=False,
            tags={**args.tags, "purpose": purpose},
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        hardening = harden_bucket(prefix, bucket, key.arn, child)
        retention_lifecycle(
            prefix,
            bucket,
            retention_days=args.retention_days,
            archive_after_days=args.archive_after_days,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[hardening.versioning]),
        )
        policy = aws.s3.BucketPolicy(
            f"{prefix}-policy",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, parties).apply(
                lambda v: json.dumps(
                    log_delivery_bucket_policy(
                        bucket_arn=v[0], writers=writers(v[0], v[1][0], v[1][1]), reader_account_ids=v[1][2]
                    )
                )
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[hardening.public_access]),
        )
        return pulumi.Output.all(bucket.arn, policy.id).apply(lambda v: str(v[0]))
