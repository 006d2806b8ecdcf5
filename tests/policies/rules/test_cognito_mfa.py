import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "cognito_mfa"
POOL = "aws:cognito/userPool:UserPool"
MFA_EXPECTED = "expected mfaConfiguration ON (a second factor for every user). [IAM-04]"
ADAPTIVE_EXPECTED = (
    "expected advancedSecurityMode ENFORCED (adaptive authentication blocks suspicious sign-ins). [IAM-04]"
)
GOOD = {
    "mfaConfiguration": "ON",
    "softwareTokenMfaConfiguration": {"enabled": True},
    "userPoolAddOns": {"advancedSecurityMode": "ENFORCED"},
}


def pool(**changes):
    props = {**GOOD, **changes}
    return tenant_resource(POOL, "users", {k: v for k, v in props.items() if v is not None})


def test_pass_mfa_on_and_adaptive_authentication_enforced():
    assert outcome(RULE, pool()) == "pass"


@pytest.mark.parametrize("value, shown", [("OPTIONAL", "OPTIONAL"), ("OFF", "OFF"), (None, "not set (OFF)")])
def test_fail_mfa_not_required(value, shown):
    assert messages(RULE, pool(mfaConfiguration=value)) == [
        f"{POOL} users: mfaConfiguration is {shown}; {MFA_EXPECTED}"
    ]


@pytest.mark.parametrize(
    "add_ons, shown", [({"advancedSecurityMode": "AUDIT"}, "AUDIT"), (None, "not set (OFF)")]
)
def test_fail_adaptive_authentication_not_enforced(add_ons, shown):
    assert messages(RULE, pool(userPoolAddOns=add_ons)) == [
        f"{POOL} users: userPoolAddOns.advancedSecurityMode is {shown}; {ADAPTIVE_EXPECTED}"
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:cognito/userPoolClient:UserPoolClient", "client", {}))


def test_unknown_in_preview():
    resource = tenant_resource(
        POOL, "users", {**GOOD, "mfaConfiguration": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, resource) == "unknown"
