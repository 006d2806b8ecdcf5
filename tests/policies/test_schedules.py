"""The schedule parser behind patch_baseline_monthly (VUL-02) and backup_plan_daily (BAK-01)."""

import pytest

from policies.schedules import ScheduleError, daily_gap, monthly_gap, parse


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 5 ? * * *)",
        "cron(0 5 * * ? *)",
        "cron(0 */6 * * ? *)",
        "cron(30 1 1-31 JAN-DEC ? *)",
        "cron(0 5 ? * SUN-SAT *)",
        "cron(0 5 ? * 1-7 *)",
        "rate(1 day)",
        "rate(24 hours)",
        "rate(90 minutes)",
    ],
)
def test_daily(expression):
    assert daily_gap(expression) is None
    assert monthly_gap(expression) is None


@pytest.mark.parametrize(
    "expression, gap",
    [
        ("cron(0 5 ? * MON-FRI *)", "runs only on day-of-week MON-FRI"),
        ("cron(0 5 1/2 * ? *)", "runs only on day(s) 1/2 of the month"),
        ("cron(0 5 L * ? *)", "runs only on day(s) L of the month"),
        ("rate(25 hours)", "runs every 25 hours"),
        ("rate(2 days)", "runs every 2 days"),
        ("cron(0 5 ? 1-11 * *)", "runs only in months 1,2,3,4,5,6,7,8,9,10,11"),
    ],
)
def test_not_daily(expression, gap):
    assert daily_gap(expression) == gap


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 2 ? * SUN#4 *)",
        "cron(0 2 ? * 6L *)",
        "cron(0 2 28 * ? *)",
        "cron(0 2 28W * ? *)",
        "cron(0 2 LW * ? *)",
        "cron(0 2 1,31 * ? *)",
        "cron(0 2 L-3 * ? *)",
        "rate(31 days)",
    ],
)
def test_monthly(expression):
    assert monthly_gap(expression) is None


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 2 * * * *)",
        "cron(0 2 ? * * * *)",
        "cron(60 2 ? * * *)",
        "cron(0 2 ? * MON#6 *)",
        "cron(0 2 ? 13 * *)",
        "cron(0 2 ? * FOO *)",
        "cron(0 2 5-1 * ? *)",
        "rate(1 week)",
        "rate(-1 days)",
        "",
    ],
)
def test_invalid(expression):
    with pytest.raises(ScheduleError):
        parse(expression)
