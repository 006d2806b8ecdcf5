"""JUnit XML for CI test tabs: a test suite per stack, a test case per (stack, control).

A mandatory violation is a ``<failure>``; advisory findings go to the case's
``<system-out>`` (they do not fail the gate); a case with no failure but an
undecided rule is ``<skipped>``, so it never shows as a pass.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from tenantctl.gate.model import EXPIRED, FORBIDDEN, UNMATCHED, GateResult, Undecided, Violation, Waived
from tenantctl.report.details import controls_checked, rule_fix

CROSS_STACK = "(across stacks)"
WAIVERS = "waivers"


def _failure_text(violation: Violation) -> str:
    fix = rule_fix(violation.rule)
    lines = [violation.message, f"resource: {violation.urn or '(the stack)'}", f"rule: {violation.rule}"]
    if fix:
        lines.append(f"fix: {fix}")
    return "\n".join(lines)


def _waived_text(item: Waived) -> str:
    w = item.waiver
    return (
        f"{_failure_text(item.violation)}\nwaiver: {w.source}; approved by {w.approver} on {w.approved}; "
        f"expires {w.expires}; reason: {w.reason}"
    )


def _waiver_suite(root: ET.Element, result: GateResult) -> tuple[int, int, int]:
    """One case per waiver: applied passes, expired or forbidden fails, unmatched is skipped."""
    suite = ET.SubElement(root, "testsuite", name=WAIVERS)
    failed = unmatched = 0
    for item in sorted(result.waivers):
        case = ET.SubElement(suite, "testcase", classname=WAIVERS, name=item.waiver.source)
        if item.status in (EXPIRED, FORBIDDEN):
            ET.SubElement(
                case, "failure", message=item.message, type=f"waiver-{item.status}"
            ).text = item.message
            failed += 1
        elif item.status == UNMATCHED:
            ET.SubElement(case, "skipped", message=item.message)
            unmatched += 1
        else:
            ET.SubElement(case, "system-out").text = item.message
    suite.set("tests", str(len(result.waivers)))
    suite.set("failures", str(failed))
    suite.set("errors", "0")
    suite.set("skipped", str(unmatched))
    return len(result.waivers), failed, unmatched


def as_element(result: GateResult) -> ET.Element:
    controls = controls_checked(result)
    titles = {c.id: c.title_en for c in controls}
    violations: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    undecided: dict[tuple[str, str], list[Undecided]] = defaultdict(list)
    waived: dict[tuple[str, str], list[Waived]] = defaultdict(list)
    for v in sorted(result.violations):
        violations[(v.stack, v.control)].append(v)
    for w in sorted(result.waived):
        waived[(w.violation.stack, w.violation.control)].append(w)
    for u in sorted(result.undecided):
        undecided[(u.stack, u.control)].append(u)
    stack_names = sorted(
        {s.name for s in result.stacks}
        | {k[0] for k in violations}
        | {k[0] for k in undecided}
        | {k[0] for k in waived}
    )

    root = ET.Element("testsuites", name="tenantctl check")
    total_tests = total_failures = total_skipped = 0
    for stack in stack_names:
        suite = ET.SubElement(root, "testsuite", name=stack or CROSS_STACK)
        control_ids = sorted(
            {c.id for c in controls}
            if stack
            else {k[1] for k in (*violations, *undecided, *waived) if k[0] == stack}
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
            accepted = waived.get((stack, control_id), [])
            for violation in mandatory:
                failure = ET.SubElement(case, "failure", message=violation.message, type=violation.rule)
                failure.text = _failure_text(violation)
            if mandatory:
                failures += 1
            elif open_items:
                ET.SubElement(case, "skipped", message=open_items[0].message)
                skipped += 1
            elif accepted:
                # Not a pass either: the finding stands, accepted until the waiver expires.
                ET.SubElement(case, "skipped", message=f"waived: {accepted[0].violation.message}")
                skipped += 1
            notes = [f"advisory: {_failure_text(v)}" for v in advisory]
            notes += [f"undecided: {u.message}" for u in open_items]
            notes += [f"waived: {_waived_text(w)}" for w in accepted]
            if notes:
                ET.SubElement(case, "system-out").text = "\n\n".join(notes)
        suite.set("tests", str(len(control_ids)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += len(control_ids)
        total_failures += failures
        total_skipped += skipped
    if result.waivers:
        tests, failed, unmatched = _waiver_suite(root, result)
        total_tests += tests
        total_failures += failed
        total_skipped += unmatched
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("skipped", str(total_skipped))
    return root


def render(result: GateResult) -> str:
    element = as_element(result)
    ET.indent(element)
    return ET.tostring(element, encoding="unicode", xml_declaration=True) + "\n"
