import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import ACCOUNT, OTHER_ACCOUNT, tenant_resource
from tests.rulekit import messages, outcome, resource, stack

RULE = "inspector_own_account"
ENABLER = "aws:inspector2/enabler:Enabler"
TYPES = ["EC2", "ECR", "LAMBDA"]


def enabler(name: str, accounts: list[str], region: str = "ap-northeast-1", **kwargs: object):
    props = {"accountIds": accounts, "resourceTypes": TYPES}
    return tenant_resource(ENABLER, name, props, region=region, **kwargs)  # type: ignore[arg-type]


def test_pass_own_account_listed():
    assert outcome(RULE, stack(enabler("inspector", [ACCOUNT]))) == "pass"
    assert outcome(RULE, stack(enabler("inspector", [OTHER_ACCOUNT, ACCOUNT]))) == "pass"


def test_fail_only_another_account():
    assert messages(RULE, stack(enabler("inspector", [OTHER_ACCOUNT]))) == [
        f"{ENABLER} inspector: accountIds {OTHER_ACCOUNT} leave out account {ACCOUNT}, which the provider"
        f" deploys into; expected accountIds including {ACCOUNT}. [VUL-01]"
    ]


def test_pass_when_another_enabler_of_the_account_and_region_lists_it():
    # a delegated administrator activating members in batches of at most 100: one batch names itself
    first, second = enabler("members-1", [ACCOUNT, "111111111111"]), enabler("members-2", [OTHER_ACCOUNT])
    assert outcome(RULE, stack(first, second)) == "pass"


def test_fail_when_the_enabler_listing_it_is_in_another_region():
    osaka = enabler("members-1", [ACCOUNT], region="ap-northeast-3")
    tokyo = enabler("members-2", [OTHER_ACCOUNT])
    assert messages(RULE, stack(osaka, tokyo)) == [
        f"{ENABLER} members-2: accountIds {OTHER_ACCOUNT} leave out account {ACCOUNT}, which the provider"
        f" deploys into; expected accountIds including {ACCOUNT}. [VUL-01]"
    ]


def test_pass_when_the_provider_states_no_account():
    # No assumed role: the account deployed into is not stated, so there is nothing to compare.
    plain = resource(ENABLER, "inspector", {"accountIds": [OTHER_ACCOUNT], "resourceTypes": TYPES})
    assert outcome(RULE, stack(plain)) == "pass"


def test_na_without_an_enabler():
    with pytest.raises(NotApplicable):
        messages(RULE, stack(tenant_resource("aws:s3/bucket:Bucket", "b", {})))


def test_unknown_account_in_preview():
    unknown = tenant_resource(ENABLER, "inspector", {"accountIds": [UNKNOWN_STRING_VALUE]}, preview=True)
    assert outcome(RULE, stack(unknown)) == "unknown"
