import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "patch_baseline_monthly"
BASELINE = "aws:ssm/patchBaseline:PatchBaseline"
WINDOW = "aws:ssm/maintenanceWindow:MaintenanceWindow"
TASK = "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask"


def baseline():
    return resource(
        BASELINE,
        "linux",
        {
            "operatingSystem": "AMAZON_LINUX_2023",
            "approvalRules": [{"approveAfterDays": 7, "patchFilters": []}],
        },
    )


def window(schedule="cron(0 18 ? * SUN#2 *)", name="patch", preview=False, **props):
    return resource(
        WINDOW, name, {"schedule": schedule, "duration": 3, "cutoff": 1, **props}, preview=preview
    )


def task(operation="Install", window_name="patch", **props):
    params = (
        {"runCommandParameters": {"parameters": [{"name": "Operation", "values": [operation]}]}}
        if operation
        else {}
    )
    base = {
        "windowId": "mw-123",
        "taskType": "RUN_COMMAND",
        "taskArn": "AWS-RunPatchBaseline",
        "taskInvocationParameters": params,
    }
    base.update(props)
    return resource(TASK, f"{window_name}-task", base, prop_deps={"windowId": [urn(WINDOW, window_name)]})


def tenant(*resources, name="acme-prod"):
    return stack(*resources, name=name)


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 18 ? * SUN#2 *)",
        "cron(0 3 1 * ? *)",
        "cron(0 3 L * ? *)",
        "rate(7 days)",
        "rate(31 days)",
        "cron(0 3 ? * SAT *)",
    ],
)
def test_pass_monthly_or_more_often(schedule):
    assert outcome(RULE, tenant(baseline(), window(schedule), task())) == "pass"


def test_pass_document_arn_and_list_blocks():
    params = [{"runCommandParameters": [{"parameters": [{"name": "Operation", "values": ["Install"]}]}]}]
    arn = "arn:aws:ssm:ap-northeast-1::document/AWS-RunPatchBaseline"
    assert (
        outcome(
            RULE,
            tenant(baseline(), window(), task(operation=None, taskArn=arn, taskInvocationParameters=params)),
        )
        == "pass"
    )


@pytest.mark.parametrize(
    "schedule, why",
    [
        ("rate(45 days)", "runs every 45 days"),
        ("cron(0 3 1 */3 ? *)", "runs only in months 1,4,7,10"),
        (
            "cron(0 3 31 * ? *)",
            "runs only on day(s) 31 of the month, which February (or a 30-day month) lacks",
        ),
        ("cron(0 3 ? * SUN#5 *)", "runs only on the 5th SUN of a month, which not every month has"),
        ("cron(0 3 1 * ? 2026)", "runs only in year(s) 2026"),
        ("at(2026-01-01T00:00:00)", "runs once (at(...)), not repeatedly"),
        (
            "cron(0 3 1 * *)",
            "cron(...) has 5 fields; AWS cron needs 6 (minutes hours day-of-month month day-of-week year)",
        ),
        ("monthly", "is neither cron(...), rate(...) nor at(...)"),
    ],
)
def test_fail_window_less_than_monthly(schedule, why):
    found = messages(RULE, tenant(baseline(), window(schedule), task()))
    assert (
        found[0] == f"{WINDOW} patch: schedule {schedule!r} {why}; "
        "expected a cron(...) or rate(...) schedule that runs at least once a month. [VUL-02]"
    )
    assert found[1:] == [NO_PATCH_WINDOW]


NO_PATCH_WINDOW = (
    "pulumi:pulumi:Stack tenant-zone-acme-prod: has no enabled, at-least-monthly maintenance window with a"
    " RUN_COMMAND task running AWS-RunPatchBaseline; expected an ssm.MaintenanceWindowTask running"
    " AWS-RunPatchBaseline in a monthly (or more frequent) window. [VUL-02]"
)


def test_fail_no_baseline():
    assert messages(RULE, tenant(window(), task())) == [
        "pulumi:pulumi:Stack tenant-zone-acme-prod: has no SSM patch baseline; expected an ssm.PatchBaseline"
        " for the tenant's instances. [VUL-02]"
    ]


def test_fail_no_task():
    assert messages(RULE, tenant(baseline(), window())) == [NO_PATCH_WINDOW]


def test_fail_task_runs_other_document():
    assert messages(RULE, tenant(baseline(), window(), task(taskArn="AWS-RunShellScript"))) == [
        NO_PATCH_WINDOW
    ]


def test_fail_window_disabled():
    assert messages(RULE, tenant(baseline(), window(enabled=False), task())) == [NO_PATCH_WINDOW]


@pytest.mark.parametrize("operation, shown", [("Scan", "Scan"), (None, "not set")])
def test_fail_scan_only(operation, shown):
    assert messages(RULE, tenant(baseline(), window(), task(operation=operation))) == [
        f"{TASK} patch-task: runs AWS-RunPatchBaseline with Operation {shown} (nothing is installed); "
        "expected parameter Operation Install. [VUL-02]"
    ]


def test_fail_slow_window_in_org_stack():
    assert messages(RULE, stack(window("rate(90 days)"), name="org")) == [
        f"{WINDOW} patch: schedule 'rate(90 days)' runs every 90 days; "
        "expected a cron(...) or rate(...) schedule that runs at least once a month. [VUL-02]"
    ]


def test_pass_org_stack_monthly_window_without_baseline():
    assert outcome(RULE, stack(window(), name="org")) == "pass"


def test_na_org_stack_without_windows():
    assert outcome(RULE, stack(baseline(), name="org")) == "n/a"


def test_unknown_schedule_in_preview():
    assert outcome(RULE, tenant(baseline(), window(UNKNOWN_STRING_VALUE, preview=True), task())) == "unknown"


def test_fail_scan_only_task_in_slow_window_reports_every_problem():
    assert messages(RULE, tenant(baseline(), window("rate(60 days)"), task(operation="Scan"))) == [
        (
            f"{WINDOW} patch: schedule 'rate(60 days)' runs every 60 days; "
            "expected a cron(...) or rate(...) schedule that runs at least once a month. [VUL-02]"
        ),
        (
            f"{TASK} patch-task: runs AWS-RunPatchBaseline with Operation Scan (nothing is installed); "
            "expected parameter Operation Install. [VUL-02]"
        ),
        NO_PATCH_WINDOW,
    ]


@pytest.mark.parametrize("schedule", ["", "  ", None])
def test_fail_window_without_schedule(schedule):
    assert messages(RULE, tenant(baseline(), window(schedule), task())) == [
        (
            f"{WINDOW} patch: has no schedule; "
            "expected a cron(...) or rate(...) schedule that runs at least once a month. [VUL-02]"
        ),
        NO_PATCH_WINDOW,
    ]
