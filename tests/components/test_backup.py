"""TenantBackup: locked vaults in both regions, a daily plan copying to Osaka, selection by the tenant tag."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.backup import (
    MANAGED_POLICIES,
    RESTORE_TEST_SCHEDULE,
    RESTORE_TEST_TYPES,
    TenantBackup,
    TenantBackupArgs,
    runs_at_least_daily,
)
from tests.pulumi_mocks import Run, run

ACCOUNT = "222222222222"
TOKYO_KEY = f"arn:aws:kms:ap-northeast-1:{ACCOUNT}:key/tokyo"
OSAKA_KEY = f"arn:aws:kms:ap-northeast-3:{ACCOUNT}:key/osaka"
COMPONENT = "tenant-zone:backup:TenantBackup"


def build(name: str = "acme-prod-backup", **changes: Any) -> Run:
    def program() -> TenantBackup:
        tokyo = aws.Provider("tokyo", region="ap-northeast-1")
        osaka = aws.Provider("osaka", region="ap-northeast-3")
        args = TenantBackupArgs(
            tenant="acme-prod",
            selection_tag_value="acme",
            account_id=ACCOUNT,
            primary_key_arn=TOKYO_KEY,
            secondary_key_arn=OSAKA_KEY,
            primary_provider=tokyo,
            secondary_provider=osaka,
        )
        return TenantBackup(name, replace(args, **changes))

    return run(program)


@pytest.fixture(scope="module")
def backup() -> Run:
    return build()


def test_a_vault_per_region_under_that_regions_key(backup: Run) -> None:
    vaults = {backup.region_of(v): v.inputs for v in backup.of_type("aws:backup/vault:Vault")}
    assert vaults == {
        "ap-northeast-1": {
            "name": "acme-prod-apne1",
            "kmsKeyArn": TOKYO_KEY,
            "forceDestroy": False,
            "tags": {},
        },
        "ap-northeast-3": {
            "name": "acme-prod-apne3",
            "kmsKeyArn": OSAKA_KEY,
            "forceDestroy": False,
            "tags": {},
        },
    }


def test_both_vaults_are_locked_in_compliance_mode(backup: Run) -> None:
    locks = {
        backup.region_of(lock): lock.inputs
        for lock in backup.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
    }
    assert locks == {
        "ap-northeast-1": {
            "backupVaultName": "acme-prod-apne1",
            "changeableForDays": 3.0,
            "minRetentionDays": 7.0,
        },
        "ap-northeast-3": {
            "backupVaultName": "acme-prod-apne3",
            "changeableForDays": 3.0,
            "minRetentionDays": 7.0,
        },
    }


def test_daily_plan_keeps_the_retention_and_copies_to_osaka(backup: Run) -> None:
    plan = backup.one("aws:backup/plan:Plan")
    assert backup.region_of(plan) == "ap-northeast-1"
    (rule,) = plan.inputs["rules"]
    osaka_vault = backup.one("aws:backup/vault:Vault", "acme-prod-backup-secondary")
    assert rule["targetVaultName"] == "acme-prod-apne1"
    assert rule["schedule"] == "cron(0 2 * * ? *)" and rule["scheduleExpressionTimezone"] == "Asia/Tokyo"
    assert rule["lifecycle"] == {"deleteAfter": 90.0}
    assert rule["copyActions"] == [
        {"destinationVaultArn": osaka_vault.outputs["arn"], "lifecycle": {"deleteAfter": 90.0}}
    ]
    assert osaka_vault.outputs["arn"].startswith("arn:aws:backup:ap-northeast-3:")


def test_retention_inputs_reach_the_plan() -> None:
    result = build(retention_days=180, copy_retention_days=365)
    (rule,) = result.one("aws:backup/plan:Plan").inputs["rules"]
    assert rule["lifecycle"] == {"deleteAfter": 180.0}
    assert rule["copyActions"][0]["lifecycle"] == {"deleteAfter": 365.0}


def test_selection_by_tenant_tag_with_the_backup_role(backup: Run) -> None:
    selection = backup.one("aws:backup/selection:Selection")
    role = backup.one("aws:iam/role:Role")
    assert selection.inputs["selectionTags"] == [{"type": "STRINGEQUALS", "key": "tenant", "value": "acme"}]
    assert selection.inputs["planId"] == backup.one("aws:backup/plan:Plan").outputs["id"]
    assert selection.inputs["iamRoleArn"] == role.outputs["arn"]
    assert role.inputs["path"] == "/tenant-zone/service/"
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "backup.amazonaws.com"
    }
    attached = {
        a.inputs["policyArn"] for a in backup.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    }
    assert attached == set(MANAGED_POLICIES)
    assert {a.urn for a in backup.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")} <= set(
        selection.dependencies
    )


def test_children_are_parented_and_named_after_the_component(backup: Run) -> None:
    component = backup.one(COMPONENT)
    children = [
        r for r in backup.resources if r.urn != component.urn and not r.type.startswith("pulumi:providers:")
    ]
    assert len(children) == 2 + 2 + 1 + 1 + 4 + 1 + 1 + len(RESTORE_TEST_TYPES)
    assert all(r.parent == component.urn and r.name.startswith("acme-prod-backup-") for r in children)


@pytest.mark.parametrize(
    ("schedule", "daily"),
    [
        ("cron(0 2 * * ? *)", True),
        ("cron(0 */6 * * ? *)", True),
        ("cron(0 2 ? * MON-FRI *)", False),
        ("cron(0 2 1 * ? *)", False),
        ("rate(1 day)", False),
        ("cron(0 2 * * ?)", False),
    ],
)
def test_daily_schedule_detection(schedule: str, daily: bool) -> None:
    assert runs_at_least_daily(schedule) is daily


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"schedule": "cron(0 2 ? * SUN *)"},
            (
                "TenantBackup b: schedule 'cron(0 2 ? * SUN *)' does not run every day; expected a daily cron"
                " such as 'cron(0 2 * * ? *)'. [BAK-01]"
            ),
        ),
        (
            {"retention_days": 30},
            (
                "TenantBackup b: retention_days 30 keeps backups less than three months; expected at least"
                " 90. [BAK-01]"
            ),
        ),
        (
            {"copy_retention_days": 60},
            (
                "TenantBackup b: copy_retention_days 60 is shorter than retention_days 90; expected at least"
                " 90. [BAK-02]"
            ),
        ),
        (
            {"lock_min_retention_days": 1},
            "TenantBackup b: lock_min_retention_days 1 is below a week; expected at least 7. [BAK-03]",
        ),
        (
            {"lock_changeable_for_days": 0},
            (
                "TenantBackup b: lock_changeable_for_days 0 leaves no compliance-mode grace period; expected"
                " at least 3 (AWS minimum). [BAK-03]"
            ),
        ),
        (
            {"secondary_region": "ap-northeast-1"},
            (
                "TenantBackup b: backup copies would go to ap-northeast-1; expected copies to a vault in"
                " ap-northeast-3. [BAK-02]"
            ),
        ),
        (
            {"primary_region": "us-east-1"},
            (
                "TenantBackup b: primary_region 'us-east-1' is outside Japan; expected ap-northeast-1 or"
                " ap-northeast-3. [RES-01]"
            ),
        ),
    ],
)
def test_bad_inputs_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(pulumi.RunError) as caught:
        build(name="b", **changes)
    assert str(caught.value) == message


def test_restore_testing_plan_tests_the_tokyo_vault_monthly(backup: Run) -> None:
    plan = backup.one("aws:backup/restoreTestingPlan:RestoreTestingPlan")
    assert plan.inputs["scheduleExpression"] == RESTORE_TEST_SCHEDULE
    name = plan.inputs["name"]
    # AWS: 1 to 50 letters, digits and underscores.
    assert 1 <= len(name) <= 50 and name.replace("_", "").isalnum()
    vault = next(v for v in backup.of_type("aws:backup/vault:Vault") if v.name.endswith("-primary"))
    assert vault.urn in plan.dependencies
    selections = backup.of_type("aws:backup/restoreTestingSelection:RestoreTestingSelection")
    assert sorted(s.inputs["protectedResourceType"] for s in selections) == sorted(RESTORE_TEST_TYPES)
    role = backup.one("aws:iam/role:Role")
    assert all(role.urn in s.dependencies and plan.urn in s.dependencies for s in selections)
