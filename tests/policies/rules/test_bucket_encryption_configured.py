from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    BUCKET,
    BUCKET_V2,
    SSE,
    SSE_V2,
    bucket_set,
    bucket_urn,
    sse_rule,
    tenant_resource,
)
from tests.rulekit import messages, outcome, stack

RULE = "bucket_encryption_configured"
EXPECTED = (
    "expected a BucketServerSideEncryptionConfiguration for the bucket using aws:kms with the tenant key."
    " [ENC-01]"
)


def without(resources, resource_type):
    return [r for r in resources if r.type != resource_type]


def test_pass_bucket_with_sse_resource():
    assert outcome(RULE, stack(*bucket_set())) == "pass"


def test_pass_linked_by_literal_name_without_property_dependency():
    bucket = tenant_resource(BUCKET, "data", {"bucket": "raw-data"})
    config = tenant_resource(SSE_V2, "data-sse", {"bucket": "raw-data", "rules": [sse_rule()]})
    assert outcome(RULE, stack(bucket, config)) == "pass"


def test_pass_inline_blocks():
    inline = tenant_resource(BUCKET, "a", {"serverSideEncryptionConfiguration": {"rule": sse_rule()}})
    inline_v2 = tenant_resource(
        BUCKET_V2, "b", {"serverSideEncryptionConfigurations": [{"rules": [sse_rule()]}]}
    )
    assert outcome(RULE, stack(inline, inline_v2)) == "pass"


def test_fail_bucket_without_sse():
    assert messages(RULE, stack(*without(bucket_set(), SSE))) == [
        f"{BUCKET} data: has no server-side encryption configuration (S3 then applies SSE-S3 with an S3-owned"
        f" key); {EXPECTED}"
    ]


def test_fail_sse_for_another_bucket_does_not_count():
    other = tenant_resource(SSE, "other-sse", {"bucket": "someone-else", "rules": [sse_rule()]})
    assert messages(RULE, stack(*without(bucket_set(), SSE), other)) == [
        f"{BUCKET} data: has no server-side encryption configuration (S3 then applies SSE-S3 with an S3-owned"
        f" key); {EXPECTED}"
    ]


def test_na_stack_without_buckets():
    assert outcome(RULE, stack(tenant_resource("aws:sns/topic:Topic", "t", {}))) == "n/a"


def test_unknown_inline_block_in_preview():
    bucket = tenant_resource(
        BUCKET, "data", {"serverSideEncryptionConfiguration": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, stack(bucket)) == "unknown"


def test_property_dependency_links_autonamed_bucket():
    bucket = tenant_resource(BUCKET, "data", {})
    config = tenant_resource(
        SSE,
        "data-sse",
        {"bucket": "data-4f1c2a", "rules": [sse_rule()]},
        prop_deps={"bucket": [bucket_urn("data")]},
    )
    assert outcome(RULE, stack(bucket, config)) == "pass"
