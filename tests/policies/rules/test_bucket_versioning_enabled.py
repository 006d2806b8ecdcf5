import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    BUCKET,
    BUCKET_V2,
    VERSIONING,
    VERSIONING_V2,
    bucket_set,
    bucket_urn,
    tenant_resource,
)
from tests.rulekit import messages, outcome, stack

RULE = "bucket_versioning_enabled"
EXPECTED = "expected a BucketVersioning for the bucket with versioningConfiguration.status Enabled. [RES-02]"


def without(resources, resource_type):
    return [r for r in resources if r.type != resource_type]


def test_pass_versioning_resource():
    assert outcome(RULE, stack(*bucket_set())) == "pass"


def test_pass_v2_token():
    bucket = tenant_resource(BUCKET, "data", {"bucket": "d"})
    v = tenant_resource(
        VERSIONING_V2, "data-v", {"bucket": "d", "versioningConfiguration": [{"status": "Enabled"}]}
    )
    assert outcome(RULE, stack(bucket, v)) == "pass"


@pytest.mark.parametrize("value", [True, "true"])
def test_pass_inline_versioning(value):
    assert outcome(RULE, stack(tenant_resource(BUCKET, "a", {"versioning": {"enabled": value}}))) == "pass"
    assert (
        outcome(RULE, stack(tenant_resource(BUCKET_V2, "b", {"versionings": [{"enabled": value}]}))) == "pass"
    )


def test_fail_no_versioning():
    assert messages(RULE, stack(*without(bucket_set(), VERSIONING))) == [
        f"{BUCKET} data: has no versioning configuration (S3 buckets are unversioned by default); {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "status, shown", [("Suspended", '"Suspended"'), ("Disabled", '"Disabled"'), (None, "not set")]
)
def test_fail_versioning_not_enabled(status, shown):
    resources = bucket_set()
    versioning = next(r for r in resources if r.type == VERSIONING)
    bad = tenant_resource(
        VERSIONING,
        versioning.name,
        {"bucket": "acme-prod-data", "versioningConfiguration": {"status": status}},
        prop_deps={"bucket": [bucket_urn("data")]},
    )
    assert messages(RULE, stack(*without(resources, VERSIONING), bad)) == [
        f"{VERSIONING} data-versioning: versioningConfiguration.status is {shown}; {EXPECTED}"
    ]


def test_fail_inline_disabled():
    assert messages(RULE, stack(tenant_resource(BUCKET, "a", {"versioning": {"enabled": False}}))) == [
        f"{BUCKET} a: versioning.enabled is false; {EXPECTED}"
    ]
    assert messages(
        RULE, stack(tenant_resource(BUCKET_V2, "b", {"versionings": [{"enabled": "false"}]}))
    ) == [f'{BUCKET_V2} b: versionings[0].enabled is "false"; {EXPECTED}']


def test_unknown_status_in_preview():
    v = tenant_resource(
        VERSIONING,
        "v",
        {"bucket": "d", "versioningConfiguration": {"status": UNKNOWN_STRING_VALUE}},
        preview=True,
    )
    assert outcome(RULE, stack(v)) == "unknown"


def test_na_stack_without_buckets():
    assert outcome(RULE, stack(tenant_resource("aws:sns/topic:Topic", "t", {}))) == "n/a"
