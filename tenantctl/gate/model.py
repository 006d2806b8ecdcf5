"""What a gate run found: violations, undecided rules, not-applicable rules, and what was checked."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field

MANDATORY = "mandatory"
ADVISORY = "advisory"

# The JSON report's key order (the CLI contract), then the finding's own last field.
JSON_FIELDS = ("control", "rule", "stack", "urn", "type", "name", "message")


@dataclass(frozen=True, order=True)
class BaseFinding:
    """What every finding names; ``Violation`` and ``Undecided`` add how it counts."""

    stack: str
    control: str
    rule: str
    urn: str
    type: str
    name: str
    message: str

    def _as_json(self, last: str) -> dict[str, str]:
        return {key: getattr(self, key) for key in (*JSON_FIELDS, last)}


@dataclass(frozen=True, order=True)
class Violation(BaseFinding):
    """One finding, as the engine's ``AnalyzeDiagnostic`` would carry it (message without the
    policy description the engine prepends)."""

    enforcement: str
    # The message's parts, as the rule gave them (the message is what the engine prints). A finding reported
    # as a message only (a policy outside the pack) has the whole message as what is wrong.
    wrong: str = field(default="", compare=False)
    expected: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.wrong:
            object.__setattr__(self, "wrong", self.message)

    def as_json(self) -> dict[str, str]:
        return self._as_json("enforcement")


@dataclass(frozen=True, order=True)
class Undecided(BaseFinding):
    """A rule that touched a value unknown until deployment: the engine reports it as an advisory
    "can't run policy ... during preview"; the gate keeps it apart so it is never read as a pass."""

    reason: str

    def as_json(self) -> dict[str, str]:
        return self._as_json("reason")


@dataclass(frozen=True, order=True)
class NotApplicable:
    """A rule that declared itself out of scope for a resource or stack (``args.not_applicable``).

    Rules skipped because the resource's type is outside their ``resource_types`` are only
    counted (``GateResult.out_of_scope``): listing every (rule, resource) pair would dwarf the report.
    """

    stack: str
    rule: str
    urn: str
    reason: str


# The dataclass order of ``NotApplicable`` (its fields in turn), as a key: a fleet report sorts tens of
# thousands of them, and comparing through the generated ``__lt__`` builds two tuples per comparison.
NOT_APPLICABLE_ORDER = operator.attrgetter("stack", "rule", "urn", "reason")


# Matrix cell states, least to most severe.
STATE_RANK = {"n/a": 0, "pass": 1, "waived": 2, "undecided": 3, "fail": 4}


@dataclass(frozen=True, order=True)
class WaiverRecord:
    """One accepted exception, as the reports show it (``tenantctl.gate.waivers`` reads and applies them).

    ``rule`` or ``control`` names what is waived (one of them is empty); ``resource`` is a URN or a
    resource name; ``stack`` narrows it to one stack (empty: any). ``source`` says where it was
    written (``waivers.yaml:12`` or ``tag tenant-zone:waiver:<id> on <urn>``) for the audit trail.
    """

    source: str
    rule: str
    control: str
    resource: str
    stack: str
    reason: str
    approver: str
    approved: str
    expires: str
    inline: bool

    def as_json(self) -> dict[str, str | bool]:
        return {
            "rule": self.rule,
            "control": self.control,
            "resource": self.resource,
            "stack": self.stack,
            "reason": self.reason,
            "approver": self.approver,
            "approved": self.approved,
            "expires": self.expires,
            "source": self.source,
            "inline": self.inline,
        }


@dataclass(frozen=True, order=True)
class Waived:
    """A violation accepted by a valid waiver: reported as waived, never counted as a violation."""

    violation: Violation
    waiver: WaiverRecord

    def as_json(self) -> dict[str, object]:
        return {**self.violation.as_json(), "status": "waived", "waiver": self.waiver.as_json()}


# What became of a waiver: it accepted findings, or it is reported because it could not.
APPLIED = "applied"
EXPIRED = "expired"
UNMATCHED = "unmatched"
FORBIDDEN = "forbidden"


@dataclass(frozen=True, order=True)
class WaiverOutcome:
    """Every waiver read, with its status and a one-line message for the reports."""

    status: str
    waiver: WaiverRecord
    message: str

    def as_json(self) -> dict[str, object]:
        return {"status": self.status, "message": self.message, **self.waiver.as_json()}


@dataclass(frozen=True)
class StackReport:
    name: str
    resources: int
    # The stack's config file, relative to the repository (None for a synth given as data).
    file: str | None = None


@dataclass
class GateResult:
    stacks: list[StackReport] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    undecided: list[Undecided] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    out_of_scope: int = 0
    # Names of the policies that ran (enabled ones).
    rules: tuple[str, ...] = ()
    # stack -> control ID -> pass | fail | undecided | n/a (the fleet report's matrix; empty when not
    # computed)
    controls: dict[str, dict[str, str]] = field(default_factory=dict)
    # URN -> (file relative to the repository, line) of the code that declared it, for the resources
    # with findings (SARIF locations); empty when the synth recorded no positions.
    positions: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Violations accepted by a valid waiver (not in ``violations``), and what became of every waiver.
    waived: list[Waived] = field(default_factory=list)
    waivers: list[WaiverOutcome] = field(default_factory=list)

    @property
    def waiver_problems(self) -> list[WaiverOutcome]:
        """Waivers that accepted nothing: expired, forbidden or matching no finding."""
        return [w for w in self.waivers if w.status != APPLIED]

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement == MANDATORY]

    @property
    def advisory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement == ADVISORY]

    @property
    def has_mandatory(self) -> bool:
        return any(v.enforcement == MANDATORY for v in self.violations)

    @property
    def passed(self) -> bool:
        return not self.has_mandatory

    @property
    def resources(self) -> int:
        return sum(s.resources for s in self.stacks)

    def sort(self) -> GateResult:
        """Stable order for every renderer: stack, control, rule, URN, message."""
        self.stacks.sort(key=lambda s: s.name)
        self.violations.sort()
        self.undecided.sort()
        self.not_applicable.sort(key=NOT_APPLICABLE_ORDER)
        self.waived.sort()
        self.waivers.sort()
        return self

    @classmethod
    def combine(cls, results: Iterable[GateResult]) -> GateResult:
        combined = cls()
        names: set[str] = set()
        seen_stacks: set[str] = set()
        seen_violations: set[Violation] = set()
        seen_undecided: set[Undecided] = set()
        for result in results:
            for stack in result.stacks:
                if stack.name not in seen_stacks:
                    seen_stacks.add(stack.name)
                    combined.stacks.append(stack)
            # A cross-stack rule re-finds in --all what it found inside one stack: report it once.
            for violation in result.violations:
                if violation not in seen_violations:
                    seen_violations.add(violation)
                    combined.violations.append(violation)
            for undecided in result.undecided:
                if undecided not in seen_undecided:
                    seen_undecided.add(undecided)
                    combined.undecided.append(undecided)
            combined.not_applicable.extend(result.not_applicable)
            combined.out_of_scope += result.out_of_scope
            names.update(result.rules)
            for stack_name, cells in result.controls.items():
                merged = combined.controls.setdefault(stack_name, {})
                for control, state in cells.items():
                    # a control's cell is its worst state over every result (fail over pass, ...)
                    if STATE_RANK.get(state, 0) >= STATE_RANK.get(merged.get(control, ""), -1):
                        merged[control] = state
            combined.positions.update(result.positions)

            combined.waived.extend(result.waived)
            combined.waivers.extend(result.waivers)
        combined.rules = tuple(sorted(names))
        return combined.sort()
