"""Reports of a run that refused its input (exit 2): still valid SARIF, JUnit and JSON, saying why.

CI uploads the report whatever the exit code; a missing or empty file would hide the reason. Each
refusal is located at the file it is about (the stack's config file) when there is one.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tenantctl.report.sarif import SARIF_SCHEMA, TOOL_NAME, TOOL_VERSION


@dataclass(frozen=True)
class Refusal:
    message: str
    file: str | None = None  # relative to the repository, forward slashes
    stack: str | None = None


def sarif(refusals: Sequence[Refusal]) -> str:
    notifications: list[dict[str, Any]] = []
    for refusal in refusals:
        notification: dict[str, Any] = {"level": "error", "message": {"text": refusal.message}}
        if refusal.file:
            notification["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": refusal.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 1},
                    }
                }
            ]
        notifications.append(notification)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": TOOL_NAME, "version": TOOL_VERSION, "semanticVersion": TOOL_VERSION}
                },
                "invocations": [
                    {
                        "executionSuccessful": False,
                        "exitCode": 2,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": [],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def junit(refusals: Sequence[Refusal]) -> str:
    root = ET.Element("testsuites", name="tenantctl check", tests=str(len(refusals)), failures="0")
    root.set("errors", str(len(refusals)))
    for refusal in refusals:
        suite = ET.SubElement(
            root, "testsuite", name=refusal.stack or "input", tests="1", failures="0", errors="1", skipped="0"
        )
        case = ET.SubElement(suite, "testcase", classname=refusal.stack or "input", name="input accepted")
        if refusal.file:
            case.set("file", refusal.file)
        error = ET.SubElement(case, "error", message=refusal.message, type="input refused")
        error.text = refusal.message
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def as_json(refusals: Sequence[Refusal]) -> str:
    document = {
        "error": refusals[0].message if refusals else "",
        "errors": [{"message": r.message, "file": r.file, "stack": r.stack} for r in refusals],
        "summary": {"passed": False, "exitCode": 2},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"sarif": sarif, "junit": junit, "json": as_json}
