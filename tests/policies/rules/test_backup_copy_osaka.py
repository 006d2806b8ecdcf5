import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_backup import OSAKA_VAULT_ARN, PLAN, VAULT, plan, plan_rule, vault
from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "backup_copy_osaka"
TO_OSAKA = "expected a copyAction to a backup vault in ap-northeast-3. [BAK-02]"


def arn(region):
    return f"arn:aws:backup:{region}:111111111111:backup-vault:acme-prod-copy"


def test_pass_copy_to_osaka():
    assert outcome(RULE, stack(plan(), vault())) == "pass"


def test_pass_osaka_plan_copies_to_tokyo():
    rule = plan_rule(copyActions=[{"destinationVaultArn": arn("ap-northeast-1")}])
    assert outcome(RULE, stack(plan(rule, region="ap-northeast-3"))) == "pass"


def test_pass_single_copy_block_as_object():
    assert (
        outcome(RULE, stack(plan(plan_rule(copyActions={"destinationVaultArn": OSAKA_VAULT_ARN})))) == "pass"
    )


def test_pass_unknown_arn_resolved_through_property_dependencies():
    rule = plan_rule(
        targetVaultName=UNKNOWN_STRING_VALUE, copyActions=[{"destinationVaultArn": UNKNOWN_STRING_VALUE}]
    )
    deps = [urn(VAULT, "backup-tokyo"), urn(VAULT, "backup-osaka")]
    view = stack(plan(rule, preview=True, deps=deps), vault(), vault("osaka", "ap-northeast-3"))
    assert outcome(RULE, view) == "pass"


def test_pass_vault_name_resolved_to_vault():
    rule = plan_rule(copyActions=[{"destinationVaultArn": "acme-prod-osaka"}])
    assert outcome(RULE, stack(plan(rule), vault("osaka", "ap-northeast-3"))) == "pass"


def test_fail_no_copy_action():
    assert messages(RULE, stack(plan(plan_rule(copyActions=None)))) == [
        f"{PLAN} backup: rules[0] (daily) has no copyAction; {TO_OSAKA}"
    ]


def test_fail_copy_only_within_tokyo():
    rule = plan_rule(copyActions=[{"destinationVaultArn": arn("ap-northeast-1")}])
    assert messages(RULE, stack(plan(rule))) == [
        f"{PLAN} backup: rules[0] (daily) copies only to ap-northeast-1; {TO_OSAKA}"
    ]


@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-1"])
def test_fail_copy_outside_japan(region):
    rule = plan_rule(
        copyActions=[{"destinationVaultArn": OSAKA_VAULT_ARN}, {"destinationVaultArn": arn(region)}]
    )
    assert messages(RULE, stack(plan(rule))) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[1] copies to a vault in {region}, outside Japan; "
        "expected copies only to vaults in ap-northeast-1 or ap-northeast-3. [BAK-02]"
    ]


def test_fail_only_copy_outside_japan_reports_once():
    rule = plan_rule(copyActions=[{"destinationVaultArn": arn("eu-west-1")}])
    assert messages(RULE, stack(plan(rule))) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[0] copies to a vault in eu-west-1, outside Japan; "
        "expected copies only to vaults in ap-northeast-1 or ap-northeast-3. [BAK-02]"
    ]


def test_fail_destination_not_resolvable():
    rule = plan_rule(copyActions=[{"destinationVaultArn": "somewhere"}])
    assert messages(RULE, stack(plan(rule))) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[0].destinationVaultArn 'somewhere' names no vault whose"
        " region can be told; expected destinationVaultArn of a backup vault in ap-northeast-3. [BAK-02]"
    ]


def test_fail_unknown_arn_resolved_to_wrong_region():
    rule = plan_rule(copyActions=[{"destinationVaultArn": UNKNOWN_STRING_VALUE}])
    view = stack(
        plan(rule, preview=True, deps=[urn(VAULT, "backup-tokyo"), urn(VAULT, "backup-far")]),
        vault(),
        vault("far", "us-west-2"),
    )
    assert messages(RULE, view) == [
        f"{PLAN} backup: rules[0] (daily) copyActions[0] copies to a vault in us-west-2, outside Japan; "
        "expected copies only to vaults in ap-northeast-1 or ap-northeast-3. [BAK-02]"
    ]


def test_na_no_plan():
    assert outcome(RULE, stack(vault())) == "n/a"


def test_unknown_arn_without_dependencies_in_preview():
    rule = plan_rule(copyActions=[{"destinationVaultArn": UNKNOWN_STRING_VALUE}])
    assert outcome(RULE, stack(plan(rule, preview=True))) == "unknown"


def test_not_applicable_to_unrelated_resources():
    assert outcome(RULE, stack(resource("aws:s3/bucket:Bucket", "b", {}))) == "n/a"
