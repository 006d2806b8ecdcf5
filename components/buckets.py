"""The hardening every bucket of the platform gets, whoever owns it (ENC-01, ENC-03).

SSE-KMS under a customer-managed key with the bucket key on (SSE-S3 only where AWS accepts nothing else),
versioning, all four public access blocks and BucketOwnerEnforced ownership (no ACLs). Each bucket's policy is
its owner's business, but it must start with the TLS-only deny (:func:`tls_only_statement`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.policy_documents import deny_insecure_transport, policy_document
from policies.aws_facts import ELB_ACCESS_LOG_SSE_ALGORITHM

_SseDefault = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs


def tls_only_statement(bucket_arn: str) -> dict[str, Any]:
    return deny_insecure_transport("s3:*", [bucket_arn, f"{bucket_arn}/*"])


def tls_only_policy(bucket_arn: str) -> str:
    """A bucket policy that only denies requests without TLS."""
    return json.dumps(policy_document(tls_only_statement(bucket_arn)))


@dataclass(frozen=True)
class BucketHardening:
    """What later resources of the bucket must wait for: replication needs versioning, policies the access
    block."""

    versioning: aws.s3.BucketVersioning
    public_access: aws.s3.BucketPublicAccessBlock


def harden_bucket(
    prefix: str, bucket: aws.s3.Bucket, key_arn: pulumi.Input[str] | None, opts: pulumi.ResourceOptions
) -> BucketHardening:
    """Declare the hardening of ``bucket`` as ``<prefix>-encryption``, ``-versioning``, ``-public-access``,
    ``-ownership``.

    ``key_arn`` None means SSE-S3, only for a destination that an AWS service writes to with SSE-S3 alone
    (ALB access logs: ``policies.aws_facts.ELB_ACCESS_LOG_SSE_ALGORITHM``); every other bucket uses SSE-KMS
    under a customer managed key with the S3 Bucket Key (ENC-01)."""
    by_default = (
        _SseDefault(sse_algorithm=ELB_ACCESS_LOG_SSE_ALGORITHM)
        if key_arn is None
        else _SseDefault(sse_algorithm="aws:kms", kms_master_key_id=key_arn)
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{prefix}-encryption",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=by_default, bucket_key_enabled=key_arn is not None
            )
        ],
        opts=opts,
    )
    versioning = aws.s3.BucketVersioning(
        f"{prefix}-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        opts=opts,
    )
    public_access = aws.s3.BucketPublicAccessBlock(
        f"{prefix}-public-access",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=opts,
    )
    aws.s3.BucketOwnershipControls(
        f"{prefix}-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=opts,
    )
    return BucketHardening(versioning=versioning, public_access=public_access)
