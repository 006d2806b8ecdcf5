"""ENC-02 live: key policies separate administration from use (no principal may both manage the key and
decrypt with it, and nobody gets kms:*).

Key policy elements: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from policies.audit._aws import KMS_KEY, customer_keys
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.rules._common.policy_documents import only_through_a_service

ADMIN_ACTIONS = ("kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey")
USE_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")
EXPECTED = "separate statements for key administrators and key users; no principal with both, none with kms:*"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _principals(statement: dict[str, Any]) -> list[str]:
    """Who a statement grants to: the principals its ``aws:PrincipalArn`` condition narrows it to, if any."""
    condition = statement.get("Condition") or {}
    for operator in ("ArnLike", "ArnEquals", "StringLike", "StringEquals"):
        narrowed = (condition.get(operator) or {}).get("aws:PrincipalArn")
        if narrowed:
            return [str(p) for p in _as_list(narrowed)]
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"]
    if isinstance(principal, dict):
        return [str(p) for values in principal.values() for p in _as_list(values)]
    return []


def problem(document: dict[str, Any]) -> str:
    grants: dict[str, set[str]] = defaultdict(set)
    for statement in _as_list(document.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        actions = [str(a) for a in _as_list(statement.get("Action", []))]
        if only_through_a_service(statement.get("Condition") or {}):
            actions = [a for a in actions if not any(fnmatchcase(use, a) for use in USE_ACTIONS)]
        for principal in _principals(statement):
            if any(a in ("kms:*", "*") for a in actions):
                return f"grants kms:* to {principal}"
            grants[principal].update(actions)
    for principal, granted in sorted(grants.items()):
        admin = [a for a in ADMIN_ACTIONS if any(fnmatchcase(a, pattern) for pattern in granted)]
        use = [a for a in USE_ACTIONS if any(fnmatchcase(a, pattern) for pattern in granted)]
        if admin and use:
            return f"lets {principal} both administer the key ({admin[0]}) and use it ({use[0]})"
    return ""


class LiveKmsKeyPolicySeparation(AuditCheck):
    id = "live_kms_key_policy_separation"
    description = "Key policies separate key administration from key use"
    remediation = (
        "Restore the key policy with one statement for the key-administrator role (no Encrypt, Decrypt or "
        "GenerateDataKey*) and another for key users (no PutKeyPolicy, ScheduleKeyDeletion or DisableKey)."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            kms = target.client("kms", region)
            for key in customer_keys(target, region):
                text = kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"]
                wrong = problem(json.loads(text))
                if wrong:
                    yield AuditFailure(KMS_KEY, key["KeyId"], wrong, EXPECTED, region, key["Arn"])
