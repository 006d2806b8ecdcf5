"""TenantStorage: hardened buckets in Tokyo, hardened replicas in Osaka, replication, malware scanning."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.storage import TenantStorage, TenantStorageArgs, bucket_name
from tests.pulumi_mocks import Registered, Run, run

ACCOUNT = "222222222222"
TOKYO_KEY = f"arn:aws:kms:ap-northeast-1:{ACCOUNT}:key/tokyo"
OSAKA_KEY = f"arn:aws:kms:ap-northeast-3:{ACCOUNT}:key/osaka"
COMPONENT = "tenant-zone:storage:TenantStorage"


def build(name: str = "acme-prod-storage", **changes: Any) -> Run:
    def program() -> TenantStorage:
        tokyo = aws.Provider("tokyo", region="ap-northeast-1")
        osaka = aws.Provider("osaka", region="ap-northeast-3")
        args = TenantStorageArgs(
            tenant="acme-prod",
            account_id=ACCOUNT,
            primary_key_arn=TOKYO_KEY,
            secondary_key_arn=OSAKA_KEY,
            primary_provider=tokyo,
            secondary_provider=osaka,
        )
        return TenantStorage(name, replace(args, **changes))

    return run(program)


@pytest.fixture(scope="module")
def storage() -> Run:
    return build()


def buckets(result: Run) -> dict[str, Registered]:
    return {b.name: b for b in result.of_type("aws:s3/bucket:Bucket")}


def attached(result: Run, type_: str, bucket: Registered) -> Registered:
    (found,) = [r for r in result.of_type(type_) if r.inputs["bucket"] == bucket.outputs["id"]]
    return found


def test_sources_in_tokyo_replicas_in_osaka_with_purpose_tags(storage: Run) -> None:
    found = {
        name: (storage.region_of(b), b.inputs["tags"]["purpose"], b.inputs["bucket"])
        for name, b in buckets(storage).items()
    }
    assert found == {
        "acme-prod-storage-data": ("ap-northeast-1", "data", f"acme-prod-data-{ACCOUNT}-apne1"),
        "acme-prod-storage-uploads": ("ap-northeast-1", "uploads", f"acme-prod-uploads-{ACCOUNT}-apne1"),
        "acme-prod-storage-data-replica": (
            "ap-northeast-3",
            "replica",
            f"acme-prod-data-replica-{ACCOUNT}-apne3",
        ),
        "acme-prod-storage-uploads-replica": (
            "ap-northeast-3",
            "replica",
            f"acme-prod-uploads-replica-{ACCOUNT}-apne3",
        ),
    }
    assert all(b.inputs["forceDestroy"] is False for b in buckets(storage).values())


def test_every_bucket_is_hardened_under_its_regions_key(storage: Run) -> None:
    for bucket in buckets(storage).values():
        region = storage.region_of(bucket)
        key = TOKYO_KEY if region == "ap-northeast-1" else OSAKA_KEY
        sse = attached(
            storage,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            bucket,
        )
        assert sse.inputs["rules"] == [
            {
                "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key},
                "bucketKeyEnabled": True,
            }
        ]
        versioning = attached(storage, "aws:s3/bucketVersioning:BucketVersioning", bucket)
        assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
        block = attached(storage, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)
        assert all(
            block.inputs[k] is True
            for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        )
        ownership = attached(storage, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket)
        assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
        policy = json.loads(attached(storage, "aws:s3/bucketPolicy:BucketPolicy", bucket).inputs["policy"])
        (deny,) = policy["Statement"]
        assert deny["Effect"] == "Deny" and deny["Principal"] == "*" and deny["Action"] == "s3:*"
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert deny["Resource"] == [bucket.outputs["arn"], bucket.outputs["arn"] + "/*"]
        for helper in (sse, versioning, block, ownership):
            assert storage.region_of(helper) == region


def test_replication_rtc_delete_markers_kms_to_the_osaka_key(storage: Run) -> None:
    all_buckets = buckets(storage)
    role = storage.one("aws:iam/role:Role", "acme-prod-storage-replication")
    for purpose in ("data", "uploads"):
        source, replica = (
            all_buckets[f"acme-prod-storage-{purpose}"],
            all_buckets[f"acme-prod-storage-{purpose}-replica"],
        )
        config = attached(storage, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", source)
        assert config.inputs["role"] == role.outputs["arn"]
        (rule,) = config.inputs["rules"]
        assert rule["status"] == "Enabled" and rule["filter"] == {"prefix": ""}
        assert rule["deleteMarkerReplication"] == {"status": "Enabled"}
        assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
        destination = rule["destination"]
        assert destination["bucket"] == replica.outputs["arn"]
        assert destination["encryptionConfiguration"] == {"replicaKmsKeyId": OSAKA_KEY}
        assert destination["replicationTime"] == {"status": "Enabled", "time": {"minutes": 15.0}}
        assert destination["metrics"] == {"status": "Enabled", "eventThreshold": {"minutes": 15.0}}
        versionings = {
            attached(storage, "aws:s3/bucketVersioning:BucketVersioning", b).urn for b in (source, replica)
        }
        assert versionings <= set(config.dependencies)


def test_replication_role_is_least_privilege(storage: Run) -> None:
    role = storage.one("aws:iam/role:Role", "acme-prod-storage-replication")
    assert role.inputs["path"] == "/tenant-zone/service/"
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "s3.amazonaws.com"}
    policy = json.loads(
        storage.one("aws:iam/rolePolicy:RolePolicy", "acme-prod-storage-replication").inputs["policy"]
    )
    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert statements["DecryptSource"]["Resource"] == TOKYO_KEY
    assert statements["DecryptSource"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.ap-northeast-1.amazonaws.com"}
    }
    assert statements["EncryptReplica"]["Resource"] == OSAKA_KEY
    replicas = {
        b.outputs["arn"] + "/*" for b in buckets(storage).values() if b.inputs["tags"]["purpose"] == "replica"
    }
    assert set(statements["WriteReplicas"]["Resource"]) == replicas
    assert all(a != "*" for s in policy["Statement"] for a in s["Action"])


def test_uploads_bucket_is_scanned_for_malware(storage: Run) -> None:
    (plan,) = storage.of_type("aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan")
    uploads = buckets(storage)["acme-prod-storage-uploads"]
    assert plan.inputs["protectedResource"] == {"s3Bucket": {"bucketName": uploads.inputs["bucket"]}}
    assert plan.inputs["actions"] == [{"taggings": [{"status": "ENABLED"}]}]
    role = storage.one("aws:iam/role:Role", "acme-prod-storage-uploads-malware-scan")
    assert plan.inputs["role"] == role.outputs["arn"]
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "malware-protection-plan.guardduty.amazonaws.com"}
    policy = json.loads(
        storage.one("aws:iam/rolePolicy:RolePolicy", "acme-prod-storage-uploads-malware-scan").inputs[
            "policy"
        ]
    )
    scan = next(s for s in policy["Statement"] if s["Sid"] == "ScanAndTagObjects")
    assert scan["Resource"] == uploads.outputs["arn"] + "/*"
    assert storage.region_of(plan) == "ap-northeast-1"


def test_children_are_parented_and_named_after_the_component(storage: Run) -> None:
    component = storage.one(COMPONENT)
    children = [
        r for r in storage.resources if r.urn != component.urn and not r.type.startswith("pulumi:providers:")
    ]
    assert all(r.parent == component.urn and r.name.startswith("acme-prod-storage-") for r in children)
    assert len(children) == 4 * 6 + 2 + 2 + 3  # buckets with 5 helpers each, role + policy, 2 configs, scan


def test_only_the_data_bucket_when_asked() -> None:
    result = build(purposes=("data",), malware_scan_purposes=())
    assert set(buckets(result)) == {"acme-prod-storage-data", "acme-prod-storage-data-replica"}
    assert result.of_type("aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan") == []


def test_bucket_names_fit_s3_limits() -> None:
    assert len(bucket_name("a" * 20 + "-staging", "uploads-replica", ACCOUNT, "ap-northeast-3")) == 63


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"malware_scan_purposes": ()},
            (
                "TenantStorage s: the uploads bucket is left out of malware scanning; expected"
                " malware_scan_purposes to include 'uploads'. [LOG-04]"
            ),
        ),
        (
            {"secondary_region": "us-east-1"},
            (
                "TenantStorage s: secondary_region 'us-east-1' is outside Japan; expected ap-northeast-1 or"
                " ap-northeast-3. [RES-01]"
            ),
        ),
        (
            {"secondary_region": "ap-northeast-1"},
            (
                "TenantStorage s: replicas would go to ap-northeast-1 from ap-northeast-1; expected replicas"
                " in ap-northeast-3, the source buckets in ap-northeast-1. [RES-02]"
            ),
        ),
        (
            {"purposes": ("data", "logs")},
            (
                "TenantStorage s: purposes ['data', 'logs'] are not distinct tenant bucket purposes; expected"
                " a subset of data, uploads.\nTenantStorage s: malware_scan_purposes ['uploads'] name no"
                " bucket; expected a subset of ['data', 'logs']."
            ),
        ),
        (
            {"tenant": "a" * 30},
            (
                f"TenantStorage s: bucket names such as '{'a' * 30}-uploads-replica-000000000000-apne3'"
                " exceed 63 characters; expected a shorter tenant name (at most 28 characters)."
            ),
        ),
    ],
)
def test_bad_inputs_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(pulumi.RunError) as caught:
        build(name="s", **changes)
    assert str(caught.value) == message


def test_sources_must_stay_in_tokyo() -> None:
    with pytest.raises(pulumi.RunError) as caught:
        build(name="s", primary_region="ap-northeast-3")
    assert (
        str(caught.value)
        == "TenantStorage s: replicas would go to ap-northeast-3 from ap-northeast-3; expected replicas in"
        " ap-northeast-3, the source buckets in ap-northeast-1. [RES-02]"
    )
