"""A key policy that separates administration from use, and names a recovery principal, as ENC-02 wants it."""

from __future__ import annotations

import json
from typing import Any

ADMIN_ROLE = "arn:aws:iam::111111111111:role/KeyAdministrator"
APP_ROLE = "arn:aws:iam::111111111111:role/App"
ROOT = "arn:aws:iam::111111111111:root"
# Outside the account, so that no user pattern of the tests (role/*) reaches it.
RECOVERY_ROLE = "arn:aws:iam::222222222222:role/KeyRecovery"
ADMIN_ACTIONS = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
]
USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]


def admin_statement(principal: Any = ADMIN_ROLE, actions: Any = None) -> dict[str, Any]:
    return {
        "Sid": "KeyAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": actions or ADMIN_ACTIONS,
        "Resource": "*",
    }


def use_statement(principal: Any = None, actions: Any = None) -> dict[str, Any]:
    return {
        "Sid": "KeyUse",
        "Effect": "Allow",
        "Principal": principal or {"AWS": [APP_ROLE], "Service": "logs.ap-northeast-1.amazonaws.com"},
        "Action": actions or USE_ACTIONS,
        "Resource": "*",
    }


def recovery_statement(role: str = RECOVERY_ROLE) -> dict[str, Any]:
    """A second principal that may change the policy, and nothing else."""
    return {
        "Sid": "KeyPolicyRecovery",
        "Effect": "Allow",
        "Principal": {"AWS": role},
        "Action": ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy"],
        "Resource": "*",
    }


def key_policy(*statements: dict[str, Any], recovery: bool = True) -> str:
    """The statements given (by default an administrator's and a user's), then the recovery statement."""
    chosen = list(statements or (admin_statement(), use_statement()))
    return json.dumps({"Version": "2012-10-17", "Statement": chosen + [recovery_statement()] * recovery})
