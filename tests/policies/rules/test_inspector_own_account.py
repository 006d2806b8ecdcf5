import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import ACCOUNT, OTHER_ACCOUNT, tenant_resource
from tests.rulekit import messages, outcome, resource

RULE = "inspector_own_account"
ENABLER = "aws:inspector2/enabler:Enabler"
TYPES = ["EC2", "ECR", "LAMBDA"]


def test_pass_own_account_listed():
    assert (
        outcome(
            RULE, tenant_resource(ENABLER, "inspector", {"accountIds": [ACCOUNT], "resourceTypes": TYPES})
        )
        == "pass"
    )
    both = {"accountIds": [OTHER_ACCOUNT, ACCOUNT], "resourceTypes": TYPES}
    assert outcome(RULE, tenant_resource(ENABLER, "inspector", both)) == "pass"


def test_fail_only_another_account():
    enabler = tenant_resource(ENABLER, "inspector", {"accountIds": [OTHER_ACCOUNT], "resourceTypes": TYPES})
    assert messages(RULE, enabler) == [
        f"{ENABLER} inspector: accountIds {OTHER_ACCOUNT} leave out account {ACCOUNT}, which the provider"
        f" deploys into; expected accountIds including {ACCOUNT}. [VUL-01]"
    ]


def test_pass_when_the_provider_states_no_account():
    # No assumed role: the account deployed into is not stated, so there is nothing to compare.
    enabler = resource(ENABLER, "inspector", {"accountIds": [OTHER_ACCOUNT], "resourceTypes": TYPES})
    assert outcome(RULE, enabler) == "pass"


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:s3/bucket:Bucket", "b", {}))


def test_unknown_account_in_preview():
    enabler = tenant_resource(ENABLER, "inspector", {"accountIds": [UNKNOWN_STRING_VALUE]}, preview=True)
    assert outcome(RULE, enabler) == "unknown"
