"""JSON for tools: ``{"violations": [...], "summary": {...}, "stacks": [...]}`` in a stable order, plus
``waived`` (findings accepted by a waiver, each with it) and ``waivers`` (every waiver and its status) when
the run had waivers."""

from __future__ import annotations

import json
from typing import Any

from tenantctl.gate.model import (
    JSON_FIELDS,
    NOT_APPLICABLE_ORDER,
    GateResult,
    NotApplicable,
    StackReport,
    Undecided,
    Violation,
)
from tenantctl.report.details import not_analysed_count


def as_dict(result: GateResult) -> dict[str, Any]:
    violations = sorted(result.violations)
    stacks = []
    for stack in sorted(result.stacks, key=lambda s: s.name):
        own = [v for v in violations if v.stack == stack.name]
        stacks.append(
            {
                "name": stack.name,
                "file": stack.file,
                "resources": stack.resources,
                "mandatory": sum(1 for v in own if v.enforcement == "mandatory"),
                "advisory": sum(1 for v in own if v.enforcement == "advisory"),
                "undecided": sum(1 for u in result.undecided if u.stack == stack.name),
                "notAnalysed": not_analysed_count(result, stack.name),
            }
        )
    document: dict[str, Any] = {
        "violations": [v.as_json() for v in violations],
        "summary": {
            "passed": result.passed,
            "mandatory": len(result.mandatory),
            "advisory": len(result.advisory),
            "stacks": len(result.stacks),
            "rules": len(result.rules),
            "resources": result.resources,
            "undecided": [u.as_json() for u in sorted(result.undecided)],
            # components whose resources no rule saw (each also in `undecided`, or in strict mode a violation)
            "notAnalysed": not_analysed_count(result),
        },
        "stacks": stacks,
        # What merging shard reports (``tenantctl merge``) and the HTML report need besides the above.
        "rules": list(result.rules),
        "notApplicable": [
            {"stack": n.stack, "rule": n.rule, "urn": n.urn, "reason": n.reason}
            for n in sorted(result.not_applicable, key=NOT_APPLICABLE_ORDER)
        ],
        "outOfScope": result.out_of_scope,
        "controls": {stack: dict(sorted(cells.items())) for stack, cells in sorted(result.controls.items())},
        "positions": {urn: list(where) for urn, where in sorted(result.positions.items())},
    }
    if result.waivers:
        # Findings accepted by a valid waiver (each with it), and every waiver with what became of it.
        document["summary"]["waived"] = len(result.waived)
        document["summary"]["waiver_problems"] = len(result.waiver_problems)
        document["waived"] = [w.as_json() for w in sorted(result.waived)]
        document["waivers"] = [w.as_json() for w in sorted(result.waivers)]
        for entry in stacks:
            entry["waived"] = sum(1 for w in result.waived if w.violation.stack == entry["name"])
    return document


def from_dict(data: Any) -> GateResult:
    """A report written by ``as_dict`` back to the result (raises ValueError when it is not one)."""
    try:
        undecided = data["summary"]["undecided"]
        return GateResult(
            stacks=[StackReport(s["name"], int(s["resources"]), s.get("file")) for s in data["stacks"]],
            violations=[
                Violation(**{k: v[k] for k in (*JSON_FIELDS, "enforcement")}) for v in data["violations"]
            ],
            undecided=[Undecided(**{k: u[k] for k in (*JSON_FIELDS, "reason")}) for u in undecided],
            not_applicable=[NotApplicable(**n) for n in data["notApplicable"]],
            out_of_scope=int(data["outOfScope"]),
            rules=tuple(data["rules"]),
            controls={str(k): dict(v) for k, v in data["controls"].items()},
            positions={str(k): (str(v[0]), int(v[1])) for k, v in data["positions"].items()},
        ).sort()
    except (KeyError, TypeError, IndexError, AttributeError) as error:
        raise ValueError(f"not a tenantctl check JSON report (missing or malformed {error})") from None


def render(result: GateResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
