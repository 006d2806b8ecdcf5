"""IAM policy documents as the IAM rules read them (identity policies and role trust policies).

A policy arrives as a JSON string (``json.dumps`` / ``Output.json_dumps`` in
the program) or, from raw programs passing a dict, as an object; ``Statement``,
``Action``, ``Resource`` and principal lists may each be a single value or a
list. Action and resource matching follows IAM: case-insensitive service and
action names, ``*`` and ``?`` wildcards.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies.framework import as_list

ADMIN_POLICY_NAME = "AdministratorAccess"


class PolicyDocumentError(ValueError):
    pass


@dataclass(frozen=True)
class Statement:
    index: int
    raw: Mapping[str, Any]

    @property
    def label(self) -> str:
        sid = self.raw.get("Sid")
        return (
            f"Statement[{self.index}] (Sid {sid})"
            if isinstance(sid, str) and sid
            else f"Statement[{self.index}]"
        )

    @property
    def allows(self) -> bool:
        return str(self.raw.get("Effect", "")).strip().lower() == "allow"

    def values(self, key: str) -> list[str]:
        return [str(v) for v in as_list(self.raw.get(key)) if v is not None]

    def principals(self) -> dict[str, list[str]]:
        """``{"AWS": [...], "Service": [...], "Federated": [...]}``; ``Principal: "*"`` is ``{"AWS": ["*"]}``."""
        value = self.raw.get("Principal")
        if value is None:
            return {}
        if isinstance(value, str):
            return {"AWS": [value]}
        if isinstance(value, Mapping):
            return {str(kind): [str(v) for v in as_list(value[kind])] for kind in value}
        return {}

    def conditions(self) -> Mapping[str, Any]:
        value = self.raw.get("Condition")
        return value if isinstance(value, Mapping) else {}


def load(value: Any) -> Mapping[str, Any] | None:
    """The document as a mapping; None when absent; ``PolicyDocumentError`` when it is not a policy."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise PolicyDocumentError(f"is not valid JSON ({error.msg})") from None
    if not isinstance(value, Mapping):
        raise PolicyDocumentError("is not a JSON object")
    return value


def statements(document: Mapping[str, Any]) -> list[Statement]:
    return [
        Statement(index, raw)
        for index, raw in enumerate(as_list(document.get("Statement")))
        if isinstance(raw, Mapping)
    ]


def action_matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def grants_action(statement: Statement, action: str) -> bool:
    """Whether an Allow statement's Action (or NotAction) covers ``action``."""
    if "NotAction" in statement.raw:
        return not any(action_matches(p, action) for p in statement.values("NotAction"))
    return any(action_matches(p, action) for p in statement.values("Action"))


def is_admin_policy_arn(value: Any) -> bool:
    """``arn:aws:iam::aws:policy/AdministratorAccess`` in any partition."""
    if not isinstance(value, str):
        return False
    prefix, _, name = value.rpartition(":policy/")
    return name == ADMIN_POLICY_NAME and prefix.startswith("arn:aws") and prefix.endswith(":iam::aws")
