"""The committed taggable-types list is exactly what the generator derives from the installed pulumi_aws."""

import json

import pytest

from policies.data.generate_taggable_types import OUTPUT, pulumi_aws_dir, render, taggable_types


@pytest.fixture(scope="module")
def generated() -> list[str]:
    return taggable_types(pulumi_aws_dir())


def test_committed_file_equals_generator_output(generated):
    assert OUTPUT.read_text(encoding="utf-8") == render(generated), (
        "policies/data/taggable_types.json is stale: run `uv run python"
        " policies/data/generate_taggable_types.py`"
    )


@pytest.mark.parametrize(
    "token",
    [
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:ec2/vpc:Vpc",
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:iam/role:Role",
        "aws:backup/vault:Vault",
        "aws:autoscaling/group:Group",
    ],
)
def test_known_taggable_types_are_listed(generated, token):
    assert token in generated


@pytest.mark.parametrize(
    "token",
    [
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
        "aws:route53/record:Record",
        "pulumi:providers:aws",
    ],
)
def test_known_untaggable_types_are_not_listed(generated, token):
    assert token not in generated


def test_list_is_sorted_unique_and_plausible(generated):
    assert generated == sorted(set(generated))
    # pulumi-aws 7.51 has ~1,750 resource classes, about half of them taggable: a regex that
    # stopped matching would shrink this drastically.
    assert 700 < len(generated) < 1500
    assert json.loads(render(generated)) == generated
