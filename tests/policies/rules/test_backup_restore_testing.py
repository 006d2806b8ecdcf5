from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_backup import plan, vault
from tests.rulekit import messages, outcome, resource, stack

RULE = "backup_restore_testing"
RESTORE_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan"
RESTORE_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection"
VAULT = "aws:backup/vault:Vault"
TOKYO_VAULT_ARN = "arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-prod-tokyo"
EXPECTED = (
    "expected a scheduled restore testing plan whose includeVaults names the backup vault, with at least one "
    "restore testing selection. [BAK-01]"
)


def restore_plan(preview=False, **overrides):
    props = {
        "name": "acme_restore_test",
        "scheduleExpression": "cron(0 5 ? * 7#1 *)",
        "recoveryPointSelection": {
            "algorithm": "LATEST_WITHIN_WINDOW",
            "includeVaults": [TOKYO_VAULT_ARN],
            "recoveryPointTypes": ["SNAPSHOT"],
            "selectionWindowDays": 7,
        },
    }
    props.update(overrides)
    return resource(
        RESTORE_PLAN, "restore-test", {k: v for k, v in props.items() if v is not None}, preview=preview
    )


def restore_selection(plan_name="acme_restore_test"):
    return resource(
        RESTORE_SELECTION,
        "restore-test-s3",
        {
            "name": "acme_restore_test_s3",
            "restoreTestingPlanName": plan_name,
            "protectedResourceType": "S3",
            "protectedResourceArns": ["*"],
            "iamRoleArn": "arn:aws:iam::111111111111:role/backup",
        },
    )


def baseline(*extra):
    return stack(plan(), vault("tokyo"), vault("osaka", "ap-northeast-3"), *extra)


def test_pass_compliant_baseline():
    assert outcome(RULE, baseline(restore_plan(), restore_selection())) == "pass"


def test_pass_all_vaults_wildcard():
    test = restore_plan(recoveryPointSelection={"algorithm": "LATEST_WITHIN_WINDOW", "includeVaults": ["*"]})
    assert outcome(RULE, baseline(test, restore_selection())) == "pass"


def test_fail_no_restore_testing_plan():
    assert messages(RULE, baseline()) == [
        f"{VAULT} backup-tokyo: receives backups that no restore testing plan restores; {EXPECTED}"
    ]


def test_fail_plan_without_selection():
    assert messages(RULE, baseline(restore_plan())) == [
        f"{RESTORE_PLAN} restore-test: has no restore testing selection, so it restores nothing; {EXPECTED}",
        f"{VAULT} backup-tokyo: receives backups that no restore testing plan restores; {EXPECTED}",
    ]


def test_fail_plan_testing_another_vault():
    test = restore_plan(
        recoveryPointSelection={"includeVaults": ["arn:aws:backup:ap-northeast-1:1:backup-vault:x"]}
    )
    assert messages(RULE, baseline(test, restore_selection())) == [
        f"{VAULT} backup-tokyo: receives backups that no restore testing plan restores; {EXPECTED}"
    ]


def test_fail_tenant_stack_without_backup_plan_or_restore_tests():
    assert messages(RULE, stack(vault("tokyo"))) == [
        f"pulumi:pulumi:Stack tenant-zone-acme-prod: declares no restore testing plan; {EXPECTED}"
    ]


def test_na_outside_tenant_baselines():
    from policies.catalog import control_for_rule

    assert control_for_rule(RULE).scope(RULE) == {"tenant"}


def test_unknown_included_vaults_in_preview():
    test = restore_plan(preview=True, recoveryPointSelection={"includeVaults": UNKNOWN_STRING_VALUE})
    assert outcome(RULE, baseline(test, restore_selection())) == "unknown"
