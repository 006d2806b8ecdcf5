"""S3 replication and tenant data buckets, read in one shape whichever resource declares them (pulumi_aws v7).

v7 configures a bucket through separate resources pointing at it with ``bucket``
(``BucketVersioning``, ``BucketServerSideEncryptionConfiguration``, ...), while
the ``Bucket`` resource still accepts the deprecated inline blocks
(``versioning``, ``serverSideEncryptionConfiguration``, ``replicationConfiguration``,
``policy``, ``acl``); the deprecated ``BucketV2`` writes the same blocks as
lists (``versionings``, ``serverSideEncryptionConfigurations``, ...). Rules
accept all three shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from policies.framework import ResourceView, StackView, as_list, dig, truthy
from policies.rules._common.s3 import BUCKET_TYPES, BUCKET_V2, REPLICATION, bucket_name, buckets
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.tags import tag

# Buckets that hold no tenant data of their own (the conventions' `purpose` tag).
NON_DATA_PURPOSES = frozenset({"logs", "replica", "log-archive"})


def bucket_arn(bucket: ResourceView) -> str | None:
    # The name first: in a preview a new bucket's `arn` output is unknown, its (auto)name is not.
    name = bucket_name(bucket)
    if name:
        return f"arn:aws:s3:::{name}"
    arn = bucket.props.get("arn")
    return arn if isinstance(arn, str) and arn else None


def purpose(bucket: ResourceView) -> str | None:
    return tag(bucket, "purpose")


def inline_block(bucket: ResourceView, v7_key: str, v2_key: str) -> Any:
    """An inline configuration block of ``Bucket`` (object) or ``BucketV2`` (one-element list)."""
    if bucket.type == BUCKET_V2:
        items = as_list(bucket.props.get(v2_key))
        return items[0] if items else None
    return bucket.props.get(v7_key)


# --- replication: one shape for BucketReplicationConfig and the inline blocks ---------------


def replication_rules(resource: ResourceView) -> list[Mapping[str, Any]]:
    """Replication rules in the ``BucketReplicationConfig`` shape, whichever resource declares them.

    The inline ``replicationConfiguration`` (Bucket) and ``replicationConfigurations``
    (BucketV2) blocks use older names (``deleteMarkerReplicationStatus``,
    ``replicaKmsKeyId``, ``sseKmsEncryptedObjects.enabled``, ``accountId``); they are
    mapped onto the current ones so each rule has one reading.
    """
    if resource.type == REPLICATION:
        return [r for r in as_list(resource.props.get("rules")) if isinstance(r, Mapping)]
    block = inline_block(resource, "replicationConfiguration", "replicationConfigurations")
    if not isinstance(block, Mapping):
        return []
    return [_from_inline(rule) for rule in as_list(block.get("rules")) if isinstance(rule, Mapping)]


def _first(rule: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = rule.get(key)
        if value is not None:
            items = as_list(value)
            return items[0] if items else None
    return None


def _from_inline(rule: Mapping[str, Any]) -> dict[str, Any]:
    destination = _first(rule, "destination", "destinations") or {}
    criteria = _first(rule, "sourceSelectionCriteria", "sourceSelectionCriterias") or {}
    sse_objects = _first(criteria, "sseKmsEncryptedObjects") if isinstance(criteria, Mapping) else None
    replication_time = _first(destination, "replicationTime", "replicationTimes") if destination else None
    metrics = _first(destination, "metrics") if destination else None
    marker = rule.get("deleteMarkerReplicationStatus")
    return {
        "id": rule.get("id"),
        "status": rule.get("status"),
        "deleteMarkerReplication": {"status": marker} if marker is not None else None,
        "sourceSelectionCriteria": {
            "sseKmsEncryptedObjects": {"status": "Enabled" if _enabled(sse_objects) else "Disabled"}
            if sse_objects is not None
            else None
        },
        "destination": {
            "bucket": dig(destination, "bucket"),
            "account": dig(destination, "accountId"),
            "encryptionConfiguration": {"replicaKmsKeyId": dig(destination, "replicaKmsKeyId")},
            "replicationTime": {
                "status": dig(replication_time, "status"),
                "time": {"minutes": dig(replication_time, "minutes")},
            }
            if replication_time is not None
            else None,
            "metrics": {
                "status": dig(metrics, "status"),
                "eventThreshold": {"minutes": dig(metrics, "minutes")},
            }
            if metrics is not None
            else None,
        },
    }


def _enabled(block: Any) -> bool:
    return isinstance(block, Mapping) and truthy(block.get("enabled"))


def has_inline_replication(bucket: ResourceView) -> bool:
    return inline_block(bucket, "replicationConfiguration", "replicationConfigurations") is not None


def replication_sources(stack: StackView) -> list[ResourceView]:
    """Every resource that declares replication: BucketReplicationConfig and buckets with inline rules."""
    found = list(stack.of_type(REPLICATION))
    found.extend(b for b in stack.of_type(*BUCKET_TYPES) if has_inline_replication(b))
    return found


def rule_label(rule: Mapping[str, Any], index: int) -> str:
    rule_id = rule.get("id")
    return f"rule {rule_id!r}" if isinstance(rule_id, str) and rule_id else f"rule #{index + 1}"


def resolve_bucket_arn(stack: StackView, arn: Any, candidates: Iterable[ResourceView]) -> ResourceView | None:
    """The bucket of this stack a destination ARN names (by ARN, else by the name inside it)."""
    if not isinstance(arn, str) or not arn:
        return None
    name = arn.split(":::", 1)[1] if arn.startswith("arn:") and ":::" in arn else arn
    for bucket in candidates:
        if bucket_name(bucket) == name:
            return bucket
    for bucket in candidates:
        if bucket.props.get("arn") == arn:
            return bucket
    return None


def replication_property(resource: ResourceView) -> str:
    """The input whose property dependencies carry a replication source's destinations."""
    if resource.type == REPLICATION:
        return "rules"
    return "replicationConfigurations" if resource.type == BUCKET_V2 else "replicationConfiguration"


def destination_bucket(
    stack: StackView, source: ResourceView, rule: Mapping[str, Any]
) -> ResourceView | None:
    """The bucket of this stack a replication rule writes to.

    By the destination ARN first (a literal name, or the ARN the bucket reports);
    else, when the ARN came from an output, by the one bucket among the rules'
    property dependencies that is not the source.
    """
    arn = dig(rule, "destination", "bucket")
    all_buckets = buckets(stack)
    found = resolve_bucket_arn(stack, arn, all_buckets)
    if found is not None:
        return found
    source_urns = {source.urn, *(t.urn for t in stack.referenced(source, "bucket", *BUCKET_TYPES))}
    candidates = [
        b
        for b in stack.referenced(source, replication_property(source), *BUCKET_TYPES)
        if b.urn not in source_urns
    ]
    return candidates[0] if len(candidates) == 1 else None


def source_bucket(stack: StackView, source: ResourceView) -> ResourceView | None:
    """The bucket a replication source replicates from (itself for inline rules)."""
    if source.type in BUCKET_TYPES:
        return source
    targets = stack.referenced(source, "bucket", *BUCKET_TYPES)
    return targets[0] if targets else None


def is_tenant_data_bucket(bucket: ResourceView, stack: StackView, destinations: set[str]) -> bool:
    """Conventions: a bucket of a tenant stack that is not purpose logs/replica/log-archive and is
    not itself a replication destination; a raw bucket without a purpose tag counts as data."""
    if is_org_stack(stack.name):
        return False
    return purpose(bucket) not in NON_DATA_PURPOSES and bucket.urn not in destinations
