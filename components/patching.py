"""Patching: an SSM patch baseline and a maintenance window at least monthly (VUL-02).

Instances opt in with the tag ``PatchGroup=<patch_group>`` (the key that
``AWS-RunPatchBaseline`` reads); the window runs ``AWS-RunPatchBaseline``
with ``Install`` on them. The schedule is checked before anything is
declared, by the same reading of AWS schedule expressions the VUL-02 rule uses
(``policies.schedules``): a cron that skips some months (a fixed month, a
31st, a fifth Sunday) or a rate longer than a month is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.errors import InputProblems
from policies.schedules import ScheduleError, monthly_gap

_KIND = "Patching"
CONTROL = "VUL-02"
DEFAULT_SCHEDULE = "cron(0 3 ? * SUN#1 *)"
PATCH_GROUP_TAG = "PatchGroup"

# Approval filters per operating system: security fixes (and bug fixes on
# Linux), whatever their severity, once they are ``approve_after_days`` old.
APPROVAL_FILTERS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "AMAZON_LINUX_2023": {"CLASSIFICATION": ("Security", "Bugfix")},
    "AMAZON_LINUX_2": {"CLASSIFICATION": ("Security", "Bugfix")},
    "REDHAT_ENTERPRISE_LINUX": {"CLASSIFICATION": ("Security", "Bugfix")},
    "UBUNTU": {"PRIORITY": ("Required", "Important", "Standard"), "SECTION": ("*",)},
    "WINDOWS": {
        "CLASSIFICATION": ("CriticalUpdates", "SecurityUpdates"),
        "MSRC_SEVERITY": ("Critical", "Important", "Moderate", "Low", "Unspecified"),
    },
}
REBOOT_OPTIONS: tuple[str, ...] = ("RebootIfNeeded", "NoReboot")
COMPLIANCE_LEVELS: tuple[str, ...] = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED")


def monthly_schedule_problem(schedule: str) -> str | None:
    """None when the maintenance window's schedule fires in every calendar month; else why it does not."""
    try:
        return monthly_gap(schedule)
    except ScheduleError as error:
        return str(error)


@dataclass
class PatchingArgs:
    """Inputs of the patching baseline.

    ``schedule`` is an SSM maintenance window expression interpreted in
    ``schedule_timezone``; the default is the first Sunday of each month at
    03:00 JST.
    """

    operating_system: str = "AMAZON_LINUX_2023"
    approve_after_days: int = 7
    compliance_level: str = "CRITICAL"
    patch_group: str = "default"
    schedule: str = DEFAULT_SCHEDULE
    schedule_timezone: str = "Asia/Tokyo"
    duration_hours: int = 3
    cutoff_hours: int = 1
    max_concurrency: str = "25%"
    max_errors: str = "10%"
    reboot_option: str = "RebootIfNeeded"
    tags: dict[str, str] = field(default_factory=dict)


def validate_patching_args(name: str, args: PatchingArgs) -> None:
    problems = InputProblems(_KIND, name)
    schedule_problem = monthly_schedule_problem(args.schedule)
    if schedule_problem is not None:
        problems.add(
            f"schedule = {args.schedule!r} does not run at least monthly: {schedule_problem}",
            f"a maintenance window that runs every month, e.g. {DEFAULT_SCHEDULE} (first Sunday 03:00)",
            CONTROL,
        )
    if args.operating_system not in APPROVAL_FILTERS:
        problems.add(
            f"operating_system = {args.operating_system!r} has no approval rules here",
            f"one of {', '.join(APPROVAL_FILTERS)}",
            CONTROL,
        )
    if not 0 <= args.approve_after_days <= 30:
        problems.add(
            f"approve_after_days = {args.approve_after_days} would leave patches unapproved past a monthly"
            " window",
            "between 0 and 30 days",
            CONTROL,
        )
    if args.compliance_level not in COMPLIANCE_LEVELS:
        problems.add(
            f"compliance_level = {args.compliance_level!r} is not an SSM compliance level",
            f"one of {', '.join(COMPLIANCE_LEVELS)}",
            CONTROL,
        )
    if not 1 <= args.duration_hours <= 24:
        problems.add(
            f"duration_hours = {args.duration_hours} is out of range", "between 1 and 24 hours", CONTROL
        )
    if not 0 <= args.cutoff_hours < args.duration_hours:
        problems.add(
            f"cutoff_hours = {args.cutoff_hours} leaves no time to patch in a {args.duration_hours}-hour"
            " window",
            "a cutoff of at least 0 and less than duration_hours",
            CONTROL,
        )
    if args.reboot_option not in REBOOT_OPTIONS:
        problems.add(
            f"reboot_option = {args.reboot_option!r} is not an AWS-RunPatchBaseline option",
            f"one of {', '.join(REBOOT_OPTIONS)} (NoReboot leaves kernel patches pending)",
            CONTROL,
        )
    if not re.fullmatch(r"[A-Za-z0-9_.:/=+@ -]{1,256}", args.patch_group):
        problems.add(
            f"patch_group = {args.patch_group!r} is not a valid tag value",
            "1-256 letters, digits, spaces or _.:/=+-@",
            CONTROL,
        )
    problems.raise_if_any()


def approval_filters(operating_system: str) -> list[aws.ssm.PatchBaselineApprovalRulePatchFilterArgs]:
    return [
        aws.ssm.PatchBaselineApprovalRulePatchFilterArgs(key=key, values=list(values))
        for key, values in APPROVAL_FILTERS[operating_system].items()
    ]


class Patching(pulumi.ComponentResource):
    baseline_id: pulumi.Output[str]
    window_id: pulumi.Output[str]
    patch_group: str

    def __init__(self, name: str, args: PatchingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_patching_args(name, args)
        super().__init__("tenant-zone:patching:Patching", name, None, opts)

        baseline = aws.ssm.PatchBaseline(
            f"{name}-baseline",
            description=f"Security patches approved after {args.approve_after_days} days",
            operating_system=args.operating_system,
            approval_rules=[
                aws.ssm.PatchBaselineApprovalRuleArgs(
                    approve_after_days=args.approve_after_days,
                    compliance_level=args.compliance_level,
                    patch_filters=approval_filters(args.operating_system),
                )
            ],
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.ssm.PatchGroup(
            f"{name}-patch-group",
            baseline_id=baseline.id,
            patch_group=args.patch_group,
            opts=pulumi.ResourceOptions(parent=self),
        )
        window = aws.ssm.MaintenanceWindow(
            f"{name}-window",
            schedule=args.schedule,
            schedule_timezone=args.schedule_timezone,
            duration=args.duration_hours,
            cutoff=args.cutoff_hours,
            allow_unassociated_targets=False,
            enabled=True,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        target = aws.ssm.MaintenanceWindowTarget(
            f"{name}-target",
            window_id=window.id,
            resource_type="INSTANCE",
            targets=[
                aws.ssm.MaintenanceWindowTargetTargetArgs(
                    key=f"tag:{PATCH_GROUP_TAG}", values=[args.patch_group]
                )
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.ssm.MaintenanceWindowTask(
            f"{name}-task",
            window_id=window.id,
            task_type="RUN_COMMAND",
            task_arn="AWS-RunPatchBaseline",
            priority=1,
            max_concurrency=args.max_concurrency,
            max_errors=args.max_errors,
            targets=[aws.ssm.MaintenanceWindowTaskTargetArgs(key="WindowTargetIds", values=[target.id])],
            task_invocation_parameters=aws.ssm.MaintenanceWindowTaskTaskInvocationParametersArgs(
                run_command_parameters=aws.ssm.MaintenanceWindowTaskTaskInvocationParametersRunCommandParametersArgs(
                    parameters=[
                        aws.ssm.MaintenanceWindowTaskTaskInvocationParametersRunCommandParametersParameterArgs(
                            name="Operation", values=["Install"]
                        ),
                        aws.ssm.MaintenanceWindowTaskTaskInvocationParametersRunCommandParametersParameterArgs(
                            name="RebootOption", values=[args.reboot_option]
                        ),
                    ]
                )
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.baseline_id = baseline.id
        self.window_id = window.id
        self.patch_group = args.patch_group
        self.register_outputs({"baselineId": self.baseline_id, "windowId": self.window_id})
