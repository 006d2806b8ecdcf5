"""The synth JSON of a small raw program: shape, URNs, providers, regions, dependencies, outputs."""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tenantctl.synth.engine import synthesize as engine_synthesize
from tests.tenantctl.synth.conftest import DEFAULT_PROVIDER, MINIMAL, SECRET_SIG, SECRET_VALUE_SIG, by_name

RESOURCE_KEYS = {
    "urn", "type", "name", "custom", "parent", "provider", "region",
    "inputs", "dependencies", "propertyDependencies", "id", "outputs", "position",
}  # fmt: skip
PREFIX = "urn:pulumi:dev::minimal::"
STACK_URN = f"{PREFIX}pulumi:pulumi:Stack::minimal-dev"
DEFAULT_AWS = f"{PREFIX}pulumi:providers:aws::{DEFAULT_PROVIDER}"
OSAKA = f"{PREFIX}pulumi:providers:aws::osaka"
DATA = f"{PREFIX}aws:s3/bucket:Bucket::data"
LOGS = f"{PREFIX}aws:s3/bucket:Bucket::logs"
KEY = f"{PREFIX}aws:kms/key:Key::key"


def test_top_level_shape_and_resource_keys(minimal: dict[str, Any]) -> None:
    assert set(minimal) == {"project", "stack", "resources", "outputs"}
    assert (minimal["project"], minimal["stack"]) == ("minimal", "dev")
    for resource in minimal["resources"]:
        assert set(resource) == RESOURCE_KEYS, resource["urn"]
    urns = [r["urn"] for r in minimal["resources"]]
    assert urns == sorted(urns)
    assert len(set(urns)) == len(urns)
    json.dumps(minimal)  # plain JSON values only


def test_stack_root_and_urns_follow_the_engine(minimal: dict[str, Any]) -> None:
    root = by_name(minimal, "minimal-dev")
    assert root == {
        "urn": STACK_URN,
        "type": "pulumi:pulumi:Stack",
        "name": "minimal-dev",
        "custom": False,
        "parent": None,
        "provider": None,
        "region": None,
        "inputs": {},
        "dependencies": [],
        "propertyDependencies": {},
        "id": None,
        "outputs": minimal["outputs"],
        "position": None,
    }
    assert root["outputs"]["account"] == "222233334444"  # the root carries the exports, as in AnalyzeStack
    # top-level resources hang off the stack but its type is not part of their URN
    assert by_name(minimal, "data")["urn"] == DATA
    assert by_name(minimal, "data")["parent"] == STACK_URN
    # a child's URN carries its parent's type
    versioning = by_name(minimal, "data-versioning")
    assert (
        versioning["urn"]
        == f"{PREFIX}aws:s3/bucket:Bucket$aws:s3/bucketVersioning:BucketVersioning::data-versioning"
    )
    assert versioning["parent"] == DATA


def test_each_resource_records_the_line_that_declared_it(minimal: dict[str, Any]) -> None:
    lines = (MINIMAL / "__main__.py").read_text(encoding="utf-8").splitlines()

    def line_of(fragment: str) -> str:
        return f"__main__.py:{next(n for n, text in enumerate(lines, 1) if fragment in text)}"

    assert by_name(minimal, "data")["position"] == line_of('data = aws.s3.Bucket("data"')
    assert by_name(minimal, "key")["position"] == line_of('key = aws.kms.Key("key"')
    assert by_name(minimal, "data-versioning")["position"] == line_of("aws.s3.BucketVersioning(")
    # the engine's own default provider is declared by no line of the program
    assert by_name(minimal, DEFAULT_PROVIDER, "pulumi:providers:aws")["position"] is None


def test_default_provider_is_emitted_with_the_package_config(minimal: dict[str, Any]) -> None:
    default = by_name(minimal, DEFAULT_PROVIDER, "pulumi:providers:aws")
    assert default["urn"] == DEFAULT_AWS
    assert default["inputs"] == {"region": "ap-northeast-1", "version": version("pulumi-aws")}
    assert default["parent"] is None and default["provider"] is None and default["custom"] is True
    assert default["id"]
    assert by_name(minimal, "data")["provider"] == DEFAULT_AWS
    assert by_name(minimal, "replica")["provider"] == OSAKA
    explicit = by_name(minimal, "osaka", "pulumi:providers:aws")
    roles = json.loads(explicit["inputs"]["assumeRoles"])
    assert roles == [{"roleArn": "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole"}]


def test_effective_region_resolution(minimal: dict[str, Any]) -> None:
    assert by_name(minimal, "pinned")["region"] == "ap-northeast-1"  # own input beats the Osaka provider
    assert by_name(minimal, "pinned")["provider"] == OSAKA
    assert by_name(minimal, "replica")["region"] == "ap-northeast-3"  # explicit provider
    assert by_name(minimal, "data")["region"] == "ap-northeast-1"  # default provider from aws:region
    assert by_name(minimal, "osaka", "pulumi:providers:aws")["region"] == "ap-northeast-3"
    assert by_name(minimal, "minimal-dev")["region"] is None


def test_parent_dependencies_and_property_dependencies(minimal: dict[str, Any]) -> None:
    encryption = by_name(minimal, "data-encryption")
    assert encryption["parent"] == DATA
    assert encryption["dependencies"] == sorted([DATA, KEY, LOGS])  # logs only through depends_on
    assert encryption["propertyDependencies"] == {"bucket": [DATA], "rules": [KEY]}
    policy = by_name(minimal, "data-policy")
    # the policy document was rendered from the bucket's ARN: the dependency flows through the data source
    assert policy["propertyDependencies"]["policy"] == [DATA]


def test_inputs_are_wire_values_and_outputs_only_what_the_mock_added(minimal: dict[str, Any]) -> None:
    encryption = by_name(minimal, "data-encryption")
    data = by_name(minimal, "data")
    assert encryption["inputs"]["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {
                "sseAlgorithm": "aws:kms",
                "kmsMasterKeyId": by_name(minimal, "key")["outputs"]["arn"],
            }
        }
    ]
    assert encryption["inputs"]["bucket"] == data["inputs"]["bucket"] == data["id"]
    assert by_name(minimal, "pinned")["inputs"]["retentionInDays"] == 400  # an integer, not 400.0
    for resource in minimal["resources"]:
        assert not set(resource["outputs"]) & set(resource["inputs"]), resource["urn"]
    logs = by_name(minimal, "logs")
    assert logs["inputs"]["bucket"] == "acme-logs"
    assert "bucket" not in logs["outputs"] and logs["id"] == "acme-logs"


def test_mocked_arns_carry_region_and_account(minimal: dict[str, Any]) -> None:
    data_bucket = by_name(minimal, "data")["inputs"]["bucket"]
    assert data_bucket.startswith("data-") and len(data_bucket) == len("data-") + 7
    assert by_name(minimal, "replica")["outputs"]["arn"].startswith("arn:aws:s3:::replica-")
    pinned = by_name(minimal, "pinned")
    assert (
        pinned["outputs"]["arn"]
        == f"arn:aws:logs:ap-northeast-1:222233334444:log-group:{pinned['inputs']['name']}"
    )
    key = by_name(minimal, "key")
    assert key["outputs"]["arn"] == f"arn:aws:kms:ap-northeast-1:111111111111:key/{key['id']}"
    role = by_name(minimal, "reader")
    assert role["outputs"]["arn"] == f"arn:aws:iam::111111111111:role/{role['inputs']['name']}"


def test_data_sources_and_stack_outputs(minimal: dict[str, Any]) -> None:
    outputs = minimal["outputs"]
    assert outputs["account"] == "222233334444"  # caller identity through the Osaka provider's role
    assert outputs["zones"] == ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
    assert outputs["dataBucket"] == by_name(minimal, "data")["inputs"]["bucket"]
    assert outputs["password"] == {SECRET_SIG: SECRET_VALUE_SIG, "value": "[secret]"}
    document = json.loads(by_name(minimal, "data-policy")["inputs"]["policy"])
    assert document == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"{by_name(minimal, 'data')['outputs']['arn']}/*",
                "Principal": {"AWS": "arn:aws:iam::222233334444:root"},
            }
        ],
    }


def test_preview_leaves_computed_outputs_unknown() -> None:
    preview = engine_synthesize(MINIMAL, "dev", preview=True)
    data = by_name(preview, "data")
    assert data["id"] is None
    assert "arn" not in data["outputs"]
    assert data["inputs"]["bucket"].startswith("data-")  # autonaming happens at plan time
    assert by_name(preview, "data-versioning")["inputs"]["bucket"] == UNKNOWN_STRING_VALUE  # bucket=data.id
    encryption = by_name(preview, "data-encryption")["inputs"]
    assert encryption["bucket"] == data["inputs"]["bucket"]  # bucket=data.bucket is known
    assert (
        encryption["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == UNKNOWN_STRING_VALUE
    )
