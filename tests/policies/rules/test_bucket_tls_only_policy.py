import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    BUCKET,
    BUCKET_V2,
    POLICY,
    bucket_set,
    bucket_urn,
    tenant_resource,
)
from tests.rulekit import messages, outcome, stack

RULE = "bucket_tls_only_policy"
EXPECTED = (
    'expected a bucket policy statement {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource":'
    ' [<bucket ARN>, <bucket ARN>/*], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}. [ENC-03]'
)
ARN = "arn:aws:s3:::acme-prod-data"


def deny(**overrides):
    statement = {
        "Sid": "TLS",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [ARN, f"{ARN}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    statement.update(overrides)
    return statement


def with_policy(*statements, raw=None):
    resources = bucket_set()
    old = next(r for r in resources if r.type == POLICY)
    document = (
        raw if raw is not None else json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    )
    new = tenant_resource(
        POLICY,
        old.name,
        {"bucket": "acme-prod-data", "policy": document},
        prop_deps=old.property_dependencies,
    )
    return stack(*[new if r is old else r for r in resources])


def test_pass_baseline():
    assert outcome(RULE, stack(*bucket_set())) == "pass"


@pytest.mark.parametrize(
    "overrides",
    [
        {"Principal": {"AWS": "*"}},
        {"Action": ["s3:*"]},
        {"Action": "*"},
        {"Resource": "*"},
        {"Resource": ["arn:aws:s3:::acme-prod-*", "arn:aws:s3:::acme-prod-*/*"]},
        {"Condition": {"Bool": {"aws:SecureTransport": False}}},
        {"Condition": {"Bool": {"aws:securetransport": ["false"]}}},
        {"Effect": "deny"},
    ],
)
def test_pass_equivalent_spellings(overrides):
    assert outcome(RULE, with_policy(deny(**overrides))) == "pass"


def test_pass_among_other_statements():
    allow = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:role/app"},
        "Action": "s3:GetObject",
        "Resource": f"{ARN}/*",
    }
    assert outcome(RULE, with_policy(allow, deny())) == "pass"


def test_fail_no_policy():
    resources = [r for r in bucket_set() if r.type != POLICY]
    assert messages(RULE, stack(*resources)) == [
        f"{BUCKET} data: has no bucket policy, so requests without TLS are accepted; {EXPECTED}"
    ]


def test_fail_policy_without_tls_statement():
    allow = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:role/app"},
        "Action": "s3:GetObject",
        "Resource": f"{ARN}/*",
    }
    assert messages(RULE, with_policy(allow)) == [
        f"{BUCKET} data: bucket policy data-policy has no Deny statement with condition Bool"
        f" aws:SecureTransport false; {EXPECTED}"
    ]


def test_fail_condition_true_is_not_a_tls_deny():
    assert messages(RULE, with_policy(deny(Condition={"Bool": {"aws:SecureTransport": "true"}}))) == [
        f"{BUCKET} data: bucket policy data-policy has no Deny statement with condition Bool"
        f" aws:SecureTransport false; {EXPECTED}"
    ]


def test_fail_objects_not_covered():
    assert messages(RULE, with_policy(deny(Resource=ARN))) == [
        f"{BUCKET} data: bucket policy data-policy's aws:SecureTransport deny statement 'TLS' does not cover "
        f"{ARN}/any-object-key; {EXPECTED}"
    ]


def test_fail_other_bucket_arn():
    other = "arn:aws:s3:::other"
    assert messages(RULE, with_policy(deny(Resource=[other, f"{other}/*"]))) == [
        f"{BUCKET} data: bucket policy data-policy's aws:SecureTransport deny statement 'TLS' does not cover "
        f"{ARN} and {ARN}/any-object-key; {EXPECTED}"
    ]


def test_fail_narrow_action_and_principal():
    statement = deny(Action="s3:GetObject", Principal={"AWS": "arn:aws:iam::111111111111:role/app"})
    assert messages(RULE, with_policy(statement)) == [
        f"{BUCKET} data: bucket policy data-policy's aws:SecureTransport deny statement 'TLS' applies to "
        f'arn:aws:iam::111111111111:role/app instead of "*"; denies s3:GetObject instead of s3:*; {EXPECTED}'
    ]


def test_fail_invalid_json():
    assert messages(RULE, with_policy(raw="nope")) == [
        f"{BUCKET} data: bucket policy data-policy is not valid JSON (Expecting value); {EXPECTED}"
    ]


def test_pass_inline_policy_dict_and_autonamed_bucket():
    # Raw program: no physical name in the program, the policy written as a dict on the bucket itself.
    document = {"Statement": [deny(Resource=["arn:aws:s3:::data-12ab", "arn:aws:s3:::data-12ab/*"])]}
    assert outcome(RULE, stack(tenant_resource(BUCKET_V2, "raw", {"policy": document}))) == "pass"


def test_fail_autonamed_bucket_without_object_coverage():
    document = {"Statement": [deny(Resource=["arn:aws:s3:::data-12ab"])]}
    assert messages(RULE, stack(tenant_resource(BUCKET, "raw", {"policy": document}))) == [
        f"{BUCKET} raw: inline policy's aws:SecureTransport deny statement 'TLS' does not cover the bucket"
        f" and its objects; {EXPECTED}"
    ]


def test_policy_linked_by_property_dependency():
    bucket = tenant_resource(BUCKET, "raw", {})
    document = json.dumps({"Statement": [deny(Resource=["arn:aws:s3:::raw-9f", "arn:aws:s3:::raw-9f/*"])]})
    pol = tenant_resource(
        POLICY,
        "raw-policy",
        {"bucket": "raw-9f", "policy": document},
        prop_deps={"bucket": [bucket_urn("raw")]},
    )
    assert outcome(RULE, stack(bucket, pol)) == "pass"


def test_na_stack_without_buckets():
    assert outcome(RULE, stack(tenant_resource("aws:sns/topic:Topic", "t", {}))) == "n/a"


def test_unknown_policy_in_preview():
    bucket = tenant_resource(BUCKET, "raw", {"bucket": "raw"})
    pol = tenant_resource(POLICY, "p", {"bucket": "raw", "policy": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, stack(bucket, pol)) == "unknown"


def test_fail_not_resource_deny():
    statement = {key: value for key, value in deny().items() if key != "Resource"}
    statement["NotResource"] = ["arn:aws:s3:::other-bucket/*"]
    assert messages(RULE, with_policy(statement)) == [
        f"{BUCKET} data: bucket policy data-policy's aws:SecureTransport deny statement 'TLS' uses"
        f" NotResource; {EXPECTED}"
    ]


def test_fail_empty_bucket_policy():
    assert messages(RULE, with_policy(raw="  ")) == [
        f"{BUCKET} data: bucket policy data-policy is empty; {EXPECTED}"
    ]


@pytest.mark.parametrize("resources", ["*", ["arn:aws:s3:::*"]])
def test_pass_autonamed_bucket_with_wildcard_resource(resources):
    document = {"Statement": [deny(Resource=resources)]}
    assert outcome(RULE, stack(tenant_resource(BUCKET, "raw", {"policy": document}))) == "pass"
