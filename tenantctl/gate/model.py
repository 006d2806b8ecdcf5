"""What a gate run found: violations, undecided rules, not-applicable rules, and what was checked."""

from __future__ import annotations

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
        self.not_applicable.sort()
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
        combined.rules = tuple(sorted(names))
        return combined.sort()
