"""A key policy that separates administration from use, as ENC-02 wants it."""

from __future__ import annotations

import json
from typing import Any

ADMIN_ROLE = "arn:aws:iam::111111111111:role/KeyAdministrator"
APP_ROLE = "arn:aws:iam::111111111111:role/App"
ROOT = "arn:aws:iam::111111111111:root"
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


def key_policy(*statements: dict[str, Any]) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": list(statements or (admin_statement(), use_statement()))}
    )
