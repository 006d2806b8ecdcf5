import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "iam_no_admin_policy"
POLICY = "aws:iam/policy:Policy"
ROLE = "aws:iam/role:Role"
EXPECTED = "expected least-privilege statements (no Allow of Action * on Resource *). [IAM-01]"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
SCOPED = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::acme-data/*"}],
}


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_pass_scoped_policy_json_string():
    assert outcome(RULE, resource(POLICY, "p", {"policy": json.dumps(SCOPED)})) == "pass"


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::acme-data"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"},
    ],
)
def test_pass_not_star_on_star(statement):
    assert outcome(RULE, resource(POLICY, "p", {"policy": doc(statement)})) == "pass"


@pytest.mark.parametrize(
    "resource_type",
    [
        "aws:iam/policy:Policy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/userPolicy:UserPolicy",
        "aws:iam/groupPolicy:GroupPolicy",
    ],
)
@pytest.mark.parametrize(
    "action, shown", [("*", "*"), ("*:*", "*:*"), (["s3:GetObject", "*"], "*"), ("?*", "?*")]
)
def test_fail_star_on_star(resource_type, action, shown):
    statement = {"Sid": "Admin", "Effect": "Allow", "Action": action, "Resource": ["*"]}
    assert messages(RULE, resource(resource_type, "p", {"policy": json.dumps(doc(statement))})) == [
        f"{resource_type} p: policy Statement[0] (Sid Admin) allows Action {shown} on Resource *; {EXPECTED}"
    ]


@pytest.mark.parametrize("resources", ["arn:*", "arn:aws:*:*:*:*", ["arn:aws:s3:::logs/*", "arn:aws:*"]])
def test_fail_star_on_resource_pattern_matching_every_arn(resources):
    statement = {"Effect": "Allow", "Action": "*", "Resource": resources}
    pattern = resources if isinstance(resources, str) else resources[1]
    assert messages(RULE, resource(POLICY, "p", {"policy": doc(statement)})) == [
        f"{POLICY} p: policy Statement[0] allows Action * on Resource {pattern}; {EXPECTED}"
    ]


def test_fail_star_on_not_resource():
    statement = {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::audit-logs/*"}
    assert messages(RULE, resource(POLICY, "p", {"policy": doc(statement)})) == [
        f"{POLICY} p: policy Statement[0] allows Action * on every resource except arn:aws:s3:::audit-logs/* "
        f"(NotResource); {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::data/*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:iam::*:role/*"},
        {"Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::data/*"},
    ],
)
def test_pass_limited_action_or_resource(statement):
    assert outcome(RULE, resource(POLICY, "p", {"policy": doc(statement)})) == "pass"


def test_fail_single_statement_object_and_lowercase_effect():
    policy = {"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}
    assert messages(RULE, resource(POLICY, "p", {"policy": policy})) == [
        f"{POLICY} p: policy Statement[0] allows Action * on Resource *; {EXPECTED}"
    ]


def test_fail_not_action_on_star():
    statement = {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}
    assert messages(RULE, resource(POLICY, "p", {"policy": doc(statement)})) == [
        f"{POLICY} p: policy Statement[0] allows every action except iam:*, organizations:* (NotAction) on"
        f" Resource *; {EXPECTED}"
    ]


def test_fail_invalid_json():
    assert messages(RULE, resource(POLICY, "p", {"policy": "{not json"})) == [
        f"{POLICY} p: policy is not valid JSON (Expecting property name enclosed in double quotes); "
        "expected a valid IAM policy document with least-privilege statements. [IAM-01]"
    ]


def test_fail_role_inline_policy_and_managed_admin():
    role = resource(
        ROLE,
        "ops",
        {
            "assumeRolePolicy": "{}",
            "inlinePolicies": [
                {"name": "ok", "policy": json.dumps(SCOPED)},
                {
                    "name": "all",
                    "policy": json.dumps(doc({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                },
            ],
            "managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN_ARN],
        },
    )
    assert messages(RULE, role) == [
        f"{ROLE} ops: inlinePolicies[1] (all) Statement[0] allows Action * on Resource *; {EXPECTED}",
        (
            f"{ROLE} ops: managedPolicyArns attaches {ADMIN_ARN}; expected a least-privilege policy instead"
            " of AdministratorAccess. [IAM-01]"
        ),
    ]


@pytest.mark.parametrize(
    "resource_type, key, value",
    [
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policyArn", ADMIN_ARN),
        ("aws:iam/userPolicyAttachment:UserPolicyAttachment", "policyArn", ADMIN_ARN),
        ("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "policyArn", ADMIN_ARN),
        (
            "aws:iam/policyAttachment:PolicyAttachment",
            "policyArn",
            "arn:aws-cn:iam::aws:policy/AdministratorAccess",
        ),
        ("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "policyArns", [ADMIN_ARN]),
    ],
)
def test_fail_admin_attachment(resource_type, key, value):
    shown = value[0] if isinstance(value, list) else value
    assert messages(RULE, resource(resource_type, "a", {key: value})) == [
        f"{resource_type} a: {key} attaches {shown}; expected a least-privilege policy instead of"
        " AdministratorAccess. [IAM-01]"
    ]


def test_pass_other_managed_attachment():
    view = resource(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "a",
        {"policyArn": "arn:aws:iam::111111111111:policy/AdministratorAccess"},
    )
    assert outcome(RULE, view) == "pass"


def test_na_other_types():
    assert (
        outcome(
            RULE,
            resource(
                "aws:s3/bucketPolicy:BucketPolicy",
                "bp",
                {"policy": doc({"Effect": "Allow", "Action": "*", "Resource": "*"})},
            ),
        )
        == "n/a"
    )


def test_unknown_policy_in_preview():
    assert outcome(RULE, resource(POLICY, "p", {"policy": UNKNOWN_STRING_VALUE}, preview=True)) == "unknown"
