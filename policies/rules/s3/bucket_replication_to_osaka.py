"""Tenant data buckets replicate to Osaka; no replica or copy leaves Japan (RES-02).

The destination is judged by the destination bucket's effective region (its own
``region`` input, else its provider's), found through the rule's property
dependency or the literal ARN. A destination that is not a bucket of the stack
cannot be shown to be in Osaka, and fails: the gate does not take a bucket name
on trust. The replica key must live where the replica does (KMS keys are
regional). DynamoDB global-table replicas and Secrets Manager replicas are
copies too, so their regions are checked here as well.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list, dig
from policies.parameters import JAPAN_REGIONS, SECONDARY_REGION
from policies.rules._common.arns import arn_region
from policies.rules._common.s3 import BUCKET_TYPES, REPLICATION, buckets
from policies.rules._data.buckets import (
    destination_bucket,
    is_tenant_data_bucket,
    replication_property,
    replication_rules,
    replication_sources,
    rule_label,
    source_bucket,
)

KMS_KEY_TYPES = ("aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey")
DYNAMODB_TABLE = "aws:dynamodb/table:Table"
SECRET = "aws:secretsmanager/secret:Secret"
JAPAN = " or ".join(JAPAN_REGIONS)
DATA_EXPECTED = f"a BucketReplicationConfig replicating the bucket to a bucket in {SECONDARY_REGION} (Osaka)"
JAPAN_EXPECTED = f"every replication destination in {JAPAN}"


@dataclass(frozen=True)
class _Route:
    source: ResourceView  # the resource that declares the rule
    label: str
    rule: Mapping[str, Any]
    destination: ResourceView | None


def _replica_key_region(stack: StackView, route: _Route) -> tuple[str, str | None] | None:
    """(key reference, its region) when the replica key's region can be told."""
    key = dig(route.rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
    if not isinstance(key, str) or not key:
        return None
    region = arn_region(key)
    if region:
        return key, region
    keys = stack.referenced(route.source, replication_property(route.source), *KMS_KEY_TYPES)
    matching = [k for k in keys if key in (k.props.get("arn"), k.props.get("id"), k.props.get("keyId"))]
    chosen = matching or keys
    if len(chosen) == 1:
        return key, chosen[0].region
    return None


class BucketReplicationToOsaka(StackRule):
    id = "bucket_replication_to_osaka"
    description = (
        "Every tenant data bucket replicates to a bucket in ap-northeast-3 (Osaka), replicas are encrypted"
        " with a key in the destination region, and no S3, DynamoDB or Secrets Manager replica leaves Japan."
    )
    remediation = (
        "Give each data bucket an aws.s3.BucketReplicationConfig whose destination.bucket is the ARN of a"
        " bucket created through the ap-northeast-3 provider (pass bucket.arn, not a string), with"
        " replica_kms_key_id an Osaka key; keep DynamoDB and Secrets Manager replicas in ap-northeast-1 or"
        " ap-northeast-3."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if not any(stack.of_type(*BUCKET_TYPES, REPLICATION, DYNAMODB_TABLE, SECRET)):
            raise NotApplicable(
                "the stack has no S3 bucket, replication configuration, DynamoDB table or secret"
            )
        routes_by_bucket: dict[str, list[_Route]] = {}
        routes: list[_Route] = []
        for source in replication_sources(stack):
            origin = source_bucket(stack, source)
            for index, rule in enumerate(replication_rules(source)):
                route = _Route(source, rule_label(rule, index), rule, destination_bucket(stack, source, rule))
                routes.append(route)
                if origin is not None:
                    routes_by_bucket.setdefault(origin.urn, []).append(route)
        destinations = {r.destination.urn for r in routes if r.destination is not None}
        data_buckets = {b.urn for b in buckets(stack) if is_tenant_data_bucket(b, stack, destinations)}
        data_sources = {
            r.source.urn for urn, rs in routes_by_bucket.items() if urn in data_buckets for r in rs
        }

        for route in routes:
            yield from self._route_failures(stack, route, route.source.urn in data_sources)

        for bucket in buckets(stack):
            if bucket.urn not in data_buckets:
                continue
            bucket_routes = routes_by_bucket.get(bucket.urn, [])
            if not bucket_routes:
                yield Failure(
                    "is a tenant data bucket with no replication configuration", DATA_EXPECTED, bucket.urn
                )
                continue
            regions = sorted({str(r.destination.region) for r in bucket_routes if r.destination is not None})
            # A destination that cannot be resolved, or one outside Japan, is already reported per rule.
            if any(r.destination is None for r in bucket_routes) or not set(regions) <= set(JAPAN_REGIONS):
                continue
            if SECONDARY_REGION not in regions:
                yield Failure(
                    f"is a tenant data bucket replicated only to {', '.join(regions)}",
                    DATA_EXPECTED,
                    bucket.urn,
                )

        yield from self._other_replicas(stack)

    def _route_failures(self, stack: StackView, route: _Route, is_data: bool) -> Iterator[Failure]:
        target = f"{SECONDARY_REGION} (Osaka)" if is_data else JAPAN
        expected = DATA_EXPECTED if is_data else JAPAN_EXPECTED
        arn = dig(route.rule, "destination", "bucket")
        if route.destination is None:
            yield Failure(
                f"{route.label} replicates to"
                f" {arn if isinstance(arn, str) and arn else 'no destination bucket'}, which is not a bucket"
                f" of this stack, so it cannot be shown to be in {target}",
                expected,
                route.source.urn,
            )
            return
        region = route.destination.region
        if region not in JAPAN_REGIONS:
            yield Failure(
                f"{route.label} replicates to bucket {route.destination.name} in"
                f" {region or 'no known region'}",
                expected,
                route.source.urn,
            )
        key = _replica_key_region(stack, route)
        if key is not None and region is not None and key[1] != region:
            yield Failure(
                f"{route.label} encrypts replicas with {key[0]} in {key[1] or 'no known region'} while the"
                f" destination bucket {route.destination.name} is in {region}",
                "destination.encryptionConfiguration.replicaKmsKeyId a KMS key in the destination bucket's"
                " region",
                route.source.urn,
            )

    def _other_replicas(self, stack: StackView) -> Iterator[Failure]:
        for table in stack.of_type(DYNAMODB_TABLE):
            for index, replica in enumerate(as_list(table.props.get("replicas"))):
                region = dig(replica, "regionName")
                if region not in JAPAN_REGIONS:
                    yield Failure(f"replicas[{index}].regionName is {region}", JAPAN_EXPECTED, table.urn)
        for secret in stack.of_type(SECRET):
            for index, replica in enumerate(as_list(secret.props.get("replicas"))):
                region = dig(replica, "region")
                if region not in JAPAN_REGIONS:
                    yield Failure(f"replicas[{index}].region is {region}", JAPAN_EXPECTED, secret.urn)
