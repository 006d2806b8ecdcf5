"""The audit check model shared by the runner and the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

_T = TypeVar("_T")

TENANT = "tenant"
ORGANIZATION = "organization"


@dataclass(frozen=True)
class AuditFailure:
    """One live resource that breaks a control: its CloudFormation-style type, its name or ARN, the
    region it lives in, what is wrong and what was expected."""

    type: str
    name: str
    wrong: str
    expected: str
    region: str = ""
    arn: str = ""


class AuditTarget(Protocol):
    """What a check can read: clients inside the audited account and what the catalog expects there."""

    account_id: str
    stack: str
    regions: tuple[str, ...]
    # The tenant's spec (tenant scope) or None; the organization's expected shape (organization scope).
    spec: Any
    expected: Any

    def client(self, service: str, region: str) -> Any: ...

    def memo(self, key: str, build: Callable[[], _T]) -> _T: ...


class AuditCheck:
    """Base of every audit check. Subclasses set ``id`` (== module name), ``description``,
    ``remediation`` and ``scope`` (``tenant``: runs in each tenant account; ``organization``: runs once
    in the management account)."""

    id: ClassVar[str]
    description: ClassVar[str]
    remediation: ClassVar[str]
    scope: ClassVar[str] = TENANT

    def run(self, target: AuditTarget) -> Iterable[AuditFailure]:
        raise NotImplementedError


@dataclass
class Memo:
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, build: Callable[[], _T]) -> _T:
        if key not in self.values:
            self.values[key] = build()
        result: _T = self.values[key]
        return result


def error_code(error: BaseException) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""
