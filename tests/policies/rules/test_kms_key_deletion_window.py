import pytest
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from tests.policies.rules._fixtures_data import KEY, tenant_resource
from tests.rulekit import messages, outcome

RULE = "kms_key_deletion_window"


@pytest.mark.parametrize(
    "props", [{"deletionWindowInDays": 30}, {"deletionWindowInDays": 30.0}, {"deletionWindowInDays": "30"}]
)
def test_pass_thirty_days(props):
    assert outcome(RULE, tenant_resource(KEY, "data", props)) == "pass"


def test_pass_absent_is_aws_default_thirty():
    assert outcome(RULE, tenant_resource(KEY, "data", {})) == "pass"


@pytest.mark.parametrize(
    "resource_type",
    [
        "aws:kms/key:Key",
        "aws:kms/replicaKey:ReplicaKey",
        "aws:kms/externalKey:ExternalKey",
        "aws:kms/replicaExternalKey:ReplicaExternalKey",
    ],
)
def test_fail_short_window(resource_type):
    assert messages(RULE, tenant_resource(resource_type, "k", {"deletionWindowInDays": 7.0})) == [
        f"{resource_type} k: deletionWindowInDays is 7; expected deletionWindowInDays 30. [ENC-02]"
    ]


def test_fail_non_number():
    assert messages(RULE, tenant_resource(KEY, "k", {"deletionWindowInDays": "a month"})) == [
        f'{KEY} k: deletionWindowInDays is "a month"; expected deletionWindowInDays 30. [ENC-02]'
    ]


def test_na_alias():
    assert outcome(RULE, tenant_resource("aws:kms/alias:Alias", "a", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(RULE, tenant_resource(KEY, "k", {"deletionWindowInDays": UNKNOWN_NUMBER_VALUE}, preview=True))
        == "unknown"
    )
