import json

import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import (
    ACL,
    BUCKET,
    BUCKET_V2,
    PAB,
    POLICY,
    bucket_set,
    bucket_urn,
    tenant_resource,
)
from tests.rulekit import messages, outcome, stack

RULE = "bucket_public_access_blocked"
PAB_EXPECTED = (
    "expected a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and "
    "restrictPublicBuckets all true. [TEN-01]"
)
ACL_EXPECTED = (
    "expected a private ACL (no canned public ACL, no grant to AllUsers or AuthenticatedUsers). [TEN-01]"
)
POLICY_EXPECTED = (
    'expected no Allow to Principal "*" unless a condition pins the caller (aws:SourceVpce,'
    " aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, ...). [TEN-01]"
)
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def replace(resources, resource_type, props):
    old = next(r for r in resources if r.type == resource_type)
    new = tenant_resource(
        resource_type, old.name, {**old.props, **props}, prop_deps=old.property_dependencies
    )
    return [new if r is old else r for r in resources]


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow_everyone(condition=None, principal="*"):
    statement = {
        "Sid": "Read",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::acme-prod-data/*",
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def test_pass_compliant_bucket():
    assert outcome(RULE, stack(*bucket_set())) == "pass"


def test_pass_string_booleans():
    resources = replace(
        bucket_set(),
        PAB,
        {
            f: "true"
            for f in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        },
    )
    assert outcome(RULE, stack(*resources)) == "pass"


def test_fail_no_public_access_block():
    resources = [r for r in bucket_set() if r.type != PAB]
    assert messages(RULE, stack(*resources)) == [
        f"{BUCKET} data: has no BucketPublicAccessBlock; {PAB_EXPECTED}"
    ]


@pytest.mark.parametrize(
    "flag", ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]
)
def test_fail_each_flag_off(flag):
    resources = replace(bucket_set(), PAB, {flag: False})
    assert messages(RULE, stack(*resources)) == [f"{PAB} data-pab: {flag} is false; {PAB_EXPECTED}"]


def test_fail_flag_absent():
    resources = bucket_set()
    pab = next(r for r in resources if r.type == PAB)
    props = {k: v for k, v in pab.props.items() if k != "restrictPublicBuckets"}
    resources = [
        tenant_resource(PAB, pab.name, props, prop_deps=pab.property_dependencies) if r is pab else r
        for r in resources
    ]
    assert messages(RULE, stack(*resources)) == [
        f"{PAB} data-pab: restrictPublicBuckets is not set; {PAB_EXPECTED}"
    ]


@pytest.mark.parametrize("acl", ["public-read", "public-read-write", "authenticated-read"])
def test_fail_public_canned_acl_inline(acl):
    resources = replace(bucket_set(), BUCKET, {"acl": acl})
    assert messages(RULE, stack(*resources)) == [f'{BUCKET} data: acl is "{acl}"; {ACL_EXPECTED}']


def test_pass_private_and_log_delivery_acls():
    assert outcome(RULE, stack(*replace(bucket_set(), BUCKET, {"acl": "private"}))) == "pass"
    assert outcome(RULE, stack(*replace(bucket_set(), BUCKET, {"acl": "log-delivery-write"}))) == "pass"


def test_fail_inline_grant_to_all_users():
    resources = replace(
        bucket_set(), BUCKET, {"grants": [{"type": "Group", "uri": ALL_USERS, "permissions": ["READ"]}]}
    )
    assert messages(RULE, stack(*resources)) == [
        f'{BUCKET} data: grants[0] grants ["READ"] to {ALL_USERS}; {ACL_EXPECTED}'
    ]


def test_fail_bucket_acl_resource():
    acl = tenant_resource(
        ACL,
        "data-acl",
        {
            "bucket": "acme-prod-data",
            "accessControlPolicy": {
                "grants": [{"grantee": {"type": "Group", "uri": ALL_USERS}, "permission": "READ"}],
                "owner": {"id": "abc"},
            },
        },
    )
    assert messages(RULE, stack(*bucket_set(), acl)) == [
        f'{ACL} data-acl: accessControlPolicy.grants[0] grants "READ" to {ALL_USERS}; {ACL_EXPECTED}'
    ]
    canned = tenant_resource(ACL, "data-acl", {"bucket": "acme-prod-data", "acl": "public-read"})
    assert messages(RULE, stack(*bucket_set(), canned)) == [
        f'{ACL} data-acl: acl is "public-read"; {ACL_EXPECTED}'
    ]


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::111111111111:root", "*"]}])
def test_fail_policy_allows_everyone(principal):
    resources = replace(bucket_set(), POLICY, {"policy": policy(allow_everyone(principal=principal))})
    assert messages(RULE, stack(*resources)) == [
        f"{POLICY} data-policy: policy statement 'Read' allows Principal \"*\" without a restricting"
        f" condition; {POLICY_EXPECTED}"
    ]


def test_fail_condition_that_does_not_restrict():
    weak = allow_everyone({"StringLike": {"aws:UserAgent": "curl*"}})
    negated = allow_everyone({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})
    wildcard = allow_everyone({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})
    for statement in (weak, negated, wildcard):
        resources = replace(bucket_set(), POLICY, {"policy": policy(statement)})
        assert messages(RULE, stack(*resources)) == [
            f"{POLICY} data-policy: policy statement 'Read' allows Principal \"*\" without a restricting"
            f" condition; {POLICY_EXPECTED}"
        ]


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:SourceVpce": "vpce-0123"}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::111111111111:distribution/E1"}},
        {"StringEquals": {"AWS:SourceAccount": "111111111111"}},
    ],
)
def test_pass_everyone_with_restricting_condition(condition):
    resources = replace(bucket_set(), POLICY, {"policy": policy(allow_everyone(condition))})
    assert outcome(RULE, stack(*resources)) == "pass"


def test_fail_not_principal_allow():
    statement = {
        "Sid": "All",
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Action": "s3:*",
        "Resource": "*",
    }
    resources = replace(bucket_set(), POLICY, {"policy": policy(statement)})
    assert messages(RULE, stack(*resources)) == [
        f"{POLICY} data-policy: policy statement 'All' allows NotPrincipal"
        f' ["arn:aws:iam::111111111111:root"] (everyone else); {POLICY_EXPECTED}'
    ]


def test_fail_inline_bucket_policy_dict_shape():
    bucket = tenant_resource(BUCKET_V2, "raw", {"bucket": "raw", "policy": {"Statement": [allow_everyone()]}})
    pab = tenant_resource(
        PAB,
        "raw-pab",
        {
            "bucket": "raw",
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
    )
    assert messages(RULE, stack(bucket, pab)) == [
        f"{BUCKET_V2} raw: policy statement 'Read' allows Principal \"*\" without a restricting condition;"
        f" {POLICY_EXPECTED}"
    ]


def test_fail_unparseable_policy():
    resources = replace(bucket_set(), POLICY, {"policy": "{not json"})
    assert messages(RULE, stack(*resources)) == [
        f"{POLICY} data-policy: policy is not valid JSON (Expecting property name enclosed in double quotes),"
        f" so it cannot be shown not to be public; {POLICY_EXPECTED}"
    ]


def test_pab_for_other_bucket_does_not_count():
    resources = [r for r in bucket_set() if r.type != PAB]
    other = tenant_resource(
        PAB,
        "x-pab",
        {
            "bucket": "x",
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        prop_deps={"bucket": [bucket_urn("x")]},
    )
    assert messages(RULE, stack(*resources, other)) == [
        f"{BUCKET} data: has no BucketPublicAccessBlock; {PAB_EXPECTED}"
    ]


def test_na_stack_without_buckets():
    assert outcome(RULE, stack(tenant_resource("aws:sns/topic:Topic", "t", {}))) == "n/a"


def test_unknown_flag_in_preview():
    pab = tenant_resource(PAB, "p", {"bucket": "b", "blockPublicAcls": UNKNOWN_BOOLEAN_VALUE}, preview=True)
    assert outcome(RULE, stack(pab)) == "unknown"


def test_unknown_policy_in_preview():
    pol = tenant_resource(POLICY, "p", {"bucket": "b", "policy": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, stack(pol)) == "unknown"
