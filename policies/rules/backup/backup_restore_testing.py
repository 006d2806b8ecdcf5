"""Backups are tested by restoring them: a restore testing plan covers the backup vaults (BAK-01).

AWS Backup restore testing restores recovery points on a schedule and reports whether each restore
succeeded (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html). A tenant baseline
that backs up into a vault needs a ``aws:backup/restoreTestingPlan`` with a schedule whose
``recoveryPointSelection.includeVaults`` names that vault (or ``*``), and at least one
``aws:backup/restoreTestingSelection`` naming the plan (``restoreTestingPlanName``), since a plan without a
selection restores nothing. Vaults are the ones the stack's backup plans write to (``targetVaultName``).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceView, StackRule, StackView, dig
from policies.rules._common.unknowns import require_known
from policies.rules._common.values import strings, text
from policies.rules._net.common import links_of
from policies.rules._secops.backup import PLAN, VAULT, plan_rules

RESTORE_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan"
RESTORE_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection"
EXPECTED = (
    "a scheduled restore testing plan whose includeVaults names the backup vault, with at least one restore "
    "testing selection"
)


def _target_vaults(stack: StackView) -> list[ResourceView]:
    links = links_of(stack)
    found: list[ResourceView] = []
    for plan in links.of(PLAN):
        for _, rule in plan_rules(plan):
            vault = links.one(plan, "rules", (VAULT,), rule.get("targetVaultName"))
            if vault is not None and vault not in found:
                found.append(vault)
    return found


class BackupRestoreTesting(StackRule):
    id = "backup_restore_testing"
    description = (
        "A restore testing plan, with a selection, regularly restores the recovery points of each backup "
        "vault."
    )
    remediation = (
        "Add aws.backup.RestoreTestingPlan with a schedule_expression and recovery_point_selection."
        "include_vaults = [the vault's ARN], and an aws.backup.RestoreTestingSelection per protected "
        "resource type naming the plan (the TenantBackup component declares both)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        plans = links.of(PLAN)
        vaults = _target_vaults(stack)
        tests = links.of(RESTORE_PLAN)
        if not tests and not vaults:
            # A tenant baseline owes restore tests even before it has a backup plan (backup_plan_daily).
            yield Failure("declares no restore testing plan", EXPECTED, plans[0].urn if plans else None)
            return
        selected = set()
        for selection in links.of(RESTORE_SELECTION):
            target = links.one(selection, "restoreTestingPlanName", (RESTORE_PLAN,))
            if target is not None:
                selected.add(target.urn)
        tested: set[str] = set()
        for test in tests:
            schedule = text(require_known(test.props.get("scheduleExpression"), "scheduleExpression"))
            if not schedule:
                yield Failure("has no scheduleExpression, so it never runs", EXPECTED, test.urn)
                continue
            if test.urn not in selected:
                yield Failure("has no restore testing selection, so it restores nothing", EXPECTED, test.urn)
                continue
            included = dig(test.props, "recoveryPointSelection", "includeVaults")
            require_known(included, "recoveryPointSelection.includeVaults")
            names = strings(included)
            if "*" in names:
                tested.update(v.urn for v in vaults)
                continue
            for vault in vaults:
                if vault.urn in test.property_dependencies.get("recoveryPointSelection", ()) or any(
                    value in names for value in (vault.props.get("arn"), vault.props.get("name"))
                ):
                    tested.add(vault.urn)
        for vault in vaults:
            if vault.urn not in tested:
                yield Failure("receives backups that no restore testing plan restores", EXPECTED, vault.urn)
