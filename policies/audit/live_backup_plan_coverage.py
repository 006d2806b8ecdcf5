"""BAK-01 live: a backup plan in the primary region runs at least daily and keeps recovery points at
least the tenant's retention (default 90 days)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.audit._aws import ACCOUNT, BACKUP_PLAN, backup_plans
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.parameters import MIN_BACKUP_RETENTION_DAYS as MIN_RETENTION_DAYS
from policies.schedules import ScheduleError, daily_gap


def _retention(target: AuditTarget) -> int:
    spec: Any = target.spec
    return int(spec.backup.retention_days) if spec is not None else MIN_RETENTION_DAYS


def _rule_problem(rule: dict[str, Any], retention: int) -> str:
    expression = rule.get("ScheduleExpression", "")
    try:
        gap = daily_gap(expression)
    except ScheduleError as error:
        gap = f"has the schedule {expression!r}, which cannot be read ({error})"
    if gap:
        return f"rule {rule.get('RuleName')} {gap}"
    days = (rule.get("Lifecycle") or {}).get("DeleteAfterDays")
    if days is not None and int(days) < retention:
        return f"rule {rule.get('RuleName')} keeps recovery points {days} days"
    return ""


class LiveBackupPlanCoverage(AuditCheck):
    id = "live_backup_plan_coverage"
    description = "A daily backup plan keeps recovery points at least the tenant's retention"
    remediation = (
        "Restore the tenant's backup plan (daily rule, DeleteAfterDays >= retention); or redeploy the tenant"
        " stack."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        region = target.regions[0]
        retention = _retention(target)
        expected = f"a backup rule that runs at least daily and keeps recovery points >= {retention} days"
        plans = backup_plans(target, region)
        if not plans:
            yield AuditFailure(
                ACCOUNT, target.account_id, f"has no backup plan in {region}", expected, region
            )
            return
        good = False
        first = ""
        for plan in plans:
            for rule in plan["BackupPlan"].get("Rules", []):
                problem = _rule_problem(rule, retention)
                good = good or not problem
                first = first or problem
        if not good:
            plan = plans[0]
            yield AuditFailure(
                BACKUP_PLAN,
                plan["BackupPlan"]["BackupPlanName"],
                first or "has no rule",
                expected,
                region,
                plan.get("BackupPlanArn", ""),
            )
