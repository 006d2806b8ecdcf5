"""SARIF 2.1.0 for code scanning: one reporting descriptor per control, one result per finding,
located at the stack's config file (what a reviewer edits) and, logically, at the resource URN."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from policies.catalog import Control
from tenantctl.gate.model import UNMATCHED, GateResult, Undecided, Violation, Waived, WaiverOutcome
from tenantctl.report.details import controls_checked, rule_fix

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "tenantctl"
TOOL_VERSION = "0.1.0"
# GitHub code scanning reads `security-severity` (0.1-10): >= 9 critical, 7-8.9 high, 4-6.9 medium.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
LEVEL = {"mandatory": "error", "advisory": "warning"}


def _identifier(title: str, fallback: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "".join(w[:1].upper() + w[1:] for w in words) or fallback


def descriptor(control: Control) -> dict[str, Any]:
    title = control.title_en or control.id
    help_text = control.remediation or title
    return {
        "id": control.id,
        "name": _identifier(control.title_en, control.id.replace("-", "")),
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{control.id}: {title}"},
        "help": {"text": help_text, "markdown": f"**{control.id}** {title}\n\n{help_text}"},
        "defaultConfiguration": {"level": LEVEL.get(control.enforcement, "error")},
        "properties": {
            "security-severity": SECURITY_SEVERITY.get(control.severity, SECURITY_SEVERITY["high"]),
            "tags": ["security", "tenant-zone", control.id],
        },
    }


def _locations(stack_files: dict[str, str | None], stack: str, urn: str, name: str) -> list[dict[str, Any]]:
    location: dict[str, Any] = {}
    file = stack_files.get(stack)
    if file:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 1},
        }
    logical: dict[str, Any] = {"fullyQualifiedName": urn or f"stack:{stack}", "kind": "resource"}
    if name:
        logical["name"] = name
    location["logicalLocations"] = [logical]
    return [location]


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _result(
    item: Violation | Undecided, index: dict[str, int], stack_files: dict[str, str | None]
) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": item.control}
    if item.control in index:
        result["ruleIndex"] = index[item.control]
    if isinstance(item, Violation):
        result["kind"] = "fail"
        result["level"] = LEVEL.get(item.enforcement, "error")
        fix = rule_fix(item.rule)
        text = f"{item.message} Fix: {fix}" if fix else item.message
        enforcement = item.enforcement
    else:
        # SARIF's "open": the tool could not tell pass from fail; its level must be "none".
        result["kind"] = "open"
        result["level"] = "none"
        text = item.message
        enforcement = "undecided"
    result["message"] = {"text": text}
    result["locations"] = _locations(stack_files, item.stack, item.urn, item.name)
    result["partialFingerprints"] = {
        "tenantZoneFinding/v1": _fingerprint(item.stack, item.rule, item.urn, item.message)
    }
    result["properties"] = {"rule": item.rule, "stack": item.stack, "enforcement": enforcement}
    return result


def _suppressed(item: Waived, index: dict[str, int], stack_files: dict[str, str | None]) -> dict[str, Any]:
    """A waived finding stays a result, with the waiver as its accepted suppression (SARIF 2.1.0 §3.35)."""
    result = _result(item.violation, index, stack_files)
    waiver = item.waiver
    result["suppressions"] = [
        {
            # inSource: written on the resource itself (a tag); external: the repository's waiver file.
            "kind": "inSource" if waiver.inline else "external",
            "status": "accepted",
            "justification": waiver.reason,
            "properties": {
                "approver": waiver.approver,
                "approved": waiver.approved,
                "expires": waiver.expires,
                "source": waiver.source,
            },
        }
    ]
    return result


def _notification(item: WaiverOutcome) -> dict[str, Any]:
    """A waiver that accepts nothing, as a notification of the run (it is not a finding about a resource)."""
    return {
        "descriptor": {"id": f"waiver-{item.status}"},
        "level": "warning" if item.status == UNMATCHED else "error",
        "message": {"text": item.message},
    }


def as_dict(result: GateResult) -> dict[str, Any]:
    controls = controls_checked(result)
    index = {c.id: i for i, c in enumerate(controls)}
    stack_files = {s.name: s.file for s in result.stacks}
    results = [_result(v, index, stack_files) for v in sorted(result.violations)]
    results += [_result(u, index, stack_files) for u in sorted(result.undecided)]
    results += [_suppressed(w, index, stack_files) for w in sorted(result.waived)]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if result.waiver_problems:
        invocation["toolExecutionNotifications"] = [_notification(w) for w in result.waiver_problems]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": TOOL_VERSION,
                        "semanticVersion": TOOL_VERSION,
                        "rules": [descriptor(c) for c in controls],
                    }
                },
                "invocations": [invocation],
                "results": results,
            }
        ],
    }


def render(result: GateResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
