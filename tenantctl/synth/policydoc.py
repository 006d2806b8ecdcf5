"""``aws.iam.get_policy_document`` rendered the way the AWS provider renders it.

The provider (Terraform's ``aws_iam_policy_document``) writes ``Version``,
``Id`` and ``Statement`` with Go's JSON encoder, indented by two spaces:
fields in a fixed order, empty ones left out, a list of one string collapsed
to the string, longer lists sorted in reverse, principals and conditions
grouped by type and test, map keys sorted, and ``<``, ``>``, ``&`` escaped.
Statements from ``sourcePolicyDocuments`` come first; the document's own
statements and then ``overridePolicyDocuments`` replace statements with the
same ``Sid`` or are appended.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

STATEMENT_FIELDS = (
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [v for v in value if isinstance(v, str)]
    return []


def _collapse(values: list[str]) -> str | list[str] | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return sorted(set(values), reverse=True)


def _principals(blocks: Any) -> Any:
    if not isinstance(blocks, Sequence) or not blocks:
        return None
    entries = [b for b in blocks if isinstance(b, Mapping)]
    if (
        len(entries) == 1
        and entries[0].get("type") == "*"
        and _strings(entries[0].get("identifiers")) == ["*"]
    ):
        return "*"
    grouped: dict[str, Any] = {}
    for block in entries:
        kind = str(block.get("type", ""))
        identifiers = _collapse(_strings(block.get("identifiers")))
        if identifiers is None:
            continue
        grouped[kind] = _merge(grouped.get(kind), identifiers)
    return grouped or None


def _merge(existing: Any, new: str | list[str]) -> str | list[str]:
    # a second block of the same principal type or condition test extends the first
    return new if existing is None else _strings(existing) + _strings(new)


def _conditions(blocks: Any) -> Any:
    if not isinstance(blocks, Sequence) or not blocks:
        return None
    grouped: dict[str, dict[str, Any]] = {}
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        test, variable = str(block.get("test", "")), str(block.get("variable", ""))
        values = _collapse(_strings(block.get("values")))
        if values is None:
            continue
        by_variable = grouped.setdefault(test, {})
        by_variable[variable] = _merge(by_variable.get(variable), values)
    return grouped or None


def _statement(block: Mapping[str, Any]) -> dict[str, Any]:
    raw = {
        "Sid": block.get("sid") or None,
        "Effect": block.get("effect") or "Allow",
        "Action": _collapse(_strings(block.get("actions"))),
        "NotAction": _collapse(_strings(block.get("notActions"))),
        "Resource": _collapse(_strings(block.get("resources"))),
        "NotResource": _collapse(_strings(block.get("notResources"))),
        "Principal": _principals(block.get("principals")),
        "NotPrincipal": _principals(block.get("notPrincipals")),
        "Condition": _conditions(block.get("conditions")),
    }
    return {key: value for key, value in raw.items() if value not in (None, "", [], {})}


def _ordered(statement: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: statement[key] for key in STATEMENT_FIELDS if statement.get(key) not in (None, "", [], {})}
    out.update({key: value for key, value in statement.items() if key not in STATEMENT_FIELDS})
    return out


def _parsed_statements(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, str) or not document.strip():
        return []
    try:
        parsed = json.loads(document)
    except ValueError:
        return []
    statements = parsed.get("Statement") if isinstance(parsed, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    return [_ordered(s) for s in statements or [] if isinstance(s, Mapping)]


def _upsert(statements: list[dict[str, Any]], new: dict[str, Any]) -> None:
    sid = new.get("Sid")
    if sid:
        for index, existing in enumerate(statements):
            if existing.get("Sid") == sid:
                statements[index] = new
                return
    statements.append(new)


def _go_json(value: Any, indent: int | None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sorted_maps(value: Any) -> Any:
    """Go sorts map keys when encoding; statements keep their struct field order."""
    if isinstance(value, Mapping):
        return {key: _sorted_maps(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_maps(v) for v in value]
    return value


def render(args: Mapping[str, Any]) -> dict[str, Any]:
    """The data source's result for its (camelCase) arguments."""
    statements: list[dict[str, Any]] = []
    for source in args.get("sourcePolicyDocuments") or []:
        for statement in _parsed_statements(source):
            _upsert(statements, statement)
    for block in args.get("statements") or []:
        if isinstance(block, Mapping):
            _upsert(statements, _statement(block))
    for override in args.get("overridePolicyDocuments") or []:
        for statement in _parsed_statements(override):
            _upsert(statements, statement)
    document: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        document["Id"] = args["policyId"]
    if statements:
        document["Statement"] = [
            {
                key: (_sorted_maps(value) if key in ("Principal", "NotPrincipal", "Condition") else value)
                for key, value in s.items()
            }
            for s in statements
        ]
    pretty = _go_json(document, 2)
    minified = _go_json(document, None)
    return {
        **{key: value for key, value in args.items() if key in ("statements", "version", "policyId")},
        # the provider's ID for the data source is a checksum of the document
        "id": str(zlib.crc32(minified.encode())),
        "json": pretty,
        "minifiedJson": minified,
    }
