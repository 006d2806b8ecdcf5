"""AWS schedule expressions (``cron(...)``, ``rate(...)``, ``at(...)``) and how often they run.

AWS cron has six fields: minutes, hours, day-of-month, month, day-of-week, year;
one of day-of-month / day-of-week must be ``?``. Day-of-week numbers run 1-7
from Sunday. Used by the patching (VUL-02: at least monthly) and backup
(BAK-01: at least daily) rules, which need to know whether a schedule fires in
every calendar month, or on every day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    name: i
    for i, name in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1
    )
}
_DAYS = {name: i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}
_EXPRESSION = re.compile(r"^\s*(cron|rate|at)\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_RATE = re.compile(r"^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$", re.IGNORECASE)
# The last day of February: any day-of-month up to this occurs in every month.
_DAYS_IN_EVERY_MONTH = 28


class ScheduleError(ValueError):
    """The expression is not one AWS accepts; the message says why."""


@dataclass(frozen=True)
class Cron:
    minutes: str
    hours: str
    day_of_month: str
    month: str
    day_of_week: str
    year: str


@dataclass(frozen=True)
class Rate:
    value: int
    unit: str  # "minute" | "hour" | "day"


@dataclass(frozen=True)
class At:
    when: str


Schedule = Cron | Rate | At


def parse(expression: str) -> Schedule:
    match = _EXPRESSION.match(expression)
    if not match:
        raise ScheduleError("is neither cron(...), rate(...) nor at(...)")
    kind, body = match.group(1).lower(), match.group(2)
    if kind == "at":
        return At(body.strip())
    if kind == "rate":
        rate = _RATE.match(body)
        if not rate or int(rate.group(1)) < 1:
            raise ScheduleError("rate(...) needs a positive whole number and minute(s), hour(s) or day(s)")
        return Rate(int(rate.group(1)), rate.group(2).lower().rstrip("s"))
    fields = body.split()
    if len(fields) != 6:
        raise ScheduleError(
            f"cron(...) has {len(fields)} fields; AWS cron needs 6 (minutes hours day-of-month month"
            " day-of-week year)"
        )
    cron = Cron(*fields)
    _expand(cron.minutes, 0, 59, {}, "minutes")
    _expand(cron.hours, 0, 23, {}, "hours")
    _months(cron)
    if cron.year not in ("*", "?"):
        _expand(cron.year, 1970, 2199, {}, "year")
    dom_open, dow_open = cron.day_of_month == "?", cron.day_of_week == "?"
    if dom_open == dow_open:
        raise ScheduleError("cron(...) must set exactly one of day-of-month and day-of-week to ?")
    if dom_open:
        _day_of_week_elements(cron.day_of_week)
    else:
        _day_of_month_elements(cron.day_of_month)
    return cron


def _value(text: str, low: int, high: int, names: dict[str, int], field: str) -> int:
    key = text.upper()
    if key in names:
        return names[key]
    if not text.isdigit() or not low <= int(text) <= high:
        raise ScheduleError(f"cron(...) {field} value {text!r} is outside {low}-{high}")
    return int(text)


def _expand(spec: str, low: int, high: int, names: dict[str, int], field: str) -> set[int]:
    """The values a plain field (lists, ranges, steps, ``*``) selects."""
    values: set[int] = set()
    for element in spec.split(","):
        base, _, step_text = element.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ScheduleError(f"cron(...) {field} step {step_text!r} is not a positive number")
            step = int(step_text)
        if base in ("*", "?"):
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _value(first, low, high, names, field), _value(last, low, high, names, field)
        else:
            start = _value(base, low, high, names, field)
            end = high if step_text else start
        if start > end:
            raise ScheduleError(f"cron(...) {field} range {base!r} runs backwards")
        values.update(range(start, end + 1, step))
    return values


def _months(cron: Cron) -> set[int]:
    return _expand(cron.month, 1, 12, _MONTHS, "month")


def _day_of_week_elements(spec: str) -> list[tuple[str, int | None]]:
    """Each element as (kind, nth): kind "days" (plain), "nth" (``X#n``) or "last" (``XL`` / ``L``)."""
    parsed: list[tuple[str, int | None]] = []
    for element in spec.split(","):
        upper = element.upper()
        if "#" in upper:
            day, _, nth = upper.partition("#")
            _value(day, 1, 7, _DAYS, "day-of-week")
            if not nth.isdigit() or not 1 <= int(nth) <= 5:
                raise ScheduleError(f"cron(...) day-of-week {element!r}: the week number must be 1-5")
            parsed.append(("nth", int(nth)))
        elif upper == "L" or (upper.endswith("L") and upper[:-1]):
            if upper != "L":
                _value(upper[:-1], 1, 7, _DAYS, "day-of-week")
            parsed.append(("last", None))
        else:
            _expand(upper, 1, 7, _DAYS, "day-of-week")
            parsed.append(("days", None))
    return parsed


def _day_of_month_elements(spec: str) -> list[int | None]:
    """The earliest day each element can select; None for "last day" forms (``L``, ``LW``, ``L-n``)."""
    earliest: list[int | None] = []
    for element in spec.split(","):
        upper = element.upper()
        if upper in ("L", "LW") or re.fullmatch(r"L-\d+", upper):
            earliest.append(None)
        elif upper.endswith("W"):
            earliest.append(_value(upper[:-1], 1, 31, {}, "day-of-month"))
        else:
            earliest.append(min(_expand(upper, 1, 31, {}, "day-of-month")))
    return earliest


def _days_of_week(spec: str) -> set[int]:
    return _expand(spec.upper(), 1, 7, _DAYS, "day-of-week")


def _calendar_gap(schedule: Cron) -> str | None:
    """What limits a cron schedule to some months or years, or None."""
    months = _months(schedule)
    if months != set(range(1, 13)):
        return f"runs only in months {','.join(str(m) for m in sorted(months))}"
    if schedule.year not in ("*", "?"):
        return f"runs only in year(s) {schedule.year}"
    return None


def monthly_gap(expression: str) -> str | None:
    """None when the schedule fires in every calendar month; else what keeps it from doing so.

    Raises ``ScheduleError`` for an expression AWS would reject.
    """
    schedule = parse(expression)
    if isinstance(schedule, At):
        return "runs once (at(...)), not repeatedly"
    if isinstance(schedule, Rate):
        if schedule.unit == "day" and schedule.value > 31:
            return f"runs every {schedule.value} days"
        return None
    calendar = _calendar_gap(schedule)
    if calendar is not None:
        return calendar
    if schedule.day_of_month == "?":
        elements = _day_of_week_elements(schedule.day_of_week)
        if all(kind == "nth" and nth == 5 for kind, nth in elements):
            return (
                f"runs only on the 5th {schedule.day_of_week.split('#')[0]} of a month, which not every"
                " month has"
            )
        return None
    days = _day_of_month_elements(schedule.day_of_month)
    if any(day is None or day <= _DAYS_IN_EVERY_MONTH for day in days):
        return None
    return (
        f"runs only on day(s) {schedule.day_of_month} of the month, which February (or a 30-day month) lacks"
    )


def daily_gap(expression: str) -> str | None:
    """None when the schedule fires at least once every day; else what keeps it from doing so."""
    schedule = parse(expression)
    if isinstance(schedule, At):
        return "runs once (at(...)), not repeatedly"
    if isinstance(schedule, Rate):
        limits = {"minute": 1440, "hour": 24, "day": 1}
        if schedule.value > limits[schedule.unit]:
            return f"runs every {schedule.value} {schedule.unit}s"
        return None
    calendar = _calendar_gap(schedule)
    if calendar is not None:
        return calendar
    if schedule.day_of_month == "?":
        elements = _day_of_week_elements(schedule.day_of_week)
        if any(kind != "days" for kind, _ in elements) or _days_of_week(schedule.day_of_week) != set(
            range(1, 8)
        ):
            return f"runs only on day-of-week {schedule.day_of_week}"
        return None
    if schedule.day_of_month != "*" and _expand_day_of_month(schedule.day_of_month) != set(range(1, 32)):
        return f"runs only on day(s) {schedule.day_of_month} of the month"
    return None


def _expand_day_of_month(spec: str) -> set[int]:
    if any(ch in spec.upper() for ch in "LW"):
        return set()
    return _expand(spec, 1, 31, {}, "day-of-month")
