import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import ResourceView
from tests.rulekit import messages, outcome, provider, resource

RULE = "kms_key_policy_lockout"
KEY = "aws:kms/key:Key"
ROLE = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
APP = "arn:aws:iam::111111111111:role/App"
DEPLOYER = provider(assumeRoles=[{"roleArn": ROLE}])
EXPECTED = (
    "expected a statement allowing kms:PutKeyPolicy to the creating principal (its role, or the account"
    " root). [DEP-02]"
)


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal, actions, **extra):
    return {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": actions, "Resource": "*", **extra}


ADMIN = allow(ROLE, ["kms:PutKeyPolicy", "kms:DescribeKey"])
USE = allow(APP, ["kms:Decrypt"])


def key(document, deployer=DEPLOYER, preview=False, **props):
    view = resource(KEY, "data", {"policy": document, **props}, preview=preview)
    return ResourceView(view.type, view.name, view.urn, view.props, deployer)


def test_pass_creator_administers():
    assert outcome(RULE, key(policy(ADMIN, USE))) == "pass"


def test_pass_account_root_delegates_to_iam():
    assert outcome(RULE, key(policy(allow("arn:aws:iam::111111111111:root", "kms:*")))) == "pass"


def test_pass_principal_arn_condition_names_the_creator():
    narrowed = allow("*", "kms:PutKeyPolicy", Condition={"ArnLike": {"aws:PrincipalArn": [ROLE]}})
    assert outcome(RULE, key(policy(narrowed, USE))) == "pass"


def test_pass_no_policy_is_the_default_root_policy():
    assert outcome(RULE, key(None)) == "pass"


def test_fail_creator_left_out():
    assert messages(RULE, key(policy(USE))) == [
        f"{KEY} data: policy does not allow kms:PutKeyPolicy to its creator {ROLE}, so KMS refuses it"
        " (MalformedPolicyDocumentException: the new key policy will not allow you to update the key policy"
        f" in the future); {EXPECTED}"
    ]


def test_fail_creator_denied():
    deny = {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": ROLE}}}  # fmt: skip
    assert messages(RULE, key(policy(ADMIN, deny))) == [
        f"{KEY} data: policy denies kms:PutKeyPolicy to its creator {ROLE}, so KMS refuses it"
        " (MalformedPolicyDocumentException: the new key policy will not allow you to update the key policy"
        f" in the future); {EXPECTED}"
    ]


def test_fail_bypassing_the_check_locks_everyone_out():
    assert messages(RULE, key(policy(USE), bypassPolicyLockoutSafetyCheck=True)) == [
        f"{KEY} data: policy does not allow kms:PutKeyPolicy to its creator {ROLE} and bypasses KMS's lockout"
        f" safety check, so nobody can ever change the policy; {EXPECTED}"
    ]


def test_unknown_creator_needs_someone_allowed():
    default = provider(name="default")
    assert outcome(RULE, key(policy(ADMIN), deployer=default)) == "pass"
    assert messages(RULE, key(policy(USE), deployer=default)) == [
        f"{KEY} data: policy allows kms:PutKeyPolicy to nobody, so KMS refuses it"
        " (MalformedPolicyDocumentException: the new key policy will not allow you to update the key policy"
        f" in the future); {EXPECTED}"
    ]


def test_na_unreadable_policy():
    assert outcome(RULE, key("{not json")) == "n/a"


def test_unknown_policy_in_preview():
    assert outcome(RULE, key(UNKNOWN_STRING_VALUE, preview=True)) == "unknown"
