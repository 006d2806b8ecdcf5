from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import ResourceView
from tests.rulekit import messages, outcome, provider, resource, stack, urn

RULE = "shield_subscription_declared"
PROTECTION = "aws:shield/protection:Protection"
SUBSCRIPTION = "aws:shield/subscription:Subscription"
EIP_ARN = "arn:aws:ec2:ap-northeast-1:111111111111:eip-allocation/eipalloc-1"
EXPECTED = (
    "expected an aws:shield/subscription:Subscription declared through the same provider (protect=True, "
    "retain_on_delete=True: a one-year commitment) and listed in the protection's depends_on. [DEP-04]"
)
ROLE = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
TOKYO = provider(assumeRoles=[{"roleArn": ROLE}])
OSAKA = provider("ap-northeast-3", "osaka", assumeRoles=[{"roleArn": ROLE}])


def on(view, tenant_provider=TOKYO, dependencies=()):
    return ResourceView(
        view.type, view.name, view.urn, view.props, tenant_provider, dependencies=tuple(dependencies)
    )


SUB = on(resource(SUBSCRIPTION, "shield-sub", {"autoRenew": "ENABLED"}))


def protection(name="nat-shield", dependencies=(SUB.urn,), tenant_provider=TOKYO):
    return on(resource(PROTECTION, name, {"resourceArn": EIP_ARN}), tenant_provider, dependencies)


def test_pass_protection_after_subscription():
    assert outcome(RULE, stack(SUB, protection())) == "pass"


def test_pass_same_account_through_another_region_provider():
    assert outcome(RULE, stack(SUB, protection(tenant_provider=OSAKA))) == "pass"


def test_fail_no_subscription():
    assert messages(RULE, stack(protection(dependencies=()))) == [
        f"{PROTECTION} nat-shield: has no Shield Advanced subscription in its account, so CreateProtection"
        f" fails with ResourceNotFoundException in a new account; {EXPECTED}"
    ]


def test_fail_not_ordered_after_subscription():
    assert messages(RULE, stack(SUB, protection(dependencies=()))) == [
        f"{PROTECTION} nat-shield: does not depend on the account's Shield Advanced subscription, so it may"
        f" be created first and fail with ResourceNotFoundException; {EXPECTED}"
    ]


def test_fail_subscription_of_another_account():
    other = provider(name="other", assumeRoles=[{"roleArn": ROLE.replace("111111111111", "222222222222")}])
    assert outcome(RULE, stack(SUB, protection(tenant_provider=other))) == "fail"


def test_na_without_protections():
    assert outcome(RULE, stack(SUB)) == "n/a"


def test_unknown_provider_role_in_preview():
    unknown = provider(name="pending", assumeRoles=UNKNOWN_STRING_VALUE)
    assert outcome(RULE, stack(SUB, protection(tenant_provider=unknown))) == "unknown"


def test_urn_helper_names_the_protection():
    assert protection().urn == urn(PROTECTION, "nat-shield")
