"""AlbAccessLogs: the bucket, one per Region, in the log-archive account that the tenants' load balancers
write access logs to (LOG-06).

ALB access logs support no server-side encryption but SSE-S3, and ELB writes only to a bucket of the load
balancer's Region; both facts, with the Region's ELB log delivery account, are in
``policies.aws_facts.ELB_LOG_DELIVERY_ACCOUNTS``. Declared through the log-archive provider of each Region,
after the tenant accounts exist (the bucket policy names them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.buckets import harden_bucket, tls_only_statement
from components.errors import InputProblems
from components.log_archive import log_readers_bucket_statement
from components.log_delivery import retention_lifecycle, retention_problems
from components.policy_documents import policy_document
from policies.aws_facts import ELB_LOG_DELIVERY_ACCOUNTS
from policies.parameters import MIN_LOG_RETENTION_DAYS, PRIMARY_REGION

_KIND = "AlbAccessLogs"
# An S3 key prefix; the tenant stacks' names fit it.
_ACCESS_LOG_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,99}\Z")


@dataclass
class AlbAccessLogsArgs:
    """Inputs of one Region's ALB access-log bucket.

    ``sources`` maps each access-log prefix to the account whose load balancers write under it (a tenant
    stack's name to its account): the bucket accepts only ``<prefix>/AWSLogs/<that account>/``.
    ``reader_account_ids`` may read the logs (the security account). ``retention_days`` is how long objects
    are kept, never less than LOG-02's minimum (the year LOG-06 asks of access logs)."""

    sources: Mapping[str, pulumi.Input[str]]
    region: str = PRIMARY_REGION
    retention_days: int = MIN_LOG_RETENTION_DAYS
    archive_after_days: int = 90
    reader_account_ids: Sequence[pulumi.Input[str]] = ()
    tags: dict[str, str] = field(default_factory=dict)


def validate_alb_access_logs_args(name: str, args: AlbAccessLogsArgs) -> None:
    problems = InputProblems(_KIND, name)
    retention_problems(problems, args.retention_days, args.archive_after_days, "ALB access logs", "LOG-06")
    if args.region not in ELB_LOG_DELIVERY_ACCOUNTS:
        problems.add(
            f"region = {args.region!r} has no Elastic Load Balancing log delivery account here",
            f"one of {', '.join(sorted(ELB_LOG_DELIVERY_ACCOUNTS))}",
            "RES-01",
        )
    for prefix in args.sources:
        if not _ACCESS_LOG_PREFIX.match(prefix) or "AWSLogs" in prefix:
            problems.add(
                f"sources key {prefix!r} is not an access-log prefix ELB accepts",
                "a prefix of letters, digits and hyphens without 'AWSLogs' (the tenant stack's name)",
            )
    problems.raise_if_any()


def alb_access_log_bucket_policy(
    *, bucket_arn: str, region: str, sources: Mapping[str, str], reader_account_ids: Sequence[str] = ()
) -> dict[str, Any]:
    """Bucket policy: TLS only; the Region's Elastic Load Balancing account writes under each source's own
    ``<prefix>/AWSLogs/<account>/`` (ELB itself puts the load balancer owner's account there and refuses a
    prefix containing ``AWSLogs``, so no other account's load balancer can write here); no one else puts
    objects, so the SSE-S3 that ELB requires protects access logs only; the readers read."""
    elb_account = ELB_LOG_DELIVERY_ACCOUNTS[region]
    statements: list[dict[str, Any]] = [tls_only_statement(bucket_arn)]
    if sources:
        statements.append(
            {
                "Sid": "ElbAccessLogDelivery",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{elb_account}:root"},
                "Action": "s3:PutObject",
                "Resource": sorted(f"{bucket_arn}/{p}/AWSLogs/{a}/*" for p, a in sources.items()),
            }
        )
    statements.append(
        {
            "Sid": "OnlyElbAccessLogs",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": elb_account}},
        }
    )
    if reader_account_ids:
        statements.append(log_readers_bucket_statement(bucket_arn, reader_account_ids))
    return policy_document(*statements)


class AlbAccessLogs(pulumi.ComponentResource):
    """The access-log bucket of the tenants' load balancers in one Region, in the log archive (LOG-06).

    Encrypted with SSE-S3, not the archive's customer managed key: ALB access logs support no other
    server-side encryption (``policies.aws_facts.ELB_LOG_DELIVERY_ACCOUNTS`` cites the page). The ENC-01
    finding this raises is accepted for exactly these buckets in ``waivers.yaml``. The policy admits no
    writer but the Region's ELB log delivery, so nothing but access logs is kept under the weaker encryption.
    Otherwise hardened like the other archive buckets: versioning, the public access blocks, owner-enforced
    ownership, a TLS-only policy, and a lifecycle that keeps objects at least LOG-02's minimum retention
    (tagged purpose ``logs``, so that the retention rule judges it)."""

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: AlbAccessLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_alb_access_logs_args(name, args)
        super().__init__("tenant-zone:logarchive:AlbAccessLogs", name, None, opts)
        prefixes = sorted(args.sources)
        accounts = pulumi.Output.all(*(args.sources[p] for p in prefixes))
        readers = pulumi.Output.all(*args.reader_account_ids)
        child = pulumi.ResourceOptions(parent=self)
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            force_destroy=False,
            tags={**args.tags, "purpose": "logs"},
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        hardening = harden_bucket(f"{name}-bucket", bucket, None, child)
        retention_lifecycle(
            f"{name}-bucket",
            bucket,
            retention_days=args.retention_days,
            archive_after_days=args.archive_after_days,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[hardening.versioning]),
        )
        policy = aws.s3.BucketPolicy(
            f"{name}-bucket-policy",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, accounts, readers).apply(
                lambda v: json.dumps(
                    alb_access_log_bucket_policy(
                        bucket_arn=v[0],
                        region=args.region,
                        sources=dict(zip(prefixes, v[1], strict=True)),
                        reader_account_ids=v[2],
                    )
                )
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[hardening.public_access]),
        )
        # ELB writes a test object when access logs are enabled: the name resolves once the policy exists.
        self.bucket_name = pulumi.Output.all(bucket.bucket, policy.id).apply(lambda v: str(v[0]))
        self.bucket_arn = bucket.arn
        self.register_outputs({"bucketName": self.bucket_name, "bucketArn": self.bucket_arn})
