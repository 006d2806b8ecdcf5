"""Waivers: the fields, their rules and how one accepts a finding, shared by both runners.

Two forms, the same fields:

- a file in the repository, ``waivers.yaml`` beside the program's ``Pulumi.yaml`` (or ``--waivers F``)::

      waivers:
        - rule: sg_no_public_ingress          # or control: NET-02 (exactly one of the two)
          resource: status-page               # a resource name or URN (stack-level: <project>-<stack>)
          stack: acme-prod                    # optional: only in this stack
          reason: The public status page serves no tenant data
          approver: ciso@tenant-zone.example.jp
          approved: 2026-11-30
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

``tenantctl check`` reads waivers and reports them (``tenantctl.gate.waivers``); the CrossGuard pack reads the
same ones (``policies.pack``) and reports a waived finding as advisory with its waiver. Both check every
waiver's fields here, so a waiver means the same to both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from policies.catalog import load_catalog
from policies.registry import all_rules

WAIVER_FILE = "waivers.yaml"
TAG_PREFIX = "tenant-zone:waiver:"
# The longest a waiver may run: one year from its approval, so every exception is reviewed yearly.
MAX_DAYS = 365
MIN_REASON = 10
FIELDS = ("rule", "control", "resource", "stack", "reason", "approver", "approved", "expires")
TAG_FIELDS = ("approved", "expires", "approver", "reason")
CONTROL_ID = re.compile(r"^[A-Z]{2,5}-[0-9]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TAG_FIELD = re.compile(r"(?:^|\s)(approved|expires|approver|reason)=")


def parse_date(value: Any) -> dt.date | None:
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


def check_fields(where: str, fields: Mapping[str, Any], today: dt.date) -> list[str]:
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
    approved, expires = parse_date(fields.get("approved")), parse_date(fields.get("expires"))
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
            f"a date from approved to {approved + dt.timedelta(days=MAX_DAYS)} ({MAX_DAYS} days): renew it "
            "with a new approval instead",
        )
    return problems


def tag_fields(value: str) -> dict[str, str]:
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


# --- the CrossGuard pack's view of waivers ---------------------------------------------------------


@dataclass(frozen=True)
class Waiver:
    """One valid waiver as the pack applies it; ``source`` says where it was written (audit trail)."""

    source: str
    rule: str
    control: str
    resource: str
    stack: str
    reason: str
    approver: str
    approved: dt.date
    expires: dt.date

    @property
    def what(self) -> str:
        return f"rule {self.rule}" if self.rule else f"control {self.control}"

    def matches(self, rule_id: str, control_id: str, urn: str, name: str, stack: str) -> bool:
        if (self.rule and self.rule != rule_id) or (self.control and self.control != control_id):
            return False
        if self.stack and self.stack != stack:
            return False
        return self.resource in (urn, name)


def _waiver(fields: Mapping[str, Any], source: str) -> Waiver:
    approved, expires = parse_date(fields.get("approved")), parse_date(fields.get("expires"))
    assert approved is not None and expires is not None  # check_fields passed
    return Waiver(
        source=source,
        rule=str(fields.get("rule") or ""),
        control=str(fields.get("control") or ""),
        resource=str(fields["resource"]).strip(),
        stack=str(fields.get("stack") or "").strip(),
        reason=str(fields["reason"]).strip(),
        approver=str(fields["approver"]).strip(),
        approved=approved,
        expires=expires,
    )


def file_waivers(data: Any, source: str, today: dt.date) -> tuple[list[Waiver], list[str]]:
    """The valid waivers of a waiver file's data, and one line per problem (an invalid waiver accepts
    nothing: under the engine there is no exit 2, so the pack reports the problem instead)."""
    if data is None:
        return [], []
    entries = (data.get("waivers") or []) if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        return [], [f"{source}: is not a mapping with the one key `waivers` (a list of waivers)"]
    found: list[Waiver] = []
    problems: list[str] = []
    for index, entry in enumerate(entries):
        where = f"{source} waivers[{index}]"
        if not isinstance(entry, Mapping) or set(entry) - set(FIELDS):
            problems.append(f"{where}: expected a mapping of only {', '.join(FIELDS)}.")
            continue
        wrong = check_fields(where, entry, today)
        if wrong:
            problems.extend(wrong)
        else:
            found.append(_waiver(entry, where))
    return found, problems


def tag_waivers(tags: Any, urn: str, stack: str, today: dt.date) -> tuple[list[Waiver], list[str]]:
    """Waivers written as ``tenant-zone:waiver:<rule or control>`` tags on one resource."""
    if not isinstance(tags, Mapping):
        return [], []
    found: list[Waiver] = []
    problems: list[str] = []
    for key in sorted(k for k in tags if isinstance(k, str) and k.startswith(TAG_PREFIX)):
        value = tags[key]
        target = key[len(TAG_PREFIX) :]
        fields: dict[str, Any] = tag_fields(value) if isinstance(value, str) else {}
        fields["control" if CONTROL_ID.match(target) else "rule"] = target
        fields["resource"] = urn
        fields["stack"] = stack
        where = f"tag {key} on {urn}"
        wrong = check_fields(where, fields, today)
        if wrong:
            problems.extend(wrong)
        else:
            found.append(_waiver(fields, where))
    return found, problems


@dataclass(frozen=True)
class WaivedFinding:
    """A finding a waiver accepted, kept whole for the advisory report."""

    urn: str | None
    subject: str
    wrong: str
    expected: str
    control: str
    waiver: Waiver


@dataclass
class WaiverBook:
    """The waivers the pack applies during one engine run, and what they accepted.

    Each policy asks ``accepting`` before reporting a finding; an accepted finding is recorded here instead
    of reported at the policy's (mandatory) enforcement. The book's own advisory stack policy, registered
    after every rule's, reports each recorded finding with its waiver, every waiver that accepted nothing,
    every expired or forbidden waiver, and every invalid one.
    """

    waivers: list[Waiver]
    problems: list[str]
    today: dt.date
    waived: list[WaivedFinding] = field(default_factory=list)
    refused: dict[tuple[str, str], tuple[str, str, str, str | None]] = field(default_factory=dict)

    def accepting(
        self, rule_id: str, control_id: str, urn: str, name: str, stack: str, tags: Any
    ) -> Waiver | None:
        inline, problems = tag_waivers(tags, urn, stack, self.today)
        for problem in problems:
            if problem not in self.problems:
                self.problems.append(problem)
        for waiver in [*self.waivers, *inline]:
            if not waiver.matches(rule_id, control_id, urn, name, stack):
                continue
            if not load_catalog()[control_id].waivable:
                self.refused[(waiver.source, urn)] = (
                    f"waiver {waiver.source}",
                    f"waives control {control_id} on {waiver.resource}, which can never be waived",
                    "the finding fixed and the waiver removed",
                    control_id,
                )
                continue
            if waiver.expires < self.today:
                self.refused[(waiver.source, urn)] = (
                    f"waiver {waiver.source}",
                    f"{waiver.what} on {waiver.resource} expired on {waiver.expires}, so its finding stands",
                    "the finding fixed, or a renewed approval with a new expiry date",
                    control_id,
                )
                continue
            return waiver
        return None

    def notes(self, stacks: Collection[str] = ()) -> list[tuple[str, str, str, str | None]]:
        """(subject, what is wrong, expected, control) of each refused, unmatched or invalid waiver; a waiver
        scoped to a stack outside ``stacks`` (the stacks judged, when known) is out of scope, not
        unmatched."""
        used = {w.waiver.source for w in self.waived}
        refused = {source for source, _ in self.refused}
        lines = [self.refused[key] for key in sorted(self.refused)]
        lines += [
            (
                f"waiver {w.source}",
                f"{w.what} on {w.resource} matches no finding",
                "a finding it accepts, or the waiver removed",
                w.control or None,
            )
            for w in self.waivers
            if w.source not in used
            and w.source not in refused
            and not (w.stack and stacks and w.stack not in stacks)
        ]
        lines += [
            ("waivers", f"invalid, accepts nothing: {p}", "a valid waiver", None) for p in self.problems
        ]
        return lines
