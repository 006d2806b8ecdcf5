"""AWS Backup plans: their rules, labelled for messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policies.framework import ResourceView, as_list

PLAN = "aws:backup/plan:Plan"
SELECTION = "aws:backup/selection:Selection"
VAULT = "aws:backup/vault:Vault"
VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"


def plan_rules(plan: ResourceView) -> list[tuple[str, Mapping[str, Any]]]:
    """(label, rule) for each rule block: ``rules[0] (daily)``."""
    found = []
    for index, rule in enumerate(as_list(plan.props.get("rules"))):
        if isinstance(rule, Mapping):
            name = rule.get("ruleName")
            found.append(
                (f"rules[{index}] ({name})" if isinstance(name, str) and name else f"rules[{index}]", rule)
            )
    return found
