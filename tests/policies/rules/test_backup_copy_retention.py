import pytest
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "backup_copy_retention"
PLAN = "aws:backup/plan:Plan"
OSAKA_VAULT = "arn:aws:backup:ap-northeast-3:111111111111:backup-vault:osaka"


def plan(primary=90, copy=90, preview=False):
    rule = {"ruleName": "daily", "targetVaultName": "tokyo", "schedule": "cron(0 17 * * ? *)"}
    if primary is not None:
        rule["lifecycle"] = {"deleteAfter": primary}
    action = {"destinationVaultArn": OSAKA_VAULT}
    if copy is not None:
        action["lifecycle"] = {"deleteAfter": copy}
    rule["copyActions"] = [action]
    return tenant_resource(PLAN, "backup", {"rules": [rule]}, preview=preview)


def test_pass_copy_kept_as_long_or_longer():
    assert outcome(RULE, plan(90, 90)) == "pass"
    assert outcome(RULE, plan(120, 365)) == "pass"


def test_pass_copy_without_lifecycle_keeps_the_recovery_points():
    assert outcome(RULE, plan(90, None)) == "pass"
    assert outcome(RULE, plan(None, None)) == "pass"


def test_fail_copy_shorter_than_the_recovery_point():
    assert messages(RULE, plan(120, 90)) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[0].lifecycle.deleteAfter is 90 days, shorter than the"
        " 120 days the recovery point is owed; expected lifecycle.deleteAfter >= 120 days for the copy."
        " [BAK-02]"
    ]


def test_fail_copy_shorter_than_the_minimum():
    assert messages(RULE, plan(30, 30)) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[0].lifecycle.deleteAfter is 30 days, shorter than the"
        " 90 days the recovery point is owed; expected lifecycle.deleteAfter >= 90 days for the copy."
        " [BAK-02]"
    ]


def test_fail_copy_expiring_while_the_recovery_point_is_kept_forever():
    assert messages(RULE, plan(None, 365)) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[0].lifecycle.deleteAfter is 365 days while the recovery"
        " point is kept indefinitely; expected no copy lifecycle (the copy keeps the recovery point's), or"
        " no deletion. [BAK-02]"
    ]


def test_fail_unreadable_copy_lifecycle():
    assert messages(RULE, plan(90, "ninety")) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[0].lifecycle.deleteAfter is 'ninety'; expected a number"
        " of days. [BAK-02]"
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:backup/vault:Vault", "v", {}))


def test_unknown_copy_lifecycle_in_preview():
    assert outcome(RULE, plan(90, UNKNOWN_NUMBER_VALUE, preview=True)) == "unknown"
