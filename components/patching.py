"""Patching: an SSM patch baseline and a maintenance window at least monthly (VUL-02).

Instances opt in with the tag ``PatchGroup=<patch_group>`` (the key that
``AWS-RunPatchBaseline`` reads); the window runs ``AWS-RunPatchBaseline``
with ``Install`` on them. The schedule is checked before anything is
declared: a cron that skips some months (a fixed month, a 31st, a fifth
Sunday) or a rate longer than a month is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.errors import InputProblems

_KIND = "Patching"
CONTROL = "VUL-02"
DEFAULT_SCHEDULE = "cron(0 3 ? * SUN#1 *)"
PATCH_GROUP_TAG = "PatchGroup"
MAX_INTERVAL_DAYS = 31

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

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    )
}
_DAYS_OF_WEEK = {d: i + 1 for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)\Z")
_CRON = re.compile(r"^cron\((.+)\)\Z")


class ScheduleError(ValueError):
    """The schedule does not run at least once a month (the reason is the message)."""


def _values(field_text: str, names: Mapping[str, int], low: int, high: int) -> set[int]:
    """The set of values a cron field (list, range, step, names) selects."""
    selected: set[int] = set()
    for part in field_text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) < 1:
                raise ScheduleError(f"step '{step_text}' is not a positive number")
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _number(a, names), _number(b, names)
        else:
            start = _number(part, names)
            end = high if step > 1 else start
        if not (low <= start <= high and low <= end <= high):
            raise ScheduleError(f"'{part}' is outside {low}-{high}")
        if start <= end:
            selected.update(range(start, end + 1, step))
        else:  # wrap-around range such as FRI-MON or NOV-FEB
            selected.update(
                v for i, v in enumerate([*range(start, high + 1), *range(low, end + 1)]) if i % step == 0
            )
    return selected


def _number(text: str, names: Mapping[str, int]) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if text.isdigit():
        return int(text)
    raise ScheduleError(f"'{text}' is not a number or a name")


def _day_of_month_every_month(field_text: str) -> bool:
    """Whether the day-of-month field matches at least one day in every month (February has 28)."""
    for part in field_text.split(","):
        if part in ("*", "L", "LW") or re.fullmatch(r"L-\d+", part) and int(part[2:]) <= 27:
            return True
        if part.endswith("W") and part[:-1].isdigit():
            if 1 <= int(part[:-1]) <= 28:
                return True
            continue
        if any(day <= 28 for day in _values(part, {}, 1, 31)):
            return True
    return False


def _day_of_week_every_month(field_text: str) -> bool:
    """Whether the day-of-week field matches at least one day in every month."""
    for part in field_text.split(","):
        if "#" in part:
            day, nth = part.split("#", 1)
            _number(day, _DAYS_OF_WEEK)
            # Every month has at least four of each weekday, not always a fifth.
            if nth.isdigit() and 1 <= int(nth) <= 4:
                return True
            continue
        if part.endswith("L") and part[:-1]:
            _number(part[:-1], _DAYS_OF_WEEK)
            return True
        if _values(part, _DAYS_OF_WEEK, 1, 7):
            return True
    return False


def check_monthly_schedule(schedule: str) -> None:
    """Raise ``ScheduleError`` unless the maintenance window schedule runs at least monthly."""
    rate = _RATE.match(schedule)
    if rate:
        amount, unit = int(rate.group(1)), rate.group(2)
        days = (
            amount / (24 * 60)
            if unit.startswith("minute")
            else amount / 24
            if unit.startswith("hour")
            else amount
        )
        if amount < 1:
            raise ScheduleError("the rate is zero")
        if days > MAX_INTERVAL_DAYS:
            raise ScheduleError(f"it runs every {amount} {unit}, more than {MAX_INTERVAL_DAYS} days apart")
        return
    cron = _CRON.match(schedule)
    if not cron:
        raise ScheduleError(
            "it is neither cron(...) nor rate(...)"
            + (" (at() runs once)" if schedule.startswith("at(") else "")
        )
    fields = cron.group(1).split()
    if len(fields) != 6:
        raise ScheduleError(
            f"the cron expression has {len(fields)} fields, not 6 (minutes hours day-of-month month day-of-week year)"
        )
    _minutes, _hours, day_of_month, month, day_of_week, year = fields
    if year != "*":
        raise ScheduleError(f"the year field '{year}' limits it to some years")
    months = _values(month, _MONTHS, 1, 12)
    if months != set(range(1, 13)):
        raise ScheduleError(f"the month field '{month}' skips some months")
    if day_of_month == "?" and day_of_week == "?":
        raise ScheduleError("day-of-month and day-of-week are both '?'")
    if day_of_month != "?" and not _day_of_month_every_month(day_of_month):
        raise ScheduleError(f"the day-of-month field '{day_of_month}' skips short months")
    if day_of_week != "?" and not _day_of_week_every_month(day_of_week):
        raise ScheduleError(f"the day-of-week field '{day_of_week}' skips some months")


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
    try:
        check_monthly_schedule(args.schedule)
    except ScheduleError as error:
        problems.add(
            f"schedule = {args.schedule!r} does not run at least monthly: {error}",
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
            f"approve_after_days = {args.approve_after_days} would leave patches unapproved past a monthly window",
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
            f"cutoff_hours = {args.cutoff_hours} leaves no time to patch in a {args.duration_hours}-hour window",
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
