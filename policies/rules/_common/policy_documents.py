"""IAM-style policy documents (identity, trust, bucket and key policies) and other JSON inputs.

A document arrives as a JSON string (``json.dumps`` / ``Output.json_dumps`` in the program) or,
from raw programs passing a dict, as an object; ``Statement``, ``Action``, ``Resource`` and
principal lists may each be a single value or a list. Keys are case-sensitive in IAM, but teams
write ``Effect: "allow"``: values are compared case-insensitively where IAM does.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policies.framework import as_list


class PolicyDocumentError(ValueError):
    """The input is not a policy document; the message says why (``is not valid JSON (...)``)."""


def decode_json(value: Any) -> Any:
    """A JSON input decoded: None when absent or blank, the parsed value for a string, else the value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise PolicyDocumentError(f"is not valid JSON ({error.msg})") from None
    return value


def load(value: Any) -> Mapping[str, Any] | None:
    """The document as a mapping; None when absent; ``PolicyDocumentError`` when it is not a policy."""
    document = decode_json(value)
    if document is not None and not isinstance(document, Mapping):
        raise PolicyDocumentError("is not a JSON object")
    return document


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in as_list(value) if v is not None)


@dataclass(frozen=True)
class Statement:
    """One statement, read two ways: parsed fields for resource policies, raw access for IAM rules."""

    index: int
    raw: Mapping[str, Any]

    @property
    def sid(self) -> str:
        return str(self.raw.get("Sid") or "")

    @property
    def effect(self) -> str:
        """``Allow`` or ``Deny`` (as IAM compares it, whatever the program's case)."""
        return str(self.raw.get("Effect", "")).strip().capitalize()

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def not_principal(self) -> bool:
        return "NotPrincipal" in self.raw

    @property
    def principals(self) -> tuple[str, ...]:
        """``*`` for everyone; ARNs, account IDs and service names otherwise (of Principal or
        NotPrincipal)."""
        value = self.raw.get("NotPrincipal" if self.not_principal else "Principal")
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

    def principal_map(self) -> dict[str, list[str]]:
        """``{"AWS": [...], "Service": [...], ...}`` of ``Principal``; ``"*"`` is ``{"AWS": ["*"]}``."""
        value = self.raw.get("Principal")
        if isinstance(value, str):
            return {"AWS": [value]}
        if isinstance(value, Mapping):
            return {str(kind): [str(v) for v in as_list(value[kind])] for kind in value}
        return {}

    @property
    def not_action(self) -> bool:
        return "NotAction" in self.raw

    @property
    def actions(self) -> tuple[str, ...]:
        """The statement's Action, or its NotAction when it has one (see ``not_action``)."""
        return _strings(self.raw.get("NotAction" if self.not_action else "Action"))

    @property
    def not_resource(self) -> bool:
        return "NotResource" in self.raw

    @property
    def resources(self) -> tuple[str, ...]:
        """The statement's Resource, or its NotResource when it has one (see ``not_resource``)."""
        return _strings(self.raw.get("NotResource" if self.not_resource else "Resource"))

    @property
    def condition(self) -> Mapping[str, Any]:
        value = self.raw.get("Condition")
        return value if isinstance(value, Mapping) else {}

    def values(self, key: str) -> list[str]:
        return [str(v) for v in as_list(self.raw.get(key)) if v is not None]

    @property
    def label(self) -> str:
        """``statement 'Sid'`` / ``statement #1``, as resource-policy messages name statements."""
        return f"statement {self.sid!r}" if self.sid else f"statement #{self.index + 1}"

    @property
    def path_label(self) -> str:
        """``Statement[0] (Sid x)`` / ``Statement[0]``, as IAM-policy messages name statements."""
        sid = self.raw.get("Sid")
        return (
            f"Statement[{self.index}] (Sid {sid})"
            if isinstance(sid, str) and sid
            else f"Statement[{self.index}]"
        )


def statements(document: Mapping[str, Any]) -> list[Statement]:
    return [
        Statement(index, raw)
        for index, raw in enumerate(as_list(document.get("Statement")))
        if isinstance(raw, Mapping)
    ]


def action_matches(pattern: str, action: str) -> bool:
    """IAM wildcards (``*`` and ``?``), case-insensitive as IAM compares actions."""
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


def only_through_a_service(condition: Mapping[str, Any]) -> bool:
    """Whether a KMS key-policy statement applies only to requests an AWS service makes on the caller's
    behalf (``kms:ViaService`` required, not ``IfExists``): the service uses the key for its own resource and
    the caller never receives plaintext, which is how AWS Backup needs a vault creator's key access
    (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service)."""
    for operator, key, _ in condition_keys(condition):
        if key.lower() == "kms:viaservice" and operator.split(":")[-1] in ("StringEquals", "StringLike"):
            return True
    return False
