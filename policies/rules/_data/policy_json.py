"""Reading IAM-style policy documents (bucket policies, key policies) as rules need them.

A policy input arrives as a JSON string (``json.dumps`` / ``Output.json_dumps``
in the program) or, for raw programs passing a dict, as an object. Keys are
case-sensitive in IAM, but teams write ``Effect: "allow"``: values are compared
case-insensitively where IAM does.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policies.framework import as_list


class PolicyParseError(ValueError):
    pass


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str
    effect: str  # "Allow" | "Deny"
    principals: tuple[str, ...]  # "*" for everyone; ARNs / account IDs / service names otherwise
    not_principal: bool
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    condition: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"statement {self.sid!r}" if self.sid else f"statement #{self.index + 1}"


def load_document(value: Any) -> Mapping[str, Any] | None:
    """The policy as a mapping; None when absent; ``PolicyParseError`` when it is not a policy."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise PolicyParseError(f"is not valid JSON ({error.msg})") from None
    if not isinstance(value, Mapping):
        raise PolicyParseError("is not a JSON object")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in as_list(value) if v is not None)


def _principals(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping):
        found: list[str] = []
        for kind in ("AWS", "Service", "Federated", "CanonicalUser"):
            found.extend(_strings(value.get(kind)))
        return tuple(found)
    return _strings(value)


def statements(document: Mapping[str, Any]) -> list[Statement]:
    result: list[Statement] = []
    for index, raw in enumerate(as_list(document.get("Statement"))):
        if not isinstance(raw, Mapping):
            continue
        effect = str(raw.get("Effect", "")).strip().capitalize()
        principal_key = "NotPrincipal" if "NotPrincipal" in raw else "Principal"
        action_key = "NotAction" if "NotAction" in raw else "Action"
        resource_key = "NotResource" if "NotResource" in raw else "Resource"
        condition = raw.get("Condition")
        result.append(
            Statement(
                index=index,
                sid=str(raw.get("Sid") or ""),
                effect=effect,
                principals=_principals(raw.get(principal_key)),
                not_principal=principal_key == "NotPrincipal",
                actions=_strings(raw.get(action_key)),
                not_action=action_key == "NotAction",
                resources=_strings(raw.get(resource_key)),
                not_resource=resource_key == "NotResource",
                condition=condition if isinstance(condition, Mapping) else {},
            )
        )
    return result


def action_matches(pattern: str, action: str) -> bool:
    """IAM action wildcards (``*`` and ``?``), case-insensitive as IAM compares actions."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def grants_any(patterns: Sequence[str], actions: Sequence[str]) -> list[str]:
    """The ``actions`` that at least one of ``patterns`` grants."""
    return [a for a in actions if any(action_matches(p, a) for p in patterns)]


def is_everyone(principal: str) -> bool:
    return principal.strip() == "*"


def condition_values(condition: Mapping[str, Any], operator_suffix: str, key: str) -> list[str]:
    """Values of ``key`` under every operator ending with ``operator_suffix`` (e.g. ``Bool``),
    with IfExists/ForAnyValue variants folded in; keys compare case-insensitively as in IAM."""
    found: list[str] = []
    for operator, block in condition.items():
        base = str(operator).split(":")[-1]
        if base.endswith("IfExists"):
            base = base[: -len("IfExists")]
        if base != operator_suffix or not isinstance(block, Mapping):
            continue
        for condition_key, values in block.items():
            if str(condition_key).lower() == key.lower():
                found.extend(str(v).lower() for v in as_list(values))
    return found


def condition_keys(condition: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(operator, key, values) for every condition entry."""
    entries: list[tuple[str, str, list[str]]] = []
    for operator, block in condition.items():
        if isinstance(block, Mapping):
            for key, values in block.items():
                entries.append((str(operator), str(key), [str(v) for v in as_list(values)]))
    return entries
