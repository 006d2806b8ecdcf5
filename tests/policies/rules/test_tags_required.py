import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import ProviderView, ResourceView
from tests.rulekit import messages, outcome, resource, urn

BUCKET = "aws:s3/bucket:Bucket"
EXPECTED_TAGS = (
    "expected tags tenant, environment, data-classification, managed-by on every taggable resource. [TEN-04]"
)
TAGS = {
    "tenant": "acme",
    "environment": "prod",
    "data-classification": "confidential",
    "managed-by": "tenant-zone",
}


def with_default_tags(view: ResourceView, tags: dict, *, encoded: bool = True) -> ResourceView:
    """The same resource on a provider with defaultTags (the SDK sends them JSON-encoded)."""
    block = {"tags": tags}
    provider = ProviderView(
        "pulumi:providers:aws",
        urn("pulumi:providers:aws", "tokyo"),
        "tokyo",
        {"region": "ap-northeast-1", "defaultTags": json.dumps(block) if encoded else block},
    )
    return ResourceView(view.type, view.name, view.urn, view.props, provider)


def test_pass_all_tags_on_resource():
    assert outcome("tags_required", resource(BUCKET, "data", {"tags": TAGS})) == "pass"


@pytest.mark.parametrize("encoded", [True, False])
def test_pass_tags_from_provider_default_tags(encoded):
    bare = resource(BUCKET, "data", {"tags": {"Name": "data"}})
    assert outcome("tags_required", with_default_tags(bare, TAGS, encoded=encoded)) == "pass"


def test_pass_own_tag_overrides_bad_default():
    view = with_default_tags(
        resource(BUCKET, "data", {"tags": {"data-classification": "personal"}}),
        {**TAGS, "data-classification": "secret"},
    )
    assert outcome("tags_required", view) == "pass"


@pytest.mark.parametrize("missing", ["tenant", "environment", "data-classification", "managed-by"])
def test_fail_one_missing_tag(missing):
    tags = {k: v for k, v in TAGS.items() if k != missing}
    assert messages("tags_required", resource(BUCKET, "data", {"tags": tags})) == [
        f"{BUCKET} data: tag {missing} is missing (own tags and provider defaultTags); {EXPECTED_TAGS}"
    ]


def test_fail_all_missing_listed_in_one_failure():
    assert messages("tags_required", resource("aws:kms/key:Key", "key", {})) == [
        "aws:kms/key:Key key: tags tenant, environment, data-classification, managed-by are missing "
        f"(own tags and provider defaultTags); {EXPECTED_TAGS}"
    ]


def test_fail_empty_tag_value_counts_as_missing():
    assert messages("tags_required", resource(BUCKET, "data", {"tags": {**TAGS, "tenant": " "}})) == [
        f"{BUCKET} data: tag tenant is missing (own tags and provider defaultTags); {EXPECTED_TAGS}"
    ]


@pytest.mark.parametrize("value", ["secret", "Confidential", "pii"])
def test_fail_bad_classification(value):
    assert messages(
        "tags_required", resource(BUCKET, "data", {"tags": {**TAGS, "data-classification": value}})
    ) == [
        f"{BUCKET} data: tag data-classification is {value!r}; "
        "expected data-classification one of public, internal, confidential, personal. [TEN-04]"
    ]


def test_fail_missing_and_bad_classification_are_separate_failures():
    tags = {"data-classification": "secret", "tenant": "acme"}
    assert messages("tags_required", resource("aws:ec2/vpc:Vpc", "vpc", {"tags": tags})) == [
        (
            "aws:ec2/vpc:Vpc vpc: tags environment, managed-by are missing (own tags and provider"
            " defaultTags); expected tags tenant, environment, data-classification, managed-by on every"
            " taggable resource. [TEN-04]"
        ),
        (
            "aws:ec2/vpc:Vpc vpc: tag data-classification is 'secret'; "
            "expected data-classification one of public, internal, confidential, personal. [TEN-04]"
        ),
    ]


def test_fail_autoscaling_list_tags_get_no_default_tags():
    tags = [{"key": k, "value": v, "propagateAtLaunch": True} for k, v in TAGS.items() if k != "managed-by"]
    asg = with_default_tags(resource("aws:autoscaling/group:Group", "asg", {"tags": tags}), TAGS)
    assert messages("tags_required", asg) == [
        "aws:autoscaling/group:Group asg: tag managed-by is missing (own tags and provider defaultTags);"
        f" {EXPECTED_TAGS}"
    ]


def test_pass_autoscaling_list_tags():
    tags = [{"key": k, "value": v, "propagateAtLaunch": True} for k, v in TAGS.items()]
    assert outcome("tags_required", resource("aws:autoscaling/group:Group", "asg", {"tags": tags})) == "pass"


@pytest.mark.parametrize(
    "resource_type",
    [
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:s3/bucketVersioning:BucketVersioning",
        "pulumi:providers:aws",
        "tenant-zone:index:TenantBaseline",
    ],
)
def test_na_untaggable_types(resource_type):
    assert outcome("tags_required", resource(resource_type, "x", {})) == "n/a"


def test_unknown_required_tag_value_in_preview():
    view = resource(BUCKET, "data", {"tags": {**TAGS, "tenant": UNKNOWN_STRING_VALUE}}, preview=True)
    assert outcome("tags_required", view) == "unknown"


def test_pass_unknown_unrelated_tag_in_preview():
    view = resource(BUCKET, "data", {"tags": {**TAGS, "Name": UNKNOWN_STRING_VALUE}}, preview=True)
    assert outcome("tags_required", view) == "pass"


def test_unknown_default_tags_in_preview():
    view = with_default_tags(resource(BUCKET, "data", {}), {})
    provider = ProviderView(
        view.provider.type,
        view.provider.urn,
        "tokyo",
        {"region": "ap-northeast-1", "defaultTags": UNKNOWN_STRING_VALUE},
    )
    assert (
        outcome("tags_required", ResourceView(view.type, view.name, view.urn, view.props, provider))
        == "unknown"
    )
