"""Stack names: ``org`` is the organization stack, every other stack is ``<tenant>-<env>``."""

from __future__ import annotations

import re

from policies.framework import StackView

ORG_STACK = "org"
ENVIRONMENTS = ("prod", "staging", "dev")
PROD = "prod"
_TENANT_STACK = re.compile(rf"^(?P<tenant>.+)-(?P<env>{'|'.join(ENVIRONMENTS)})\Z")


def _name(stack: StackView | str) -> str:
    return stack if isinstance(stack, str) else stack.name


def is_org_stack(stack: StackView | str) -> bool:
    return _name(stack) == ORG_STACK


def stack_environment(stack: StackView | str) -> str | None:
    """``acme-prod`` -> ``prod``; None for ``org`` and names outside ``<tenant>-<env>``."""
    match = _TENANT_STACK.match(_name(stack))
    return match.group("env") if match else None


def stack_tenant(stack: StackView | str) -> str | None:
    """``acme-prod`` -> ``acme``; None for ``org`` and names outside ``<tenant>-<env>``."""
    match = _TENANT_STACK.match(_name(stack))
    return match.group("tenant") if match else None
