"""IAM specifics on top of the shared policy-document reader (``policies.rules._common.policy_documents``)."""

from __future__ import annotations

from typing import Any

from policies.rules._common.policy_documents import Statement, action_matches

ADMIN_POLICY_NAME = "AdministratorAccess"


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
