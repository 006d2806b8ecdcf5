"""The catalog as one JSON-able document: controls, their checks per layer, and for each gate rule
its description, remediation and tests. ``tenantctl controls`` prints it as JSON, and the Markdown
traceability matrix (``tenantctl.docs``) is rendered from it, so the two never disagree.

Tests are found by convention: the tests of gate rule ``<rule_id>`` are the test functions in
``tests/policies/rules/test_<rule_id>.py`` (module-level ``test*`` functions and ``test*`` methods of
``Test*`` classes), read with ``ast`` so nothing is imported or run.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from policies.catalog import LAYERS, REPO_ROOT, SOURCE_DOCUMENTS, Control
from policies.coverage import load_coverage
from policies.coverage import summary as coverage_summary
from policies.framework import MultiStackRule, ResourceRule, Rule, StackRule
from policies.scopes import STACK_KINDS

RULE_TESTS_DIR = REPO_ROOT / "tests" / "policies" / "rules"
TEST_FILE_PATTERN = "tests/policies/rules/test_<rule_id>.py"


def rule_kind(rule: Rule) -> str:
    if isinstance(rule, ResourceRule):
        return "resource"
    if isinstance(rule, MultiStackRule):
        return "multi-stack"
    if isinstance(rule, StackRule):
        return "stack"
    return type(rule).__name__


def collect_test_names(test_file: Path) -> list[str]:
    """Test functions of one pytest module, in file order (``Class::method`` for test classes)."""
    if not test_file.is_file():
        return []
    tree = ast.parse(test_file.read_text(encoding="utf-8"), filename=str(test_file))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.extend(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")
            )
    return names


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _gate_rule(control: Control, rule_id: str, rules: Mapping[str, Rule], tests_dir: Path) -> dict[str, Any]:
    test_file = tests_dir / f"test_{rule_id}.py"
    rule = rules.get(rule_id)
    return {
        "id": rule_id,
        "implemented": rule is not None,
        "kind": rule_kind(rule) if rule is not None else None,
        "scope": [kind for kind in STACK_KINDS if kind in control.scope(rule_id)],
        "description": rule.description if rule is not None else None,
        "remediation": rule.remediation if rule is not None else None,
        "tests_file": _display(test_file),
        "tests": collect_test_names(test_file),
    }


def _layer(control: Control, name: str, rules: Mapping[str, Rule], tests_dir: Path) -> dict[str, Any] | None:
    layer = control.layer(name)
    if layer is None:
        return None
    if layer.manual is not None:
        return {"manual": layer.manual}
    entry: dict[str, Any] = {"status": layer.status, "checks": list(layer.checks)}
    if layer.note is not None:
        entry["note"] = layer.note
    if name == "gate":
        entry["rules"] = [_gate_rule(control, rule_id, rules, tests_dir) for rule_id in layer.checks]
    return entry


def control_entry(control: Control, rules: Mapping[str, Rule], tests_dir: Path) -> dict[str, Any]:
    layers = {}
    for name in LAYERS:
        entry = _layer(control, name, rules, tests_dir)
        if entry is not None:
            layers[name] = entry
    return {
        "id": control.id,
        "title": {"ja": control.title_ja, "en": control.title_en},
        "severity": control.severity,
        "enforcement": control.enforcement,
        "waivable": control.waivable,
        "requirement": control.requirement,
        "sources": [
            {"document": s.document, "title": s.title, "section": s.section, "quote": s.quote}
            for s in control.sources
        ],
        "aws_sources": [{"url": s.url, "fact": s.fact, "error": s.error} for s in control.aws_sources],
        "rationale": control.rationale,
        "remediation": control.remediation,
        "manual": control.manual,
        "layers": layers,
    }


def _summary(entries: Sequence[Mapping[str, Any]], rules: Mapping[str, Rule]) -> dict[str, Any]:
    by_layer: dict[str, Counter[str]] = {name: Counter() for name in LAYERS}
    cited: list[str] = []
    for entry in entries:
        for name, layer in entry["layers"].items():
            by_layer[name]["manual" if "manual" in layer else layer["status"]] += 1
        cited.extend(entry["layers"].get("gate", {}).get("checks", []))
    implemented = [rule_id for rule_id in cited if rule_id in rules]
    return {
        "controls": len(entries),
        "by_severity": dict(sorted(Counter(entry["severity"] for entry in entries).items())),
        "by_layer": {name: dict(sorted(counts.items())) for name, counts in by_layer.items()},
        "manual_controls": [entry["id"] for entry in entries if entry["manual"] is not None],
        "gate_rules": {
            "cited": len(cited),
            "implemented": len(implemented),
            "not_implemented": sorted(set(cited) - set(implemented)),
            "not_cited": sorted(set(rules) - set(cited)),
        },
    }


def build_document(
    controls: Mapping[str, Control], rules: Mapping[str, Rule], tests_dir: Path = RULE_TESTS_DIR
) -> dict[str, Any]:
    """The whole catalog with checks, rule details and tests; ordering follows the catalog."""
    entries = [control_entry(control, rules, tests_dir) for control in controls.values()]
    return {
        "catalog": "tenant-zone controls",
        "tests_convention": TEST_FILE_PATTERN,
        "sources": [
            {"document": doc.number, "file": doc.file, "title": doc.title}
            for doc in SOURCE_DOCUMENTS.values()
        ],
        "controls": entries,
        "summary": _summary(entries, rules),
        "coverage": _coverage(controls),
    }


def _coverage(controls: Mapping[str, Control]) -> dict[str, Any]:
    """The coverage table: every seed requirement with its status (``policies/coverage.py``)."""
    rows = load_coverage(controls)
    return {
        "summary": coverage_summary(rows),
        "requirements": [
            {
                "document": row.document,
                "section": row.section,
                "quote": row.quote,
                "status": row.status,
                "controls": list(row.controls),
                "reason": row.reason,
            }
            for row in rows
        ],
    }
