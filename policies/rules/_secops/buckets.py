"""S3 buckets and the split-out resources that lock and expire their objects (pulumi_aws v7 and aliases)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from policies.framework import ResourceView, StackView, as_list, truthy
from policies.rules._secops.common import number, show_number

BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
OBJECT_LOCK_TYPES = (
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
)
LIFECYCLE_TYPES = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)


def attached_to(stack: StackView, types: Iterable[str]) -> dict[str, list[ResourceView]]:
    """Bucket URN -> the resources of ``types`` whose ``bucket`` points at it (one pass)."""
    by_bucket: dict[str, list[ResourceView]] = {}
    for resource in stack.of_type(*types):
        for bucket in stack.referenced(resource, "bucket", *BUCKET_TYPES):
            by_bucket.setdefault(bucket.urn, []).append(resource)
    return by_bucket


def _rule_label(index: int, rule: Mapping[str, Any]) -> str:
    rule_id = rule.get("id")
    return f"rules[{index}] (id {rule_id})" if isinstance(rule_id, str) and rule_id else f"rules[{index}]"


def short_expirations(
    bucket: ResourceView, lifecycles: list[ResourceView], min_days: int
) -> Iterator[tuple[ResourceView, str, str]]:
    """(resource, where, value) for every enabled lifecycle rule that deletes objects before ``min_days``.

    Covers current-version expiry (days, or a fixed date, which removes objects of any age) and
    noncurrent-version expiry, in the split-out configuration and the bucket's inline rules.
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
            yield owner, f"{label} {block_name}.{days_key}", show_number(days)
        date = item.get("date")
        if isinstance(date, str) and date:
            yield owner, f"{label} {block_name}.date", date
