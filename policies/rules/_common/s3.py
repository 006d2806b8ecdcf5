"""S3 buckets and the split-out resources that configure them (pulumi_aws v7 and its aliases).

v7 configures a bucket through separate resources pointing at it with ``bucket``
(``BucketVersioning``, ``BucketServerSideEncryptionConfiguration``, ...), while
the ``Bucket`` resource still accepts the deprecated inline blocks; the
deprecated ``BucketV2`` and ``*V2`` configuration classes are still shipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import ResourceView, StackView, as_list, truthy
from policies.rules._common.values import number, shown_number

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
BUCKET_TYPES = (BUCKET, BUCKET_V2)
SSE_TYPES = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
VERSIONING_TYPES = (
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
)
LIFECYCLE_TYPES = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
OBJECT_LOCK_TYPES = (
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
)
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ACL_TYPES = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"


def buckets(stack: StackView) -> list[ResourceView]:
    return list(stack.of_type(*BUCKET_TYPES))


def attached(stack: StackView, *types: str) -> dict[str, list[ResourceView]]:
    """Bucket URN -> the resources of ``types`` whose ``bucket`` points at it (one pass over them)."""
    by_bucket: dict[str, list[ResourceView]] = {}
    for resource in stack.of_type(*types):
        for target in stack.referenced(resource, "bucket", *BUCKET_TYPES):
            by_bucket.setdefault(target.urn, []).append(resource)
    return by_bucket


def bucket_name(bucket: ResourceView) -> str | None:
    """The physical name when the program (or the synth's outputs) tell it."""
    for key in ("bucket", "id"):
        value = bucket.props.get(key)
        if isinstance(value, str) and value:
            return value
    arn = bucket.props.get("arn")
    if isinstance(arn, str) and arn.startswith("arn:") and ":::" in arn:
        return arn.split(":::", 1)[1]
    return None


def _rule_label(index: int, rule: Mapping[str, Any]) -> str:
    rule_id = rule.get("id")
    return f"rules[{index}] (id {rule_id})" if isinstance(rule_id, str) and rule_id else f"rules[{index}]"


def short_expirations(
    bucket: ResourceView, lifecycles: list[ResourceView], min_days: int
) -> Iterator[tuple[ResourceView, str, str]]:
    """(resource, where, value) for every enabled lifecycle rule that deletes objects before ``min_days``.

    Covers current-version expiry (days, or a fixed date, which removes objects of any age) and
    noncurrent-version expiry, in the split-out configurations and the bucket's inline rules. A rule
    without ``status`` counts as enabled: the provider requires the field, so only raw dicts omit it.
    """
    for lifecycle in lifecycles:
        for index, rule in enumerate(as_list(lifecycle.props.get("rules"))):
            if not isinstance(rule, Mapping) or str(rule.get("status", "Enabled")).lower() != "enabled":
                continue
            label = _rule_label(index, rule)
            yield from _expiry(lifecycle, label, rule.get("expiration"), "days", "expiration", min_days)
            yield from _expiry(
                lifecycle,
                label,
                rule.get("noncurrentVersionExpiration"),
                "noncurrentDays",
                "noncurrentVersionExpiration",
                min_days,
            )
    for index, rule in enumerate(as_list(bucket.props.get("lifecycleRules"))):
        if not isinstance(rule, Mapping) or not truthy(rule.get("enabled", True)):
            continue
        label = f"lifecycleRules[{index}]"
        for block in ("expiration", "expirations"):
            yield from _expiry(bucket, label, rule.get(block), "days", block, min_days)
        for block in ("noncurrentVersionExpiration", "noncurrentVersionExpirations"):
            yield from _expiry(bucket, label, rule.get(block), "days", block, min_days)


def _expiry(
    owner: ResourceView, label: str, block: Any, days_key: str, block_name: str, min_days: int
) -> Iterator[tuple[ResourceView, str, str]]:
    for item in as_list(block):  # a single block arrives as an object or a one-element list
        if not isinstance(item, Mapping):
            continue
        days = number(item.get(days_key))
        if days is not None and days < min_days:
            yield owner, f"{label} {block_name}.{days_key}", shown_number(days)
        date = item.get("date")
        if isinstance(date, str) and date:
            yield owner, f"{label} {block_name}.date", date
