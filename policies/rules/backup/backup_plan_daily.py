"""Backup plan rules run at least daily and keep recovery points at least BAK-01's minimum retention (BAK-01).

RPO 24 h: each rule's schedule must fire every day (a cron over every day of every month, or a rate of at most
24 hours). A rule without ``schedule`` gets AWS Backup's default, ``cron(0 5 ? * * *)`` (daily), and passes.
Retention: ``lifecycle.deleteAfter`` of at least that minimum (its catalog parameter ``minRetentionDays``),
the tenant default; unset means recovery points are never deleted, which passes. A tenant with a longer
retention is held to it by the tenant specification's validation, not here."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, dig
from policies.parameters import MIN_BACKUP_RETENTION_DAYS
from policies.rules._common.values import number, shown_number
from policies.rules._secops.backup import PLAN, plan_rules
from policies.schedules import ScheduleError, daily_gap


class BackupPlanDaily(ResourceRule):
    id = "backup_plan_daily"
    resource_types = frozenset({PLAN})
    description = (
        "Every AWS Backup plan rule runs at least daily and keeps recovery points at least"
        f" {MIN_BACKUP_RETENTION_DAYS} days."
    )
    remediation = (
        "Give each plan rule a daily schedule such as cron(0 17 * * ? *) and lifecycle.deleteAfter of"
        f" {MIN_BACKUP_RETENTION_DAYS} days or more (or the tenant's longer retention)."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        rules = plan_rules(resource)
        if not rules:
            yield Failure("has no rules", "at least one rule backing up daily")
        for label, rule in rules:
            schedule = rule.get("schedule")
            if schedule is not None:
                expected = "a schedule that runs at least daily (RPO 24 h)"
                if not isinstance(schedule, str):
                    yield Failure(f"{label} schedule is {schedule!r}", expected)
                else:
                    try:
                        gap = daily_gap(schedule)
                    except ScheduleError as error:
                        gap = str(error)
                    if gap:
                        yield Failure(f"{label} schedule {schedule!r} {gap}", expected)
            raw = dig(rule, "lifecycle", "deleteAfter")
            days = number(raw)
            if raw is not None and (days is None or days < MIN_BACKUP_RETENTION_DAYS):
                shown = shown_number(days) if days is not None else repr(raw)
                yield Failure(
                    f"{label} lifecycle.deleteAfter is {shown} days",
                    f"lifecycle.deleteAfter >= {MIN_BACKUP_RETENTION_DAYS} days",
                )
