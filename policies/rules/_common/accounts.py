"""Which account a provider, a resource or a stack deploys into.

Tenant stacks reach the tenant account through explicit providers that assume
``OrganizationAccountAccessRole``; the default provider runs with the
credentials of whoever runs Pulumi, which for this project is the management
account, and a provider without ``assumeRoles`` states no account at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from policies.framework import ProviderView, ResourceView, StackView
from policies.rules._common.arns import arn_account, is_account_id
from policies.rules._common.unknowns import require_known
from policies.rules._common.values import strings


def is_default_provider(provider: ProviderView | None) -> bool:
    """The engine names default providers ``default`` (synth) or ``default_<version>`` (CLI)."""
    return provider is None or provider.name == "default" or provider.name.startswith("default_")


def provider_accounts(provider: ProviderView | None) -> list[str]:
    """Accounts the provider's assume-role ARNs point into, in order."""
    if provider is None:
        return []
    require_known(provider.props.get("assumeRoles"), "provider.assumeRoles")
    accounts: list[str] = []
    for role_arn in provider.assumed_role_arns:
        account = arn_account(require_known(role_arn, "provider.assumeRoles.roleArn"))
        if account and account not in accounts:
            accounts.append(account)
    return accounts


def tenant_account(resource: ResourceView) -> str | None:
    """The account a resource is created in, when its provider says so (assume-role into one account)."""
    accounts = provider_accounts(resource.provider)
    return accounts[0] if len(accounts) == 1 else None


def own_accounts(stack: StackView) -> list[str]:
    """The accounts this stack deploys into: those its aws providers assume a role in or allow.

    A provider without ``assumeRoles`` runs with the caller's credentials, whose
    account a program does not state; such a stack has no provable account.
    """
    providers = {r.provider.urn: r.provider for r in stack.resources if r.provider is not None}
    found: list[str] = []
    for provider in providers.values():
        if not provider.type.startswith("pulumi:providers:aws"):
            continue
        candidates = provider_accounts(provider)
        candidates += [a for a in strings(provider.prop("allowedAccountIds")) if is_account_id(a)]
        for account in candidates:
            if account not in found:
                found.append(account)
    return found


def describe_accounts(accounts: Sequence[str]) -> str:
    if not accounts:
        return "none known: no aws provider of the stack assumes a role or sets allowedAccountIds"
    return ", ".join(accounts)
