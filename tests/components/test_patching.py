"""Patching: baseline, patch group, monthly window, tag target, RunPatchBaseline; the schedule check."""

from __future__ import annotations

from typing import Any

import pytest

from components.errors import ComponentInputError
from components.patching import (
    Patching,
    PatchingArgs,
    monthly_schedule_problem,
    validate_patching_args,
)
from tests.pulumi_mocks import Run, assert_all_under, run


def build(**overrides: Any) -> Run:
    return run(lambda: Patching("acme-prod-patching", PatchingArgs(**overrides)))


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def test_every_child_is_parented(default: Run) -> None:
    assert_all_under(default, default.one("tenant-zone:patching:Patching").urn)


def test_baseline_approves_security_patches_after_seven_days(default: Run) -> None:
    baseline = default.one("aws:ssm/patchBaseline:PatchBaseline").inputs
    assert baseline["operatingSystem"] == "AMAZON_LINUX_2023"
    [rule] = baseline["approvalRules"]
    assert rule["approveAfterDays"] == 7
    assert rule["complianceLevel"] == "CRITICAL"
    assert rule["patchFilters"] == [{"key": "CLASSIFICATION", "values": ["Security", "Bugfix"]}]
    group = default.one("aws:ssm/patchGroup:PatchGroup").inputs
    assert group == {
        "baselineId": default.one("aws:ssm/patchBaseline:PatchBaseline").outputs["id"],
        "patchGroup": "default",
    }


def test_window_runs_first_sunday_monthly_in_tokyo_time(default: Run) -> None:
    window = default.one("aws:ssm/maintenanceWindow:MaintenanceWindow").inputs
    assert window["schedule"] == "cron(0 3 ? * SUN#1 *)"
    assert window["scheduleTimezone"] == "Asia/Tokyo"
    assert (window["duration"], window["cutoff"]) == (3, 1)
    assert window["allowUnassociatedTargets"] is False
    assert window["enabled"] is True


def test_target_by_tag_and_run_patch_baseline_task(default: Run) -> None:
    window_id = default.one("aws:ssm/maintenanceWindow:MaintenanceWindow").outputs["id"]
    target = default.one("aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget")
    assert target.inputs["windowId"] == window_id
    assert target.inputs["resourceType"] == "INSTANCE"
    assert target.inputs["targets"] == [{"key": "tag:PatchGroup", "values": ["default"]}]
    task = default.one("aws:ssm/maintenanceWindowTask:MaintenanceWindowTask").inputs
    assert task["taskType"] == "RUN_COMMAND"
    assert task["taskArn"] == "AWS-RunPatchBaseline"
    assert task["targets"] == [{"key": "WindowTargetIds", "values": [target.outputs["id"]]}]
    parameters = task["taskInvocationParameters"]["runCommandParameters"]["parameters"]
    assert parameters == [
        {"name": "Operation", "values": ["Install"]},
        {"name": "RebootOption", "values": ["RebootIfNeeded"]},
    ]


def test_inputs_are_reflected() -> None:
    result = build(
        operating_system="WINDOWS", patch_group="web", schedule="cron(30 2 L * ? *)", approve_after_days=3
    )
    baseline = result.one("aws:ssm/patchBaseline:PatchBaseline").inputs
    assert baseline["operatingSystem"] == "WINDOWS"
    assert {f["key"] for f in baseline["approvalRules"][0]["patchFilters"]} == {
        "CLASSIFICATION",
        "MSRC_SEVERITY",
    }
    assert baseline["approvalRules"][0]["approveAfterDays"] == 3
    assert (
        result.one("aws:ssm/maintenanceWindow:MaintenanceWindow").inputs["schedule"] == "cron(30 2 L * ? *)"
    )
    assert result.one("aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget").inputs["targets"][0][
        "values"
    ] == ["web"]


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 3 ? * SUN#1 *)",
        "cron(0 3 ? * SUN#4 *)",
        "cron(0 3 1 * ? *)",
        "cron(0 3 28 * ? *)",
        "cron(0 3 L * ? *)",
        "cron(0 3 15W * ? *)",
        "cron(0 3 ? * 6L *)",
        "cron(0 3 ? * MON-FRI *)",
        "cron(0 3 ? JAN-DEC SAT *)",
        "cron(0 3 ? 1-12 SUN *)",
        "rate(7 days)",
        "rate(31 days)",
        "rate(12 hours)",
    ],
)
def test_monthly_or_more_frequent_schedules_pass(schedule: str) -> None:
    assert monthly_schedule_problem(schedule) is None


@pytest.mark.parametrize(
    ("schedule", "reason"),
    [
        ("cron(0 3 ? * SUN#5 *)", "runs only on the 5th SUN of a month, which not every month has"),
        (
            "cron(0 3 31 * ? *)",
            "runs only on day(s) 31 of the month, which February (or a 30-day month) lacks",
        ),
        (
            "cron(0 3 29-31 * ? *)",
            "runs only on day(s) 29-31 of the month, which February (or a 30-day month) lacks",
        ),
        ("cron(0 3 ? 1 SUN#1 *)", "runs only in months 1"),
        ("cron(0 3 ? 1/2 SUN *)", "runs only in months 1,3,5,7,9,11"),
        ("cron(0 3 ? JAN-JUN SUN *)", "runs only in months 1,2,3,4,5,6"),
        ("cron(0 3 ? NOV-OCT SUN *)", "cron(...) month range 'NOV-OCT' runs backwards"),
        ("cron(0 3 ? * SUN 2030)", "runs only in year(s) 2030"),
        ("cron(0 3 ? * ? *)", "cron(...) must set exactly one of day-of-month and day-of-week to ?"),
        (
            "cron(0 3 * *)",
            "cron(...) has 4 fields; AWS cron needs 6 (minutes hours day-of-month month day-of-week year)",
        ),
        ("rate(40 days)", "runs every 40 days"),
        ("at(2030-01-01T03:00:00)", "runs once (at(...)), not repeatedly"),
    ],
)
def test_schedules_that_skip_a_month_fail(schedule: str, reason: str) -> None:
    assert monthly_schedule_problem(schedule) == reason


PREFIX = "Patching acme-prod-patching: "


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"schedule": "cron(0 3 ? 6 SUN#1 *)"},
            (
                "schedule = 'cron(0 3 ? 6 SUN#1 *)' does not run at least monthly: runs only in months 6;"
                " expected a maintenance window that runs every month, e.g. cron(0 3 ? * SUN#1 *) (first"
                " Sunday 03:00). [VUL-02]"
            ),
        ),
        (
            {"operating_system": "SUSE"},
            (
                "operating_system = 'SUSE' has no approval rules here; expected one of AMAZON_LINUX_2023,"
                " AMAZON_LINUX_2, REDHAT_ENTERPRISE_LINUX, UBUNTU, WINDOWS. [VUL-02]"
            ),
        ),
        (
            {"approve_after_days": 45},
            (
                "approve_after_days = 45 would leave patches unapproved past a monthly window; expected"
                " between 0 and 30 days. [VUL-02]"
            ),
        ),
        (
            {"cutoff_hours": 3},
            (
                "cutoff_hours = 3 leaves no time to patch in a 3-hour window; expected a cutoff of at least 0"
                " and less than duration_hours. [VUL-02]"
            ),
        ),
        (
            {"duration_hours": 25},
            "duration_hours = 25 is out of range; expected between 1 and 24 hours. [VUL-02]",
        ),
        (
            {"compliance_level": "SEVERE"},
            (
                "compliance_level = 'SEVERE' is not an SSM compliance level; expected one of CRITICAL, HIGH,"
                " MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED. [VUL-02]"
            ),
        ),
        (
            {"reboot_option": "Always"},
            (
                "reboot_option = 'Always' is not an AWS-RunPatchBaseline option; expected one of"
                " RebootIfNeeded, NoReboot (NoReboot leaves kernel patches pending). [VUL-02]"
            ),
        ),
    ],
)
def test_validation_errors(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_patching_args("acme-prod-patching", PatchingArgs(**overrides))
    assert str(caught.value) == PREFIX + message


def test_the_component_runs_the_validation() -> None:
    with pytest.raises(ComponentInputError, match="does not run at least monthly"):
        build(schedule="rate(60 days)")


def test_window_and_task_settings_are_reflected() -> None:
    result = build(schedule_timezone="UTC", max_concurrency="2", max_errors="1", tags={"cost-center": "acme"})
    window = result.one("aws:ssm/maintenanceWindow:MaintenanceWindow")
    assert window.inputs["scheduleTimezone"] == "UTC"
    task = result.one("aws:ssm/maintenanceWindowTask:MaintenanceWindowTask").inputs
    assert (task["maxConcurrency"], task["maxErrors"]) == ("2", "1")
    assert window.tags == {"cost-center": "acme"}
    assert result.one("aws:ssm/patchBaseline:PatchBaseline").tags == {"cost-center": "acme"}
