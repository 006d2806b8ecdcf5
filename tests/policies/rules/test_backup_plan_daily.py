import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_backup import PLAN, plan, plan_rule
from tests.rulekit import messages, outcome, resource

RULE = "backup_plan_daily"
DAILY = "expected a schedule that runs at least daily (RPO 24 h). [BAK-01]"


def test_pass_daily_90_days():
    assert outcome(RULE, plan()) == "pass"


@pytest.mark.parametrize(
    "overrides",
    [
        {"schedule": None},  # AWS Backup's default schedule is daily
        {"lifecycle": None},  # never deleted
        {"schedule": "cron(0 */12 ? * * *)", "lifecycle": [{"deleteAfter": "365"}]},
        {"schedule": "rate(12 hours)", "lifecycle": {"deleteAfter": 90.0, "coldStorageAfter": 30}},
    ],
)
def test_pass_variants(overrides):
    assert outcome(RULE, plan(plan_rule(**overrides))) == "pass"


@pytest.mark.parametrize(
    "schedule, why",
    [
        ("cron(0 17 ? * SUN *)", "runs only on day-of-week SUN"),
        ("cron(0 17 1 * ? *)", "runs only on day(s) 1 of the month"),
        ("rate(48 hours)", "runs every 48 hours"),
        (
            "cron(0 17 * *)",
            "cron(...) has 4 fields; AWS cron needs 6 (minutes hours day-of-month month day-of-week year)",
        ),
    ],
)
def test_fail_schedule_not_daily(schedule, why):
    assert messages(RULE, plan(plan_rule(schedule=schedule))) == [
        f"{PLAN} backup: rules[0] (daily) schedule {schedule!r} {why}; {DAILY}"
    ]


@pytest.mark.parametrize("delete_after, shown", [(30, "30"), (89.0, "89"), (0, "0")])
def test_fail_short_retention(delete_after, shown):
    assert messages(RULE, plan(plan_rule(lifecycle={"deleteAfter": delete_after}))) == [
        f"{PLAN} backup: rules[0] (daily) lifecycle.deleteAfter is {shown} days; expected"
        " lifecycle.deleteAfter >= 90 days. [BAK-01]"
    ]


def test_fail_second_rule_only():
    weekly = plan_rule(ruleName="weekly", schedule="cron(0 17 ? * SUN *)")
    assert messages(RULE, plan(plan_rule(), weekly)) == [
        f"{PLAN} backup: rules[1] (weekly) schedule 'cron(0 17 ? * SUN *)' runs only on day-of-week SUN;"
        f" {DAILY}"
    ]


def test_fail_plan_without_rules():
    assert messages(RULE, resource(PLAN, "backup", {"name": "x", "rules": []})) == [
        f"{PLAN} backup: has no rules; expected at least one rule backing up daily. [BAK-01]"
    ]


def test_na_other_types():
    assert outcome(RULE, resource("aws:backup/vault:Vault", "v", {})) == "n/a"


def test_unknown_schedule_in_preview():
    assert outcome(RULE, plan(plan_rule(schedule=UNKNOWN_STRING_VALUE), preview=True)) == "unknown"


@pytest.mark.parametrize("schedule", [17, {"expression": "cron(0 17 * * ? *)"}])
def test_fail_schedule_not_a_string(schedule):
    assert messages(RULE, plan(plan_rule(schedule=schedule))) == [
        f"{PLAN} backup: rules[0] (daily) schedule is {schedule!r}; {DAILY}"
    ]
