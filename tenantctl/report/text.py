"""Text for people: the verdict first; then the findings grouped by control, the fix said once per rule
of the group; then every stack with its count; then what could not be decided; the summary line last
(where CI logs are read from the bottom)."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from tenantctl.gate.model import GateResult, Undecided, Violation
from tenantctl.gate.unseen import is_unseen
from tenantctl.report.details import control_title, not_analysed_count, rule_fix, summary_line

CROSS_STACK = "(across stacks)"


def _subject(item: Violation | Undecided) -> str:
    return f"{item.type} {item.name}".strip() if item.urn else "the stack"


def _violation_lines(violation: Violation) -> list[str]:
    lines = [
        f"  {violation.enforcement.upper()} {violation.stack or CROSS_STACK}: {_subject(violation)}",
        f"    resource: {violation.urn or '(the stack)'}",
        f"    wrong:    {violation.wrong}",
    ]
    if violation.expected:
        lines.append(f"    expected: {violation.expected}")
    return lines


def _undecided_lines(items: list[Undecided]) -> list[str]:
    lines = ["Undecided (values unknown until deployment; not a pass):"]
    for item in items:
        lines.append(
            f"  {item.stack or CROSS_STACK} [{item.control}] {item.rule} on {_subject(item)}: {item.reason}"
        )
    return lines


def _not_analysed_lines(items: list[Undecided]) -> list[str]:
    lines = ["Not analysed (built by a package plugin that does not run offline; not a pass):"]
    lines.extend(f"  {item.stack or CROSS_STACK} {item.message}" for item in items)
    return lines


def _stack_line(found_here: int, unseen_here: int) -> str:
    """A stack's count; "no violations" only when the gate saw everything the stack declares."""
    if unseen_here:
        return f"{_plural(found_here, 'violation')}, {_plural(unseen_here, 'component')} not analysed"
    return _plural(found_here, "violation") if found_here else "no violations"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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
    # INCOMPLETE: nothing failed in what was analysed, but some of the stack was not seen.
    verdict = "FAIL" if not result.passed else "INCOMPLETE" if not_analysed_count(result) else "PASS"
    lines = [f"{verdict}: {summary_line(result)}"]
    by_control = sorted(result.violations, key=lambda v: (v.control, v.rule, v))
    for control_id, group in groupby(by_control, key=lambda v: v.control):
        found = list(group)
        lines.append("")
        lines.append(
            f"{control_id} {control_title(control_id)}".rstrip() + f" ({_plural(len(found), 'finding')})"
        )
        for rule_id, same_rule in groupby(found, key=lambda v: v.rule):
            fix = rule_fix(rule_id)
            lines.append(f"  fix ({rule_id}): {fix}" if fix else f"  rule: {rule_id}")
            for violation in same_rule:
                lines.extend(_violation_lines(violation))
    counts = Counter(v.stack for v in result.violations)
    files = {s.name: s.file for s in result.stacks}
    names = sorted({s.name for s in result.stacks} | set(counts))
    lines.append("")
    lines.append("Stacks:")
    for name in names:
        label = f"{name or CROSS_STACK} ({files[name]})" if files.get(name) else name or CROSS_STACK
        found_here = counts.get(name, 0)
        lines.append(f"  {label}: {_stack_line(found_here, not_analysed_count(result, name))}")
    undecided = sorted(u for u in result.undecided if not is_unseen(u))
    if undecided:
        lines.append("")
        lines.extend(_undecided_lines(undecided))
    unseen = sorted(u for u in result.undecided if is_unseen(u))
    if unseen:
        lines.append("")
        lines.extend(_not_analysed_lines(unseen))
    if result.waived:
        lines.append("")
        lines.extend(_waived_lines(result))
    if result.waiver_problems:
        lines.append("")
        lines.extend(_waiver_problem_lines(result))
    lines.append("")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
