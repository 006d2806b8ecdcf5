"""TenantBackup: AWS Backup for every resource tagged with the tenant (BAK-01, BAK-02, BAK-03).

A vault in each Japanese region under that region's tenant key, each locked in compliance mode (after the
grace period nobody, root included, can shorten retention or delete recovery points early), a daily plan kept
``retention_days`` in Tokyo with a copy kept ``copy_retention_days`` in Osaka, a selection of every
supported resource carrying the tenant's ``tenant`` tag, and a restore testing plan that restores the latest
recovery points of the Tokyo vault every month, so a backup is known to restore before it is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.checks import regions_in_japan
from components.errors import InputProblems
from components.naming import SERVICE_ROLE_PATH, region_code
from components.policy_documents import service_trust_policy
from policies.parameters import (
    MIN_BACKUP_RETENTION_DAYS,
    MIN_VAULT_LOCK_RETENTION_DAYS,
    PRIMARY_REGION,
    SECONDARY_REGION,
)
from policies.schedules import Cron, ScheduleError, daily_gap
from policies.schedules import parse as parse_schedule

_KIND = "TenantBackup"
# 02:00 in Tokyo, outside business hours; the plan's time zone makes the expression read in local time.
DAILY_SCHEDULE = "cron(0 2 * * ? *)"
SCHEDULE_TIMEZONE = "Asia/Tokyo"
# Restore tests: the first Saturday of each month, of recovery points from the last RESTORE_WINDOW_DAYS.
RESTORE_TEST_SCHEDULE = "cron(0 5 ? * 7#1 *)"
RESTORE_WINDOW_DAYS = 7
# What the baseline's selection backs up (the tenant's data buckets), as restore testing names it.
RESTORE_TEST_TYPES: tuple[str, ...] = ("S3",)
MANAGED_POLICIES: tuple[str, ...] = (
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
)


def runs_at_least_daily(schedule: str) -> bool:
    """True for a cron expression that fires every day, read as the BAK-01 rule reads it
    (``policies.schedules``).

    AWS Backup plans take cron expressions only, so a rate is refused here even when it is frequent enough.
    https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html
    """
    try:
        return isinstance(parse_schedule(schedule), Cron) and daily_gap(schedule) is None
    except ScheduleError:
        return False


@dataclass
class TenantBackupArgs:
    """Inputs of the tenant backup. ``tenant`` is the stack name (``acme-prod``) used in vault and plan names;
    ``selection_tag_value`` is the value of the ``tenant`` tag on the resources to back up (the tenant ID)."""

    tenant: str
    selection_tag_value: str
    account_id: pulumi.Input[str]
    primary_key_arn: pulumi.Input[str]
    secondary_key_arn: pulumi.Input[str]
    primary_provider: pulumi.ProviderResource | None = None
    secondary_provider: pulumi.ProviderResource | None = None
    primary_region: str = PRIMARY_REGION
    secondary_region: str = SECONDARY_REGION
    retention_days: int = MIN_BACKUP_RETENTION_DAYS
    copy_retention_days: int | None = None  # defaults to retention_days
    schedule: str = DAILY_SCHEDULE
    lock_min_retention_days: int = MIN_VAULT_LOCK_RETENTION_DAYS
    lock_changeable_for_days: int = 3  # the grace period before the lock becomes immutable (AWS minimum: 3)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def effective_copy_retention_days(self) -> int:
        return self.copy_retention_days if self.copy_retention_days is not None else self.retention_days


def validate_backup_args(name: str, args: TenantBackupArgs) -> None:
    problems = InputProblems(_KIND, name)
    if not runs_at_least_daily(args.schedule):
        problems.add(
            f"schedule {args.schedule!r} does not run every day",
            "a daily cron such as 'cron(0 2 * * ? *)'",
            "BAK-01",
        )
    if args.lock_min_retention_days < MIN_VAULT_LOCK_RETENTION_DAYS:
        problems.add(
            f"lock_min_retention_days {args.lock_min_retention_days} is below a week",
            f"at least {MIN_VAULT_LOCK_RETENTION_DAYS}",
            "BAK-03",
        )
    if args.lock_changeable_for_days < 3:
        problems.add(
            f"lock_changeable_for_days {args.lock_changeable_for_days} leaves no compliance-mode grace"
            " period",
            "at least 3 (AWS minimum)",
            "BAK-03",
        )
    if args.retention_days < MIN_BACKUP_RETENTION_DAYS:
        problems.add(
            f"retention_days {args.retention_days} keeps backups less than three months",
            f"at least {MIN_BACKUP_RETENTION_DAYS}",
            "BAK-01",
        )
    for label, days in (
        ("retention_days", args.retention_days),
        ("copy_retention_days", args.effective_copy_retention_days),
    ):
        if days < args.lock_min_retention_days:
            problems.add(
                f"{label} {days} is shorter than the vault lock's minimum retention of"
                f" {args.lock_min_retention_days} days",
                f"at least {args.lock_min_retention_days}",
                "BAK-03",
            )
    if args.effective_copy_retention_days < args.retention_days:
        problems.add(
            f"copy_retention_days {args.effective_copy_retention_days} is shorter than retention_days"
            f" {args.retention_days}",
            f"at least {args.retention_days}",
            "BAK-02",
        )
    in_japan = regions_in_japan(
        problems, primary_region=args.primary_region, secondary_region=args.secondary_region
    )
    if in_japan and (
        args.secondary_region != SECONDARY_REGION or args.primary_region == args.secondary_region
    ):
        problems.add(
            f"backup copies would go to {args.secondary_region}",
            f"copies to a vault in {SECONDARY_REGION}",
            "BAK-02",
        )
    problems.raise_if_any()


class TenantBackup(pulumi.ComponentResource):
    """Locked vaults in Tokyo and Osaka, a daily plan with a copy to Osaka, selection by the tenant tag."""

    primary_vault: aws.backup.Vault
    secondary_vault: aws.backup.Vault
    plan: aws.backup.Plan
    restore_testing_plan: aws.backup.RestoreTestingPlan

    def __init__(self, name: str, args: TenantBackupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_backup_args(name, args)
        super().__init__("tenant-zone:backup:TenantBackup", name, None, opts)
        primary = pulumi.ResourceOptions(parent=self, provider=args.primary_provider)
        secondary = pulumi.ResourceOptions(parent=self, provider=args.secondary_provider)

        self.primary_vault = self._locked_vault(
            name, "primary", args.primary_region, args.primary_key_arn, args, primary
        )
        self.secondary_vault = self._locked_vault(
            name, "secondary", args.secondary_region, args.secondary_key_arn, args, secondary
        )

        self.plan = aws.backup.Plan(
            f"{name}-plan",
            name=f"{args.tenant}-daily",
            rules=[
                aws.backup.PlanRuleArgs(
                    rule_name="daily",
                    target_vault_name=self.primary_vault.name,
                    schedule=args.schedule,
                    schedule_expression_timezone=SCHEDULE_TIMEZONE,
                    start_window=60,
                    completion_window=360,
                    lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=args.retention_days),
                    copy_actions=[
                        aws.backup.PlanRuleCopyActionArgs(
                            destination_vault_arn=self.secondary_vault.arn,
                            lifecycle=aws.backup.PlanRuleCopyActionLifecycleArgs(
                                delete_after=args.effective_copy_retention_days
                            ),
                        )
                    ],
                    recovery_point_tags={**args.tags, "tenant": args.selection_tag_value},
                )
            ],
            tags=args.tags,
            opts=primary,
        )

        role = aws.iam.Role(
            f"{name}-role",
            path=SERVICE_ROLE_PATH,
            description=f"AWS Backup for {args.tenant}",
            assume_role_policy=pulumi.Output.from_input(args.account_id).apply(
                lambda account: json.dumps(service_trust_policy("backup.amazonaws.com", account))
            ),
            tags=args.tags,
            opts=primary,
        )
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-role-{arn.rsplit('/', 1)[-1]}", role=role.name, policy_arn=arn, opts=primary
            )
            for arn in MANAGED_POLICIES
        ]
        aws.backup.Selection(
            f"{name}-selection",
            name=f"{args.tenant}-tagged",
            plan_id=self.plan.id,
            iam_role_arn=role.arn,
            selection_tags=[
                aws.backup.SelectionSelectionTagArgs(
                    type="STRINGEQUALS", key="tenant", value=args.selection_tag_value
                )
            ],
            opts=pulumi.ResourceOptions.merge(primary, pulumi.ResourceOptions(depends_on=attachments)),
        )

        self.restore_testing_plan = self._restore_testing(name, args, role, primary)

        self.register_outputs(
            {
                "primaryVaultArn": self.primary_vault.arn,
                "secondaryVaultArn": self.secondary_vault.arn,
                "planId": self.plan.id,
            }
        )

    def _restore_testing(
        self, name: str, args: TenantBackupArgs, role: aws.iam.Role, opts: pulumi.ResourceOptions
    ) -> aws.backup.RestoreTestingPlan:
        """A monthly restore test of the Tokyo vault's latest recovery points. AWS allows plan names of 1 to
        50 letters, digits and underscores, selection windows of 1 to 365 days and start windows of 1 to 168
        hours (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateRestoreTestingPlan.html); the
        backup role restores (it holds the restore policies), and each selection names one resource type
        (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForCreate.html)."""
        plan_name = "".join(c if c.isalnum() else "_" for c in f"{args.tenant}_restore_test")[:50]
        plan = aws.backup.RestoreTestingPlan(
            f"{name}-restore-test",
            name=plan_name,
            schedule_expression=RESTORE_TEST_SCHEDULE,
            schedule_expression_timezone=SCHEDULE_TIMEZONE,
            start_window_hours=24,
            recovery_point_selection=aws.backup.RestoreTestingPlanRecoveryPointSelectionArgs(
                algorithm="LATEST_WITHIN_WINDOW",
                include_vaults=[self.primary_vault.arn],
                recovery_point_types=["SNAPSHOT"],
                selection_window_days=RESTORE_WINDOW_DAYS,
            ),
            tags=args.tags,
            opts=opts,
        )
        for resource_type in RESTORE_TEST_TYPES:
            aws.backup.RestoreTestingSelection(
                f"{name}-restore-test-{resource_type.lower()}",
                name=f"{plan_name[:40]}_{resource_type.lower()}",
                restore_testing_plan_name=plan.name,
                protected_resource_type=resource_type,
                protected_resource_arns=["*"],
                iam_role_arn=role.arn,
                validation_window_hours=1,
                opts=opts,
            )
        return plan

    def _locked_vault(
        self,
        name: str,
        role: str,
        region: str,
        key_arn: pulumi.Input[str],
        args: TenantBackupArgs,
        opts: pulumi.ResourceOptions,
    ) -> aws.backup.Vault:
        vault = aws.backup.Vault(
            f"{name}-{role}",
            name=f"{args.tenant}-{region_code(region)}",
            kms_key_arn=key_arn,
            force_destroy=False,
            tags=args.tags,
            opts=opts,
        )
        aws.backup.VaultLockConfiguration(
            f"{name}-{role}-lock",
            backup_vault_name=vault.name,
            # Set: compliance mode, immutable after the grace period.
            changeable_for_days=args.lock_changeable_for_days,
            min_retention_days=args.lock_min_retention_days,
            opts=opts,
        )
        return vault
