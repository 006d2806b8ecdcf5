"""Waivers: a finding accepted for a reason, by someone, until a date.

Two forms, the same fields:

- a file in the repository, ``waivers.yaml`` beside the program's ``Pulumi.yaml`` (or ``--waivers F``)::

      waivers:
        - rule: sg_no_public_ingress          # or control: NET-02 (exactly one of the two)
          resource: status-page               # a resource name or URN (a stack-level finding:
          <project>-<stack>) stack: acme-prod                    # optional: only in this stack reason: The
          public status page serves no tenant data approver: ciso@tenant-zone.example.jp approved: 2026-11-30
          expires: 2027-02-28                 # at most 365 days after approved

- a tag on the resource itself, ``tenant-zone:waiver:<rule or control>`` with the value
  ``approved=2026-11-30 expires=2027-02-28 approver=ciso@tenant-zone.example.jp reason=<text>``
  (AWS tag values allow letters, digits, spaces and ``_ . : / = + - @``, so the reason has no commas).

Unlike cdk-nag's suppressions and checkov's skip comments, a waiver cannot be open-ended: it names
its approver and approval date and expires within a year. A waiver past its expiry date accepts
nothing (its findings are violations again); a waiver that matches no finding is reported, so stale
ones are noticed; a control marked ``waivable: false`` in the catalog (data residency, tenant
isolation) can never be waived. Every report shows each waived finding with its waiver, and every
waiver with what became of it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from policies.catalog import control_for_rule, load_catalog
from policies.registry import all_rules
from tenantctl.errors import UserError
from tenantctl.gate.model import (
    APPLIED,
    EXPIRED,
    FORBIDDEN,
    UNMATCHED,
    GateResult,
    Violation,
    Waived,
    WaiverOutcome,
    WaiverRecord,
)

WAIVER_FILE = "waivers.yaml"
TAG_PREFIX = "tenant-zone:waiver:"
# The longest a waiver may run: one year from its approval, so every exception is reviewed yearly.
MAX_DAYS = 365
MIN_REASON = 10
FIELDS = ("rule", "control", "resource", "stack", "reason", "approver", "approved", "expires")
TAG_FIELDS = ("approved", "expires", "approver", "reason")
_CONTROL_ID = re.compile(r"^[A-Z]{2,5}-[0-9]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TAG_FIELD = re.compile(r"(?:^|\s)(approved|expires|approver|reason)=")


def read_waiver_file(path: Path) -> Any:
    """The waiver file's data, through the project's hostile-input YAML reader (strict UTF-8, YAML 1.2,
    duplicate keys and unsafe tags refused, size and nesting bounded), as every user file is read."""
    from tenantctl.inputs import read_yaml_document

    return read_yaml_document(path, "--waivers").to_python()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _check(where: str, fields: Mapping[str, Any], today: dt.date) -> list[str]:
    """Problems of one waiver's fields, one line each: key, value, rule, fix."""
    problems: list[str] = []

    def bad(key: str, wrong: str, expected: str) -> None:
        problems.append(f"{where}.{key}: {wrong}; expected {expected}.")

    rule, control = fields.get("rule"), fields.get("control")
    if (rule is None) == (control is None):
        bad(
            "rule",
            "both rule and control are set" if rule else "neither rule nor control is set",
            "exactly one of rule (a gate rule ID) or control (a control ID like NET-02)",
        )
    elif rule is not None and (not isinstance(rule, str) or rule not in all_rules()):
        bad(
            "rule",
            f"{rule!r} is not a gate rule",
            "a rule ID from `tenantctl controls` (e.g. sg_no_public_ingress)",
        )
    elif control is not None and (not isinstance(control, str) or control not in load_catalog()):
        bad("control", f"{control!r} is not a control of the catalog", "a control ID like NET-02")
    resource = fields.get("resource")
    if not isinstance(resource, str) or not resource.strip():
        bad("resource", f"is {resource!r}", "the name or URN of the resource whose finding is accepted")
    stack = fields.get("stack")
    if stack is not None and (not isinstance(stack, str) or not stack.strip()):
        bad("stack", f"is {stack!r}", "a stack name, or no `stack` key for every stack")
    reason = fields.get("reason")
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
        bad("reason", f"is {reason!r}", f"why the finding is accepted, in at least {MIN_REASON} characters")
    approver = fields.get("approver")
    if not isinstance(approver, str) or not _EMAIL.match(approver.strip()):
        bad("approver", f"is {approver!r}", "the e-mail address of the person who approved the exception")
    approved, expires = _date(fields.get("approved")), _date(fields.get("expires"))
    if approved is None:
        bad("approved", f"is {fields.get('approved')!r}", "the approval date as YYYY-MM-DD")
    elif approved > today:
        bad("approved", f"{approved} is in the future", f"a date on or before today ({today})")
    if expires is None:
        bad(
            "expires",
            f"is {fields.get('expires')!r}",
            f"the expiry date as YYYY-MM-DD, at most {MAX_DAYS} days after approved",
        )
    elif approved is not None and not approved <= expires <= approved + dt.timedelta(days=MAX_DAYS):
        bad(
            "expires",
            f"{expires} is {(expires - approved).days} days after approved {approved}",
            f"a date from approved to {approved + dt.timedelta(days=MAX_DAYS)} ({MAX_DAYS} days): renew it"
            " with a new approval instead",
        )
    return problems


def _record(fields: Mapping[str, Any], source: str, inline: bool) -> WaiverRecord:
    approved, expires = _date(fields.get("approved")), _date(fields.get("expires"))
    return WaiverRecord(
        source=source,
        rule=str(fields.get("rule") or ""),
        control=str(fields.get("control") or ""),
        resource=str(fields["resource"]).strip(),
        stack=str(fields.get("stack") or "").strip(),
        reason=str(fields["reason"]).strip(),
        approver=str(fields["approver"]).strip(),
        approved=str(approved),
        expires=str(expires),
        inline=inline,
    )


def parse_waiver_file(data: Any, source: str, today: dt.date) -> list[WaiverRecord]:
    """The waivers of a file's data; ``UserError`` listing every problem, one line each."""
    if data is None:
        return []
    if not isinstance(data, Mapping) or set(data) - {"waivers"}:
        raise UserError(
            f"{source}: holds {sorted(data) if isinstance(data, Mapping) else type(data).__name__}; "
            "expected a mapping with the one key `waivers` (a list of waivers)."
        )
    entries = data.get("waivers") or []
    if not isinstance(entries, list):
        raise UserError(f"{source} waivers: is a {type(entries).__name__}; expected a list of waivers.")
    problems: list[str] = []
    records: list[WaiverRecord] = []
    for index, entry in enumerate(entries):
        where = f"{source} waivers[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(
                f"{where}: is a {type(entry).__name__}; expected a mapping of {', '.join(FIELDS)}."
            )
            continue
        unknown = sorted(str(key) for key in entry if key not in FIELDS)
        if unknown:
            problems.append(
                f"{where}.{unknown[0]}: is not a waiver field; expected only {', '.join(FIELDS)}."
            )
            continue
        found = _check(where, entry, today)
        if found:
            problems.extend(found)
            continue
        records.append(_record(entry, where, inline=False))
    if problems:
        raise UserError("\n".join(problems))
    return records


def _tag_fields(value: str) -> dict[str, str]:
    """``approved=... expires=... approver=... reason=<rest>`` -> fields (reason runs to the end)."""
    marks = list(_TAG_FIELD.finditer(value))
    fields: dict[str, str] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        key = mark.group(1)
        end = following.start() if following is not None and key != "reason" else len(value)
        if key == "reason":
            fields[key] = value[mark.end() :].strip()
            break
        fields[key] = value[mark.end() : end].strip()
    return fields


def inline_waivers(synth: Mapping[str, Any], today: dt.date) -> list[WaiverRecord]:
    """Waivers written as ``tenant-zone:waiver:<rule or control>`` tags on the synth's resources."""
    stack = str(synth.get("stack") or "")
    problems: list[str] = []
    records: list[WaiverRecord] = []
    for resource in synth.get("resources") or ():
        if not isinstance(resource, Mapping):
            continue
        inputs = resource.get("inputs")
        tags = inputs.get("tags") if isinstance(inputs, Mapping) else None
        if not isinstance(tags, Mapping):
            continue
        urn = str(resource.get("urn") or "")
        for key, value in sorted(tags.items()):
            if not isinstance(key, str) or not key.startswith(TAG_PREFIX):
                continue
            target = key[len(TAG_PREFIX) :]
            fields: dict[str, Any] = _tag_fields(value) if isinstance(value, str) else {}
            fields["control" if _CONTROL_ID.match(target) else "rule"] = target
            fields["resource"] = urn
            fields["stack"] = stack
            where = f"tag {key} on {urn}"
            found = _check(where, fields, today)
            if found:
                problems.extend(found)
                continue
            records.append(_record(fields, where, inline=True))
    if problems:
        raise UserError("\n".join(problems))
    return records


def load_waivers(path: Path, today: dt.date, display: str | None = None) -> list[WaiverRecord]:
    """The waivers of a file (none when it does not exist)."""
    if not path.is_file():
        return []
    return parse_waiver_file(read_waiver_file(path), display or path.name, today)


def _control_of(waiver: WaiverRecord) -> str:
    return waiver.control or control_for_rule(waiver.rule).id


def _matches(waiver: WaiverRecord, violation: Violation) -> bool:
    if waiver.rule and waiver.rule != violation.rule:
        return False
    if waiver.control and waiver.control != violation.control:
        return False
    if waiver.stack and waiver.stack != violation.stack:
        return False
    return waiver.resource in (violation.urn, violation.name)


def _what(waiver: WaiverRecord) -> str:
    return f"rule {waiver.rule}" if waiver.rule else f"control {waiver.control}"


def apply_waivers(result: GateResult, waivers: Sequence[WaiverRecord], today: dt.date) -> GateResult:
    """Moves every violation a valid waiver accepts to ``result.waived``; records every waiver's outcome."""
    catalog = load_catalog()
    active: list[WaiverRecord] = []
    outcomes: list[WaiverOutcome] = []
    for waiver in sorted(waivers):
        control = _control_of(waiver)
        subject = f"waiver {waiver.source}: {_what(waiver)} on {waiver.resource}"
        if not catalog[control].waivable:
            outcomes.append(
                WaiverOutcome(
                    FORBIDDEN,
                    waiver,
                    f"{subject} waives control {control}, which can never be waived; expected the finding "
                    f"fixed and the waiver removed. [{control}]",
                )
            )
        elif dt.date.fromisoformat(waiver.expires) < today:
            hits = sum(1 for v in result.violations if _matches(waiver, v))
            consequence = (
                f"its {hits} finding(s) are violations again" if hits else "it matches no finding either"
            )
            outcomes.append(
                WaiverOutcome(
                    EXPIRED,
                    waiver,
                    f"{subject} expired on {waiver.expires} ({consequence}); expected the finding fixed, or a"
                    f" renewed approval with a new expiry date. [{control}]",
                )
            )
        else:
            active.append(waiver)
    used: set[WaiverRecord] = set()
    remaining: list[Violation] = []
    for violation in result.violations:
        accepting = next((w for w in active if _matches(w, violation)), None)
        if accepting is None:
            remaining.append(violation)
        else:
            result.waived.append(Waived(violation, accepting))
            used.add(accepting)
    for waiver in active:
        control = _control_of(waiver)
        if waiver in used:
            count = sum(1 for w in result.waived if w.waiver == waiver)
            outcomes.append(
                WaiverOutcome(
                    APPLIED,
                    waiver,
                    f"waiver {waiver.source}: {_what(waiver)} on {waiver.resource} accepts {count} finding(s)"
                    f" until {waiver.expires}, approved by {waiver.approver} on {waiver.approved}:"
                    f" {waiver.reason}",
                )
            )
        else:
            outcomes.append(
                WaiverOutcome(
                    UNMATCHED,
                    waiver,
                    f"waiver {waiver.source}: {_what(waiver)} on {waiver.resource} matches no finding;"
                    f" expected a finding it accepts, or the waiver removed. [{control}]",
                )
            )
    result.violations = remaining
    result.waivers.extend(outcomes)
    return result.sort()
