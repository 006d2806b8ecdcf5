"""The Terraform plan checkov reads: addresses, values in Terraform names, the effective region,
references between resources in `configuration`, unknowns left out, secrets masked, unmapped types reported.
"""

from __future__ import annotations

from typing import Any

from tenantctl.export import export, from_synth
from tenantctl.export.sources import MASK, UNKNOWN

PREFIX = "urn:pulumi:dev::team::"


def record(type_: str, name: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "urn": f"{PREFIX}{type_}::{name}",
        "type": type_,
        "name": name,
        "custom": True,
        "region": extra.pop("region", "ap-northeast-1"),
        "inputs": inputs,
        "propertyDependencies": extra.pop("deps", {}),
        "id": extra.pop("id", name),
        "outputs": extra.pop("outputs", {}),
        **extra,
    }


BUCKET = record(
    "aws:s3/bucket:Bucket",
    "data",
    {"bucket": "data", "tags": {"Owner": "x"}},
    outputs={"arn": "arn:aws:s3:::data"},
)
KEY = record(
    "aws:kms/key:Key", "key", {"description": "k"}, outputs={"arn": "arn:aws:kms:ap-northeast-1:1:key/k"}
)
PAB = record(
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "data-pab",
    {"bucket": "data", "blockPublicAcls": True},
    deps={"bucket": [BUCKET["urn"]]},
)
QUEUE = record(
    "aws:sqs/queue:Queue",
    "jobs",
    {"name": "jobs", "kmsMasterKeyId": "arn:aws:kms:ap-northeast-1:1:key/k", "policy": UNKNOWN},
    region="ap-northeast-3",
    deps={"kmsMasterKeyId": [KEY["urn"]]},
)
ROLE = record("aws:iam/role:Role", "app", {"assumeRolePolicy": "{}", "description": MASK}, region=None)
COMPONENT = {**record("team:index:Service", "svc", {}), "custom": False}
REFERENCE = record("pulumi:pulumi:StackReference", "org", {"name": "org"})
NEW_TYPE = record("aws:s3/vectorsVectorBucket:VectorsVectorBucket", "vectors", {})
SYNTH = {
    "project": "team",
    "stack": "dev",
    "resources": [BUCKET, KEY, PAB, QUEUE, ROLE, COMPONENT, REFERENCE, NEW_TYPE],
    "outputs": {},
}


def planned(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in plan["planned_values"]["root_module"]["resources"]}


def configured(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}


def test_plan_has_what_checkov_needs() -> None:
    plan = export(from_synth(SYNTH)).plan
    assert plan["terraform_version"]
    assert plan["format_version"] == "1.2"
    resource = planned(plan)["aws_s3_bucket.data"]
    assert (resource["mode"], resource["type"], resource["name"]) == ("managed", "aws_s3_bucket", "data")
    assert resource["values"] == {"bucket": "data", "tags": {"Owner": "x"}, "region": "ap-northeast-1"}
    assert [c["address"] for c in plan["resource_changes"]] == list(planned(plan))


def test_each_address_comes_back_to_its_urn() -> None:
    result = export(from_synth(SYNTH))
    assert result.urns == {
        "aws_s3_bucket.data": BUCKET["urn"],
        "aws_kms_key.key": KEY["urn"],
        "aws_s3_bucket_public_access_block.data-pab": PAB["urn"],
        "aws_sqs_queue.jobs": QUEUE["urn"],
        "aws_iam_role.app": ROLE["urn"],
    }


def test_effective_region_only_where_terraform_has_one() -> None:
    values = {a: r["values"] for a, r in planned(export(from_synth(SYNTH)).plan).items()}
    assert values["aws_sqs_queue.jobs"]["region"] == "ap-northeast-3"
    assert "region" not in values["aws_iam_role.app"]


def test_references_for_connected_checks() -> None:
    config = configured(export(from_synth(SYNTH)).plan)
    assert config["aws_s3_bucket_public_access_block.data-pab"]["expressions"] == {
        "bucket": {"references": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]}
    }
    assert config["aws_sqs_queue.jobs"]["expressions"] == {
        "kms_master_key_id": {"references": ["aws_kms_key.key.arn", "aws_kms_key.key"]}
    }


def test_unknowns_are_left_out_and_secrets_stay_masked() -> None:
    values = {a: r["values"] for a, r in planned(export(from_synth(SYNTH)).plan).items()}
    assert "policy" not in values["aws_sqs_queue.jobs"]
    assert values["aws_iam_role.app"]["description"] == MASK


def test_what_cannot_be_exported_is_reported() -> None:
    result = export(from_synth(SYNTH))
    assert [(u.urn, u.reason) for u in result.unmapped] == [
        (NEW_TYPE["urn"], "no Terraform AWS resource of that name in the reference provider version"),
        (REFERENCE["urn"], "not an AWS resource (checkov's AWS checks do not apply)"),
    ]
    # components are not resources of any provider: neither exported nor reported
    assert all(u.type != "team:index:Service" for u in result.unmapped)


def test_names_that_terraform_refuses_are_made_unique_addresses() -> None:
    first = record("aws:s3/bucket:Bucket", "9 data.v1", {"bucket": "a"})
    second = record("aws:s3/bucket:Bucket", "9 data_v1", {"bucket": "b"})
    result = export(from_synth({**SYNTH, "resources": [first, second]}))
    assert sorted(result.urns) == ["aws_s3_bucket._9_data_v1", "aws_s3_bucket._9_data_v1_2"]
