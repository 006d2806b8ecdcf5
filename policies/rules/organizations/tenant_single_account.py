"""A tenant stack creates everything in one tenant account (TEN-01).

Every AWS resource of a tenant stack goes through an explicit provider that
assumes a role into the tenant account, and all those providers assume into
the same account. The default provider runs with the credentials of whoever
runs Pulumi, which for this project is the management account: a resource on
it would land outside the tenant's account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.framework import Failure, NotApplicable, ProviderView, StackRule, StackView, as_list
from policies.rules._common.accounts import is_default_provider, provider_accounts
from policies.rules._common.stacks import is_org_stack

EXPECTED = (
    "an explicit aws provider that assumes arn:aws:iam::<tenant account>:role/OrganizationAccountAccessRole, "
    "the same account for every provider of the stack"
)


def _role_entries(provider: ProviderView) -> list[Any]:
    return as_list(provider.prop("assumeRoles")) or as_list(provider.prop("assumeRole"))


def _uses_aws_provider(resource_type: str) -> bool:
    return resource_type.startswith("aws:")


class TenantSingleAccount(StackRule):
    id = "tenant_single_account"
    description = (
        "Every AWS resource of a tenant stack is created through an explicit provider assuming a role into"
        " the tenant's account, and all providers of the stack assume into one and the same account."
    )
    remediation = (
        "Create the resource with opts=pulumi.ResourceOptions(provider=<tenant provider>), where the provider"
        " sets assume_roles=[{'role_arn': f'arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole'}]"
        " with the account ID from the org stack's tenantAccountIds output."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if is_org_stack(stack.name):
            raise NotApplicable("the org stack runs in the management account by design")
        providers: dict[str, ProviderView] = {}
        for resource in stack.resources:
            if not _uses_aws_provider(resource.type):
                continue
            if is_default_provider(resource.provider):
                yield Failure(
                    "uses the default aws provider, which runs with the management account's credentials",
                    EXPECTED,
                    resource.urn,
                )
                continue
            assert resource.provider is not None
            providers.setdefault(resource.provider.urn, resource.provider)
        accounts: dict[str, list[str]] = {}
        for urn, provider in sorted(providers.items()):
            found = provider_accounts(provider)
            if not found and _role_entries(provider):
                # pulumi/pulumi-aws#5271: a Python dict reaches the provider JSON-encoded as written, and the
                # provider reads only `roleArn`, so {"role_arn": ...} assumes nothing.
                yield Failure(
                    "has assumeRoles entries without roleArn (a dict key role_arn is passed through unchanged"
                    " and ignored by the provider), so it assumes no role and uses the management account's"
                    " credentials",
                    EXPECTED,
                    urn,
                )
            elif not found:
                yield Failure(
                    "assumes no role, so its resources are created with the caller's (management account)"
                    " credentials",
                    EXPECTED,
                    urn,
                )
            elif len(found) > 1:
                yield Failure(f"assumes roles into several accounts ({', '.join(found)})", EXPECTED, urn)
            else:
                accounts.setdefault(found[0], []).append(urn)
        if len(accounts) > 1:
            for account, urns in sorted(accounts.items()):
                others = sorted(a for a in accounts if a != account)
                for urn in urns:
                    yield Failure(
                        f"assumes a role into account {account} while other providers of this stack assume"
                        f" into {', '.join(others)}",
                        EXPECTED,
                        urn,
                    )
