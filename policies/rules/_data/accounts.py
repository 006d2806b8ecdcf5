"""Which account and which kind of stack a resource belongs to (shared by the data-protection rules).

Tenant stacks reach the tenant account through explicit providers that assume
``OrganizationAccountAccessRole``; the default provider runs with the
credentials of whoever runs Pulumi, which for this project is the management
account. Stack names carry the environment: ``org`` or ``<tenant>-<env>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from policies.framework import ProviderView, ResourceView

ORG_STACK = "org"
ENVIRONMENTS = ("prod", "staging", "dev")
PROD = "prod"

_ARN = re.compile(r"^arn:aws[a-z-]*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12})?:(?P<rest>.+)$")
_TENANT_STACK = re.compile(rf"^(?P<tenant>.+)-(?P<env>{'|'.join(ENVIRONMENTS)})$")

# pulumi_policy's preview sentinels (``pulumi_policy.proxy.UNKNOWN_*``). Provider props may reach a
# rule unwrapped, so rules that read them check for the sentinels themselves.
_UNKNOWN_SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)


def known(value: Any, path: str) -> Any:
    """``value`` unless it is a preview unknown, in which case raise as the policy proxy would."""
    if isinstance(value, str) and value in _UNKNOWN_SENTINELS:
        # Imported here: pulumi_policy pulls in the Pulumi SDK, which rules must not load at import.
        from pulumi_policy.proxy import UnknownValueError

        raise UnknownValueError(value, path.split("."))
    return value


def parse_arn(value: Any) -> dict[str, str] | None:
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


def is_default_provider(provider: ProviderView | None) -> bool:
    """The engine names default providers ``default`` (synth) or ``default_<version>`` (CLI)."""
    return provider is None or provider.name == "default" or provider.name.startswith("default_")


def provider_accounts(provider: ProviderView | None) -> list[str]:
    """Accounts the provider's assume-role ARNs point into, in order."""
    if provider is None:
        return []
    known(provider.props.get("assumeRoles"), "provider.assumeRoles")
    accounts: list[str] = []
    for role_arn in provider.assumed_role_arns:
        account = arn_account(known(role_arn, "provider.assumeRoles.roleArn"))
        if account and account not in accounts:
            accounts.append(account)
    return accounts


def tenant_account(resource: ResourceView) -> str | None:
    """The account a resource is created in, when its provider says so (assume-role into one account)."""
    accounts = provider_accounts(resource.provider)
    return accounts[0] if len(accounts) == 1 else None


def is_org_stack(stack_name: str) -> bool:
    return stack_name == ORG_STACK


def stack_environment(stack_name: str) -> str | None:
    """``acme-prod`` -> ``prod``; None for ``org`` and names that do not follow ``<tenant>-<env>``."""
    match = _TENANT_STACK.match(stack_name)
    return match.group("env") if match else None


def stack_tenant(stack_name: str) -> str | None:
    match = _TENANT_STACK.match(stack_name)
    return match.group("tenant") if match else None


def tags_of(resource: ResourceView) -> dict[str, Any]:
    """The resource's tags over its provider's ``defaultTags`` (the provider merges them the same way)."""
    merged: dict[str, Any] = {}
    if resource.provider is not None:
        defaults = resource.provider.prop("defaultTags")
        default_tags = defaults.get("tags") if isinstance(defaults, Mapping) else None
        if isinstance(default_tags, Mapping):
            merged.update(default_tags)
    own = resource.props.get("tags")
    if isinstance(own, Mapping):
        merged.update(own)
    return merged
