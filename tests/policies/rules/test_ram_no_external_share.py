import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import ACCOUNT, OTHER_ACCOUNT, assumed, build
from tests.rulekit import messages, outcome, resource

RULE = "ram_no_external_share"
SHARE = "aws:ram/resourceShare:ResourceShare"
ASSOCIATION = "aws:ram/principalAssociation:PrincipalAssociation"
SHARE_ARN = f"arn:aws:ram:ap-northeast-1:{ACCOUNT}:resource-share/s1"
EXPECTED = "expected principals only in the tenant's own account. [TEN-02]"


def share(**props):
    return assumed(
        resource(
            SHARE, "share", {"name": "subnets", "allowExternalPrincipals": False, "arn": SHARE_ARN, **props}
        )
    )


def principal(value):
    return assumed(resource(ASSOCIATION, "to", {"resourceShareArn": SHARE_ARN, "principal": value}))


def test_pass_own_account_principal():
    assert outcome(RULE, build([share(), principal(ACCOUNT)])) == "pass"


def test_pass_allow_external_absent_defaults_false():
    assert outcome(RULE, build([share(allowExternalPrincipals=None)])) == "pass"


def test_pass_role_of_own_account():
    assert outcome(RULE, build([share(), principal(f"arn:aws:iam::{ACCOUNT}:role/app")])) == "pass"


@pytest.mark.parametrize("value", [True, "true"])
def test_fail_external_principals_allowed(value):
    assert messages(RULE, build([share(allowExternalPrincipals=value)])) == [
        f"{SHARE} share: allowExternalPrincipals is true; expected allowExternalPrincipals false. [TEN-02]"
    ]


def test_fail_other_account():
    assert messages(RULE, build([share(), principal(OTHER_ACCOUNT)])) == [
        f"{ASSOCIATION} to: shares with account {OTHER_ACCOUNT} ({OTHER_ACCOUNT}), not the stack's own"
        f" account ({ACCOUNT}); {EXPECTED}"
    ]


def test_fail_role_in_other_account():
    role = f"arn:aws:iam::{OTHER_ACCOUNT}:role/app"
    assert messages(RULE, build([share(), principal(role)])) == [
        f"{ASSOCIATION} to: shares with account {OTHER_ACCOUNT} ({role}), not the stack's own account"
        f" ({ACCOUNT}); {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "arn, kind",
    [
        ("arn:aws:organizations::999999999999:organization/o-abc", "an organization"),
        ("arn:aws:organizations::999999999999:ou/o-abc/ou-tenants", "an organizational unit"),
    ],
)
def test_fail_organization_or_ou(arn, kind):
    assert messages(RULE, build([share(), principal(arn)])) == [
        f"{ASSOCIATION} to: shares with {kind} ({arn}), which holds other tenants' accounts; {EXPECTED}"
    ]


def test_na_no_share():
    assert outcome(RULE, build([resource("aws:ec2/vpc:Vpc", "vpc", {})])) == "n/a"


def test_unknown_principal_in_preview():
    view = assumed(resource(ASSOCIATION, "to", {"principal": UNKNOWN_STRING_VALUE}, preview=True))
    assert outcome(RULE, build([share(), view])) == "unknown"


def test_pass_association_without_principal_names_nobody():
    assert outcome(RULE, build([share(), principal(None)])) == "pass"
