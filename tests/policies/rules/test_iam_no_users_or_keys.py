import pytest
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "iam_no_users_or_keys"
EXPECTED = (
    "expected no IAM users or user credentials (IAM Identity Center for people, roles for workloads)."
    " [IAM-01]"
)


@pytest.mark.parametrize(
    "resource_type, text",
    [
        ("aws:iam/user:User", "is an IAM user"),
        ("aws:iam/accessKey:AccessKey", "is an IAM access key (long-lived credentials)"),
        ("aws:iam/userLoginProfile:UserLoginProfile", "is a console password for an IAM user"),
        ("aws:iam/userPolicy:UserPolicy", "grants an IAM user an inline policy"),
        ("aws:iam/userPolicyAttachment:UserPolicyAttachment", "attaches a policy to an IAM user"),
        ("aws:iam/userGroupMembership:UserGroupMembership", "puts an IAM user into groups"),
        ("aws:iam/sshKey:SshKey", "is an SSH key of an IAM user"),
    ],
)
@pytest.mark.parametrize("stack_name", ["acme-prod", "org"])
def test_fail_user_resources_in_any_stack(resource_type, text, stack_name):
    assert messages(RULE, resource(resource_type, "u", {}, stack=stack_name)) == [
        f"{resource_type} u: {text}; {EXPECTED}"
    ]


def test_fail_policy_attachment_to_users():
    view = resource(
        "aws:iam/policyAttachment:PolicyAttachment",
        "pa",
        {"policyArn": "arn:x", "users": ["alice", "bob"], "roles": ["r"]},
    )
    assert messages(RULE, view) == [
        "aws:iam/policyAttachment:PolicyAttachment pa: attaches a policy to IAM user(s) alice, bob;"
        f" {EXPECTED}"
    ]


def test_pass_policy_attachment_to_roles_only():
    view = resource("aws:iam/policyAttachment:PolicyAttachment", "pa", {"policyArn": "arn:x", "roles": ["r"]})
    assert outcome(RULE, view) == "pass"


@pytest.mark.parametrize(
    "resource_type", ["aws:iam/role:Role", "aws:iam/group:Group", "aws:iam/groupPolicy:GroupPolicy"]
)
def test_na_roles_and_groups(resource_type):
    assert outcome(RULE, resource(resource_type, "r", {})) == "n/a"


def test_unknown_policy_attachment_users_in_preview():
    view = resource(
        "aws:iam/policyAttachment:PolicyAttachment", "pa", {"users": UNKNOWN_ARRAY_VALUE}, preview=True
    )
    assert outcome(RULE, view) == "unknown"
