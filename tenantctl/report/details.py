"""What renderers need beyond a violation: the control's title and severity and the rule's fix."""

from __future__ import annotations

from policies.catalog import Control, control_for_rule, load_catalog
from policies.registry import all_rules
from tenantctl.gate import unseen
from tenantctl.gate.model import GateResult

SEVERITY_ORDER = ("critical", "high", "medium", "low")


def control(control_id: str) -> Control | None:
    return load_catalog().get(control_id)


def control_title(control_id: str) -> str:
    found = control(control_id)
    return found.title_en if found is not None and found.title_en else ""


def rule_fix(rule_id: str) -> str:
    if rule_id == unseen.RULE:
        return unseen.FIX
    rule = all_rules().get(rule_id)
    if rule is not None:
        return rule.remediation
    from policies.audit._registry import all_checks  # runtime audit findings use the same reports

    check = all_checks().get(rule_id)
    return check.remediation if check is not None else ""


def controls_checked(result: GateResult) -> list[Control]:
    """Controls whose gate rules ran or were violated, in ID order (a control missing from the
    catalog still gets an entry, with only its ID, so every finding has a home)."""
    seen: dict[str, Control] = {}
    for rule_id in result.rules:
        try:
            owner = control_for_rule(rule_id)
        except LookupError:
            continue
        seen[owner.id] = owner
    found = [v.control for v in result.violations] + [u.control for u in result.undecided]
    for control_id in found + [w.violation.control for w in result.waived]:
        if control_id not in seen:
            seen[control_id] = control(control_id) or Control(id=control_id)
    return [seen[k] for k in sorted(seen)]


def summary_line(result: GateResult) -> str:
    line = (
        f"{len(result.mandatory)} mandatory, {len(result.advisory)} advisory violations in "
        f"{len(result.stacks)} stacks; {len(result.rules)} rules over {result.resources} resources"
    )
    undecided = [u for u in result.undecided if not unseen.is_unseen(u)]
    if undecided:
        line += f"; {len(undecided)} undecided"
    not_analysed = not_analysed_count(result)
    if not_analysed:
        line += f"; {not_analysed} {'component' if not_analysed == 1 else 'components'} not analysed"
    if result.waived:
        line += f"; {len(result.waived)} waived"
    if result.waiver_problems:
        line += f"; {len(result.waiver_problems)} waivers accepting nothing"
    return line


def not_analysed_count(result: GateResult, stack: str | None = None) -> int:
    """Components the offline synth could not look into (undecided, or violations in strict mode)."""
    rules = [u.rule for u in result.undecided if stack is None or u.stack == stack]
    rules += [v.rule for v in result.violations if stack is None or v.stack == stack]
    return sum(1 for rule in rules if rule == unseen.RULE)
