"""Required tags through the stack transformation (TEN-04), verified under the Pulumi mocks."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from tenancy.tags import (
    REQUIRED_TAG_KEYS,
    is_taggable,
    merge_tags,
    register_required_tags,
    required_tags,
)
from tests.pulumi_mocks import run

REQUIRED = {
    "tenant": "acme",
    "environment": "prod",
    "data-classification": "personal",
    "managed-by": "tenant-zone",
}


def test_required_tags_have_the_four_keys() -> None:
    assert required_tags("acme", "prod", "personal") == REQUIRED
    assert tuple(REQUIRED) == REQUIRED_TAG_KEYS


def test_taggability_comes_from_the_resource_class() -> None:
    assert is_taggable(aws.s3.Bucket)
    assert is_taggable(aws.ec2.Subnet)
    assert is_taggable(aws.kms.Key)
    assert not is_taggable(aws.kms.Alias)  # no tags input
    assert not is_taggable(aws.s3.BucketPolicy)
    assert not is_taggable(aws.autoscaling.Group)  # tags is a list of blocks, not a map
    assert not is_taggable(aws.Provider)
    assert not is_taggable(pulumi.ComponentResource)


def test_merge_keeps_what_the_resource_set() -> None:
    assert merge_tags(None, REQUIRED) == REQUIRED
    assert merge_tags({"purpose": "data", "data-classification": "internal"}, REQUIRED) == {
        **REQUIRED,
        "purpose": "data",
        "data-classification": "internal",
    }
    assert merge_tags({"tenant": None}, REQUIRED) == REQUIRED


class _Holder(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("tenant-zone:test:Holder", name, None, None)
        child = pulumi.ResourceOptions(parent=self)
        aws.s3.Bucket(f"{name}-plain", opts=child)
        aws.s3.Bucket(f"{name}-purpose", tags={"purpose": "uploads"}, opts=child)
        aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block="10.0.0.0/16",
            tags=pulumi.Output.from_input({"Name": "from-output"}),
            opts=child,
        )
        aws.kms.Alias(f"{name}-alias", name="alias/x", target_key_id="key", opts=child)
        self.register_outputs({})


def test_transformation_tags_every_taggable_resource_and_nothing_else() -> None:
    def program() -> None:
        register_required_tags("acme", "prod", "personal")
        _Holder("h")

    result = run(program)
    assert result.one("aws:s3/bucket:Bucket", "h-plain").inputs["tags"] == REQUIRED
    assert result.one("aws:s3/bucket:Bucket", "h-purpose").inputs["tags"] == {
        **REQUIRED,
        "purpose": "uploads",
    }
    assert result.one("aws:ec2/vpc:Vpc").inputs["tags"] == {**REQUIRED, "Name": "from-output"}
    assert "tags" not in result.one("aws:kms/alias:Alias").inputs
    assert "tags" not in result.one("tenant-zone:test:Holder").inputs


def test_without_the_transformation_nothing_is_added() -> None:
    result = run(lambda: _Holder("h"))
    assert "tags" not in result.one("aws:s3/bucket:Bucket", "h-plain").inputs
