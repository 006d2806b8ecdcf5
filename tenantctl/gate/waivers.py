"""Waivers in ``tenantctl check``: read from ``waivers.yaml`` (or ``--waivers F``) and from resource tags,
applied to a gate result, and every waiver's outcome (applied, expired, unmatched, forbidden) recorded for
the reports. The forms, the fields and their rules are ``policies.waivers``'s, which the CrossGuard pack reads
too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from policies.catalog import control_for_rule, load_catalog
from policies.waivers import CONTROL_ID as _CONTROL_ID
from policies.waivers import FIELDS, TAG_PREFIX, WAIVER_FILE
from policies.waivers import check_fields as _check
from policies.waivers import parse_date as _date
from policies.waivers import tag_fields as _tag_fields
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


def read_waiver_file(path: Path) -> Any:
    """The waiver file's data, through the project's hostile-input YAML reader (strict UTF-8, YAML 1.2,
    duplicate keys and unsafe tags refused, size and nesting bounded), as every user file is read."""
    from tenantctl.inputs import read_yaml_document

    return read_yaml_document(path, "--waivers").to_python()


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
    checked = {stack.name for stack in result.stacks}
    for waiver in active:
        if waiver.stack and checked and waiver.stack not in checked:
            continue  # scoped to a stack this run did not check: neither used nor unmatched
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


__all__ = [
    "WAIVER_FILE",
    "apply_waivers",
    "inline_waivers",
    "load_waivers",
    "parse_waiver_file",
    "read_waiver_file",
]
