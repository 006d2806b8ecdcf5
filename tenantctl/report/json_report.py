"""JSON for tools: ``{"violations": [...], "summary": {...}, "stacks": [...]}`` in a stable order, plus
``waived`` (findings accepted by a waiver, each with it) and ``waivers`` (every waiver and its status) when
the run had waivers."""

from __future__ import annotations

import json
from typing import Any

from tenantctl.gate.model import GateResult


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
        },
        "stacks": stacks,
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


def render(result: GateResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
