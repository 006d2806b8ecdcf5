"""Components the offline synth could not look into, as findings of the gate.

A component of another package (awsx, eks) is built by that package's provider plugin; offline no plugin runs,
so the synth records the component (``notAnalysed``) but none of the resources it would create. The engine
does run the plugin, so ``pulumi preview --policy-pack`` judges those resources; the offline gate cannot, and
says so: each such component is an undecided finding (never a pass), and in strict mode a mandatory violation.

The finding belongs to GOV-01 (every change passes the policy gate before production): what the gate did not
see has not passed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from policies.messages import message
from tenantctl.errors import UserError
from tenantctl.gate.model import MANDATORY, GateResult, Undecided, Violation

CONTROL = "GOV-01"
RULE = "component_not_analysed"
FIX = (
    "run `pulumi preview --policy-pack policies`, where the package's plugin runs and the engine analyses "
    "the resources it creates, or declare those resources with pulumi_aws; `check --strict` (or "
    "`strict = true` in [tool.tenantctl]) fails the run on such a component"
)


@dataclass(frozen=True)
class UnseenComponent:
    """One ``notAnalysed`` entry of a synth: a component whose resources were not created offline."""

    urn: str
    type: str
    package: str

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


def unseen_components(synth: Mapping[str, Any]) -> tuple[UnseenComponent, ...]:
    """The synth's ``notAnalysed`` list; a malformed one is bad input, as any malformed synth is."""
    raw = synth.get("notAnalysed") or []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise UserError(f"synth JSON: `notAnalysed` is {type(raw).__name__}; expected a list of components")
    found: list[UnseenComponent] = []
    for index, entry in enumerate(raw):
        urn = entry.get("urn") if isinstance(entry, Mapping) else None
        resource_type = entry.get("type") if isinstance(entry, Mapping) else None
        if not isinstance(urn, str) or not urn or not isinstance(resource_type, str) or not resource_type:
            raise UserError(
                f"synth JSON: `notAnalysed[{index}]` is {entry!r}; expected an object with `urn` and `type`"
            )
        package = entry.get("package") or resource_type.split(":", 1)[0]
        found.append(UnseenComponent(urn, resource_type, str(package)))
    return tuple(sorted(found, key=lambda c: c.urn))


def _wrong(component: UnseenComponent) -> str:
    return (
        f"none of the resources it would create was checked (package {component.package}'s plugin does not "
        "run offline)"
    )


EXPECTED = "every resource of the stack analysed by the gate"


def finding(stack: str, component: UnseenComponent) -> Undecided:
    text = message(f"{component.type} {component.name}", _wrong(component), EXPECTED, CONTROL)
    return Undecided(
        stack, CONTROL, RULE, component.urn, component.type, component.name, text, _wrong(component)
    )


def is_unseen(item: Undecided) -> bool:
    return item.rule == RULE


def unseen(result: GateResult) -> list[Undecided]:
    """The run's components that were not analysed."""
    return [u for u in result.undecided if is_unseen(u)]


def strict(result: GateResult) -> GateResult:
    """Strict mode: each component not analysed becomes a mandatory violation (the run fails)."""
    found = unseen(result)
    if not found:
        return result
    violations = [
        Violation(
            u.stack,
            u.control,
            u.rule,
            u.urn,
            u.type,
            u.name,
            u.message,
            MANDATORY,
            wrong=u.reason,
            expected=EXPECTED,
        )
        for u in found
    ]
    kept = [u for u in result.undecided if not is_unseen(u)]
    return replace(result, violations=[*result.violations, *violations], undecided=kept).sort()


def count_by_stack(items: Iterable[Undecided]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        if is_unseen(item):
            counts[item.stack] = counts.get(item.stack, 0) + 1
    return counts
