"""ARNs and account IDs: ``arn:<partition>:<service>:<region>:<account>:<resource>``."""

from __future__ import annotations

import re
from typing import Any

ACCOUNT_ID = re.compile(r"^\d{12}\Z")
_ARN = re.compile(
    r"^arn:aws[a-z-]*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12})?:(?P<rest>.+)$"
)


def parse_arn(value: Any) -> dict[str, str] | None:
    """``{"service", "region", "account", "rest"}`` ("" where the ARN leaves a part empty), or None."""
    if not isinstance(value, str):
        return None
    match = _ARN.match(value)
    return match.groupdict(default="") if match else None


def arn_account(value: Any) -> str | None:
    parts = parse_arn(value)
    return parts["account"] or None if parts else None


def arn_region(value: Any) -> str | None:
    parts = parse_arn(value)
    return parts["region"] or None if parts else None


def is_account_id(value: Any) -> bool:
    return isinstance(value, str) and bool(ACCOUNT_ID.match(value))


def account_of(principal: Any) -> str | None:
    """The account a principal names: a bare account ID, or the account part of an ARN."""
    if is_account_id(principal):
        return str(principal)
    return arn_account(principal)
