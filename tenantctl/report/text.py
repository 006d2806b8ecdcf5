"""Text for people: by stack, then control; each violation with resource, what is wrong,
what is expected and the fix; then what could not be decided; then one summary line."""

from __future__ import annotations

from itertools import groupby

from tenantctl.gate.model import GateResult, Undecided, Violation
from tenantctl.report.details import control_title, rule_fix, split_message, summary_line

CROSS_STACK = "(across stacks)"


def _stack_heading(name: str, result: GateResult) -> str:
    files = {s.name: s.file for s in result.stacks}
    label = name or CROSS_STACK
    return f"Stack {label} ({files[name]})" if files.get(name) else f"Stack {label}"


def _subject(item: Violation | Undecided) -> str:
    return f"{item.type} {item.name}".strip() if item.urn else "the stack"


def _violation_lines(violation: Violation) -> list[str]:
    finding = split_message(violation)
    lines = [
        f"    {violation.enforcement.upper()}: {_subject(violation)}",
        f"      resource: {violation.urn or '(the stack)'}",
        f"      wrong:    {finding.wrong}",
    ]
    if finding.expected:
        lines.append(f"      expected: {finding.expected}")
    fix = rule_fix(violation.rule)
    if fix:
        lines.append(f"      fix:      {fix}")
    lines.append(f"      rule:     {violation.rule}")
    return lines


def _undecided_lines(items: list[Undecided]) -> list[str]:
    lines = ["Undecided (values unknown until deployment; not a pass):"]
    for item in items:
        lines.append(
            f"  {item.stack or CROSS_STACK} [{item.control}] {item.rule} on {_subject(item)}: {item.reason}"
        )
    return lines


def _waived_lines(result: GateResult) -> list[str]:
    lines = ["Waived (accepted exceptions, not violations):"]
    for item in sorted(result.waived):
        v, w = item.violation, item.waiver
        lines.append(f"  {v.stack or CROSS_STACK} [{v.control}] {v.rule} on {_subject(v)}: {v.message}")
        lines.append(
            f"    waiver: {w.source}; approved by {w.approver} on {w.approved}; expires {w.expires}; "
            f"reason: {w.reason}"
        )
    return lines


def _waiver_problem_lines(result: GateResult) -> list[str]:
    lines = ["Waivers that accept nothing:"]
    lines.extend(f"  {item.status.upper()}: {item.message}" for item in result.waiver_problems)
    return lines


def render(result: GateResult) -> str:
    lines: list[str] = []
    by_stack = {
        name: list(group) for name, group in groupby(sorted(result.violations), key=lambda v: v.stack)
    }
    names = [s.name for s in sorted(result.stacks, key=lambda s: s.name)]
    names += sorted(n for n in by_stack if n not in names)
    for name in names:
        violations = by_stack.get(name, [])
        if not violations:
            lines.append(f"{_stack_heading(name, result)}: no violations")
            continue
        lines.append(_stack_heading(name, result))
        for control_id, group in groupby(violations, key=lambda v: v.control):
            title = control_title(control_id)
            lines.append(f"  {control_id} {title}".rstrip())
            for violation in group:
                lines.extend(_violation_lines(violation))
    if result.undecided:
        lines.append("")
        lines.extend(_undecided_lines(sorted(result.undecided)))
    if result.waived:
        lines.append("")
        lines.extend(_waived_lines(result))
    if result.waiver_problems:
        lines.append("")
        lines.extend(_waiver_problem_lines(result))
    lines.append("")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
