"""JUnit XML for CI test tabs: a test suite per stack, a test case per (stack, control).

A mandatory violation is a ``<failure>``; advisory findings go to the case's
``<system-out>`` (they do not fail the gate); a case with no failure but an
undecided rule is ``<skipped>``, so it never shows as a pass.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from tenantctl.gate.model import GateResult, Undecided, Violation
from tenantctl.report.details import controls_checked, rule_fix

CROSS_STACK = "(across stacks)"


def _failure_text(violation: Violation) -> str:
    fix = rule_fix(violation.rule)
    lines = [violation.message, f"resource: {violation.urn or '(the stack)'}", f"rule: {violation.rule}"]
    if fix:
        lines.append(f"fix: {fix}")
    return "\n".join(lines)


def as_element(result: GateResult) -> ET.Element:
    controls = controls_checked(result)
    titles = {c.id: c.title_en for c in controls}
    violations: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    undecided: dict[tuple[str, str], list[Undecided]] = defaultdict(list)
    for v in sorted(result.violations):
        violations[(v.stack, v.control)].append(v)
    for u in sorted(result.undecided):
        undecided[(u.stack, u.control)].append(u)
    stack_names = sorted(
        {s.name for s in result.stacks} | {k[0] for k in violations} | {k[0] for k in undecided}
    )

    root = ET.Element("testsuites", name="tenantctl check")
    total_tests = total_failures = total_skipped = 0
    for stack in stack_names:
        suite = ET.SubElement(root, "testsuite", name=stack or CROSS_STACK)
        control_ids = sorted(
            {c.id for c in controls} if stack else {k[1] for k in (*violations, *undecided) if k[0] == stack}
        )
        failures = skipped = 0
        for control_id in control_ids:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=stack or CROSS_STACK,
                name=f"{control_id} {titles.get(control_id, '')}".rstrip(),
            )
            found = violations.get((stack, control_id), [])
            mandatory = [v for v in found if v.enforcement == "mandatory"]
            advisory = [v for v in found if v.enforcement != "mandatory"]
            open_items = undecided.get((stack, control_id), [])
            for violation in mandatory:
                failure = ET.SubElement(case, "failure", message=violation.message, type=violation.rule)
                failure.text = _failure_text(violation)
            if mandatory:
                failures += 1
            elif open_items:
                ET.SubElement(case, "skipped", message=open_items[0].message)
                skipped += 1
            notes = [f"advisory: {_failure_text(v)}" for v in advisory]
            notes += [f"undecided: {u.message}" for u in open_items]
            if notes:
                ET.SubElement(case, "system-out").text = "\n\n".join(notes)
        suite.set("tests", str(len(control_ids)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += len(control_ids)
        total_failures += failures
        total_skipped += skipped
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("skipped", str(total_skipped))
    return root


def render(result: GateResult) -> str:
    element = as_element(result)
    ET.indent(element)
    return ET.tostring(element, encoding="unicode", xml_declaration=True) + "\n"
