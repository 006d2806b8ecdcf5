"""Instances are patched at least monthly by SSM (VUL-02).

A tenant stack needs an SSM patch baseline and an enabled maintenance window
whose schedule fires in every calendar month, with a RUN_COMMAND task running
``AWS-RunPatchBaseline`` with ``Operation`` Install (Scan only reports missing
patches). In any stack, a maintenance window scheduled less often than
monthly, or with a schedule AWS would reject, fails. Schedules are parsed (see
``policies/schedules.py``): ``rate(N days)`` with N <= 31, or a cron that fires
in all twelve months on a day every month has.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list, dig
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.values import is_false
from policies.schedules import ScheduleError, monthly_gap

BASELINE = "aws:ssm/patchBaseline:PatchBaseline"
WINDOW = "aws:ssm/maintenanceWindow:MaintenanceWindow"
TASK = "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask"
PATCH_DOCUMENT = "AWS-RunPatchBaseline"


def _schedule_failure(window: ResourceView) -> Failure | None:
    schedule = window.props.get("schedule")
    expected = "a cron(...) or rate(...) schedule that runs at least once a month"
    if not isinstance(schedule, str) or not schedule.strip():
        return Failure("has no schedule", expected, window.urn)
    try:
        gap = monthly_gap(schedule)
    except ScheduleError as error:
        return Failure(f"schedule {schedule!r} {error}", expected, window.urn)
    return Failure(f"schedule {schedule!r} {gap}", expected, window.urn) if gap else None


def _is_patch_document(task: ResourceView) -> bool:
    arn = task.props.get("taskArn")
    return isinstance(arn, str) and (arn == PATCH_DOCUMENT or arn.endswith(f"document/{PATCH_DOCUMENT}"))


def _operation(task: ResourceView) -> str | None:
    parameters = dig(task.props.get("taskInvocationParameters"), "runCommandParameters", "parameters")
    for parameter in as_list(parameters):
        if isinstance(parameter, Mapping) and parameter.get("name") == "Operation":
            values = as_list(parameter.get("values"))
            return str(values[0]) if values else None
    return None


class PatchBaselineMonthly(StackRule):
    id = "patch_baseline_monthly"
    description = (
        "A tenant stack has an SSM patch baseline and a maintenance window, run at least monthly, with a "
        "task running AWS-RunPatchBaseline (Operation Install); no maintenance window runs less often "
        "than monthly."
    )
    remediation = (
        "Add an ssm.PatchBaseline, an ssm.MaintenanceWindow with a schedule such as cron(0 18 ? * SUN#2 *), "
        "and an ssm.MaintenanceWindowTask (taskType RUN_COMMAND, taskArn AWS-RunPatchBaseline, parameter "
        "Operation Install) for the window."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        windows = list(stack.of_type(WINDOW))
        tenant = not is_org_stack(stack)
        if not tenant and not windows:
            raise NotApplicable("the org stack has no maintenance window")
        good_windows: set[str] = set()
        for window in windows:
            failure = _schedule_failure(window)
            if failure is not None:
                yield failure
            elif not is_false(window.props.get("enabled")):
                good_windows.add(window.urn)
        if not tenant:
            return
        if not any(True for _ in stack.of_type(BASELINE)):
            yield Failure("has no SSM patch baseline", "an ssm.PatchBaseline for the tenant's instances")
        patch_tasks = [
            task
            for task in stack.of_type(TASK)
            if _is_patch_document(task) and str(task.props.get("taskType", "")).upper() == "RUN_COMMAND"
        ]
        scheduled = [
            task
            for task in patch_tasks
            if any(w.urn in good_windows for w in stack.referenced(task, "windowId", WINDOW))
        ]
        if any(str(_operation(task) or "").lower() == "install" for task in scheduled):
            return
        for task in patch_tasks:
            operation = _operation(task)
            if str(operation or "").lower() != "install":
                yield Failure(
                    f"runs {PATCH_DOCUMENT} with Operation {operation or 'not set'} (nothing is installed)",
                    "parameter Operation Install",
                    task.urn,
                )
        if not scheduled:
            yield Failure(
                "has no enabled, at-least-monthly maintenance window with a RUN_COMMAND task running"
                f" {PATCH_DOCUMENT}",
                f"an ssm.MaintenanceWindowTask running {PATCH_DOCUMENT} in a monthly (or more frequent)"
                " window",
            )
