"""Compliant baselines for the data-protection rule tests (S3, KMS, encryption at rest, tenancy).

Each factory returns the smallest resource that passes its rules; a test
changes one field and checks the exact message.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

from policies.framework import ProviderView, ResourceView
from tests.rulekit import STACK, resource, urn

ACCOUNT = "111111111111"
OTHER_ACCOUNT = "222222222222"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole"
KEY_ARN = f"arn:aws:kms:ap-northeast-1:{ACCOUNT}:key/0b7a1f7e-0000-4000-8000-000000000001"
OSAKA_KEY_ARN = f"arn:aws:kms:ap-northeast-3:{ACCOUNT}:key/0b7a1f7e-0000-4000-8000-000000000003"
OTHER_KEY_ARN = f"arn:aws:kms:ap-northeast-1:{OTHER_ACCOUNT}:key/0b7a1f7e-0000-4000-8000-000000000002"

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
VERSIONING_V2 = "aws:s3/bucketVersioningV2:BucketVersioningV2"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ACL = "aws:s3/bucketAcl:BucketAcl"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
KEY = "aws:kms/key:Key"


def tenant_provider(
    region: str = "ap-northeast-1", *, account: str = ACCOUNT, name: str | None = None, stack: str = STACK
) -> ProviderView:
    """An explicit provider assuming into ``account``, as the SDK sends it (nested inputs JSON-encoded)."""
    name = name or ("tokyo" if region == "ap-northeast-1" else "osaka")
    props = {
        "region": region,
        "assumeRoles": json.dumps(
            [{"roleArn": f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"}]
        ),
    }
    return ProviderView("pulumi:providers:aws", urn("pulumi:providers:aws", name, stack), name, props)


def on(view: ResourceView, provider: ProviderView | None) -> ResourceView:
    return dataclasses.replace(view, provider=provider)


def tenant_resource(
    resource_type: str,
    name: str,
    props: Mapping[str, Any] | None = None,
    *,
    region: str = "ap-northeast-1",
    account: str = ACCOUNT,
    stack: str = STACK,
    prop_deps: Mapping[str, Sequence[str]] | None = None,
    preview: bool = False,
) -> ResourceView:
    """A resource on the tenant provider of ``region`` (assuming into ``account``)."""
    view = resource(
        resource_type, name, props, region=region, stack=stack, prop_deps=prop_deps, preview=preview
    )
    return on(view, tenant_provider(region, account=account, stack=stack))


def bucket_urn(name: str, stack: str = STACK, resource_type: str = BUCKET) -> str:
    return urn(resource_type, name, stack)


def tls_policy_json(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def sse_rule(key: str | None = KEY_ARN, algorithm: str = "aws:kms", bucket_key: Any = True) -> dict[str, Any]:
    default: dict[str, Any] = {"sseAlgorithm": algorithm}
    if key is not None:
        default["kmsMasterKeyId"] = key
    return {"applyServerSideEncryptionByDefault": default, "bucketKeyEnabled": bucket_key}


def replication_rule(
    destination_arn: str = "arn:aws:s3:::acme-prod-replica", key: str | None = OSAKA_KEY_ARN, **overrides: Any
) -> dict[str, Any]:
    destination: dict[str, Any] = {
        "bucket": destination_arn,
        "storageClass": "STANDARD",
        "replicationTime": {"status": "Enabled", "time": {"minutes": 15.0}},
        "metrics": {"status": "Enabled", "eventThreshold": {"minutes": 15.0}},
    }
    if key is not None:
        destination["encryptionConfiguration"] = {"replicaKmsKeyId": key}
    rule: dict[str, Any] = {
        "id": "to-osaka",
        "status": "Enabled",
        "filter": {},
        "deleteMarkerReplication": {"status": "Enabled"},
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Enabled"}},
        "destination": destination,
    }
    rule.update(overrides)
    return rule


def bucket_set(
    name: str = "data",
    *,
    physical: str | None = None,
    purpose: str | None = "data",
    region: str = "ap-northeast-1",
    stack: str = STACK,
) -> list[ResourceView]:
    """A bucket with every split-out resource our rules expect, linked by property dependencies."""
    physical = physical or f"{stack}-{name}"
    b_urn = bucket_urn(name, stack)
    tags = {"purpose": purpose} if purpose else {}
    deps = {"bucket": [b_urn]}

    def child(resource_type: str, part: str, props: dict[str, Any]) -> ResourceView:
        return tenant_resource(
            resource_type,
            f"{name}-{part}",
            {"bucket": physical, **props},
            region=region,
            stack=stack,
            prop_deps=deps,
        )

    return [
        tenant_resource(BUCKET, name, {"bucket": physical, "tags": tags}, region=region, stack=stack),
        child(SSE, "sse", {"rules": [sse_rule()]}),
        child(VERSIONING, "versioning", {"versioningConfiguration": {"status": "Enabled"}}),
        child(
            PAB,
            "pab",
            {
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
        ),
        child(POLICY, "policy", {"policy": tls_policy_json(physical)}),
    ]


def replicated_pair(stack: str = STACK) -> list[ResourceView]:
    """A data bucket in Tokyo replicating to a replica bucket in Osaka, both fully configured."""
    source = bucket_set("data", stack=stack)
    replica = bucket_set("replica", purpose="replica", region="ap-northeast-3", stack=stack)
    replica_urn = bucket_urn("replica", stack)
    config = tenant_resource(
        REPLICATION,
        "data-replication",
        {
            "bucket": f"{stack}-data",
            "role": f"arn:aws:iam::{ACCOUNT}:role/replication",
            "rules": [replication_rule(f"arn:aws:s3:::{stack}-replica")],
        },
        stack=stack,
        prop_deps={"bucket": [bucket_urn("data", stack)], "rules": [replica_urn]},
    )
    return [*source, *replica, config]
