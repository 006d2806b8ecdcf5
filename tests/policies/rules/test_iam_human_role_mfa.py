import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "iam_human_role_mfa"
ROLE = "aws:iam/role:Role"
ADMIN_ACCOUNT = "arn:aws:iam::222222222222:root"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
EXPECTED = (
    "expected Condition Bool aws:MultiFactorAuthPresent true on statements trusting AWS principals "
    "(machine roles: tag role-type=automation and an sts:ExternalId condition). [IAM-02]"
)


def trust(principal, condition=None, action="sts:AssumeRole", sid=None):
    statement = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition is not None:
        statement["Condition"] = condition
    if sid:
        statement["Sid"] = sid
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def role(policy, tags=None, preview=False):
    props = {"assumeRolePolicy": policy}
    if tags is not None:
        props["tags"] = tags
    return resource(ROLE, "operator", props, preview=preview)


@pytest.mark.parametrize(
    "condition",
    [
        MFA,
        {"Bool": {"aws:MultiFactorAuthPresent": True}},
        {"Bool": {"aws:multifactorauthpresent": ["true"]}},
        {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
    ],
)
def test_pass_human_role_with_mfa(condition):
    assert outcome(RULE, role(trust({"AWS": ADMIN_ACCOUNT}, condition))) == "pass"


@pytest.mark.parametrize(
    "principal, action",
    [
        ({"Service": "backup.amazonaws.com"}, "sts:AssumeRole"),
        ({"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]}, ["sts:AssumeRole", "sts:TagSession"]),
        (
            {"Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},
            "sts:AssumeRoleWithWebIdentity",
        ),
        ({"Federated": "arn:aws:iam::111111111111:saml-provider/corp-idp"}, "sts:AssumeRoleWithSAML"),
    ],
)
def test_pass_machine_and_federated_principals(principal, action):
    assert outcome(RULE, role(trust(principal, action=action))) == "pass"


def test_pass_automation_role_with_external_id():
    condition = {"StringEquals": {"sts:ExternalId": "acme-ci-7f3a"}}
    view = role(
        trust({"AWS": "arn:aws:iam::333333333333:role/ci"}, condition), tags={"role-type": "automation"}
    )
    assert outcome(RULE, view) == "pass"


def test_pass_trust_policy_as_dict():
    view = role(
        {
            "Statement": {
                "Effect": "Allow",
                "Principal": {"AWS": ADMIN_ACCOUNT},
                "Action": "sts:AssumeRole",
                "Condition": MFA,
            }
        }
    )
    assert outcome(RULE, view) == "pass"


@pytest.mark.parametrize(
    "principal, shown",
    [
        ({"AWS": ADMIN_ACCOUNT}, ADMIN_ACCOUNT),
        (
            {"AWS": ["111111111111", "arn:aws:iam::111111111111:user/alice"]},
            "111111111111, arn:aws:iam::111111111111:user/alice",
        ),
        ("*", "*"),
    ],
)
def test_fail_aws_principal_without_mfa(principal, shown):
    assert messages(RULE, role(trust(principal, sid="Humans"))) == [
        f"{ROLE} operator: assumeRolePolicy Statement[0] (Sid Humans) lets AWS principal(s) {shown} assume"
        f" the role without MFA; {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "condition",
    [
        {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}},
        {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
        {"Bool": {"aws:MultiFactorAuthPresent": ["true", "false"]}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-123"}},
    ],
)
def test_fail_conditions_that_do_not_require_mfa(condition):
    assert messages(RULE, role(trust({"AWS": ADMIN_ACCOUNT}, condition))) == [
        f"{ROLE} operator: assumeRolePolicy Statement[0] lets AWS principal(s) arn:aws:iam::222222222222:root"
        f" assume the role without MFA; {EXPECTED}"
    ]


@pytest.mark.parametrize("action", ["sts:*", "*", ["sts:AssumeRole", "sts:TagSession"], "STS:assumerole"])
def test_fail_wildcard_and_case_variants_of_assume_role(action):
    assert messages(RULE, role(trust({"AWS": ADMIN_ACCOUNT}, action=action))) == [
        f"{ROLE} operator: assumeRolePolicy Statement[0] lets AWS principal(s) arn:aws:iam::222222222222:root"
        f" assume the role without MFA; {EXPECTED}"
    ]


def test_fail_automation_tag_without_external_id():
    assert messages(RULE, role(trust({"AWS": ADMIN_ACCOUNT}), tags={"role-type": "automation"})) == [
        f"{ROLE} operator: assumeRolePolicy Statement[0] lets AWS principal(s) arn:aws:iam::222222222222:root"
        f" assume the role without MFA; {EXPECTED}"
    ]


@pytest.mark.parametrize("pattern", ["*", "acme-?", "acme-*"])
def test_fail_automation_role_with_a_wildcard_external_id(pattern):
    condition = {"StringLike": {"sts:ExternalId": pattern}}
    view = role(trust({"AWS": ADMIN_ACCOUNT}, condition), tags={"role-type": "automation"})
    assert messages(RULE, view) == [
        f"{ROLE} operator: assumeRolePolicy Statement[0] lets AWS principal(s) arn:aws:iam::222222222222:root"
        f" assume the role without MFA; {EXPECTED}"
    ]


def test_pass_automation_role_with_an_exact_string_like_external_id():
    condition = {"StringLike": {"sts:ExternalId": "acme-ci-7f3a"}}
    view = role(trust({"AWS": ADMIN_ACCOUNT}, condition), tags={"role-type": "automation"})
    assert outcome(RULE, view) == "pass"


def test_fail_automation_role_trusting_any_principal_with_an_external_id():
    condition = {"StringEquals": {"sts:ExternalId": "acme-ci-7f3a"}}
    view = role(trust({"AWS": "*"}, condition), tags={"role-type": "automation"})
    assert messages(RULE, view) == [
        f"{ROLE} operator: assumeRolePolicy Statement[0] lets AWS principal(s) * assume the role without MFA;"
        f" {EXPECTED}"
    ]


def test_fail_external_id_without_automation_tag():
    condition = {"StringEquals": {"sts:ExternalId": "x"}}
    assert messages(RULE, role(trust({"AWS": ADMIN_ACCOUNT}, condition), tags={"role-type": "human"})) == [
        f"{ROLE} operator: assumeRolePolicy Statement[0] lets AWS principal(s) arn:aws:iam::222222222222:root"
        f" assume the role without MFA; {EXPECTED}"
    ]


def test_fail_invalid_trust_policy():
    assert messages(RULE, role("not json")) == [
        f"{ROLE} operator: assumeRolePolicy is not valid JSON (Expecting value); expected a valid trust"
        " policy document. [IAM-02]"
    ]


def test_na_other_types():
    assert outcome(RULE, resource("aws:iam/policy:Policy", "p", {"policy": trust("*")})) == "n/a"


def test_unknown_trust_policy_in_preview():
    assert outcome(RULE, role(UNKNOWN_STRING_VALUE, preview=True)) == "unknown"
