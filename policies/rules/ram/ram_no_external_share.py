"""No RAM resource share reaches beyond the tenant's own account (TEN-02).

A share that allows external principals, or that names a principal outside the
stack's own account (another account, an organization or an OU, which both hold
other tenants' accounts), connects one tenant's resources to another's.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView, truthy
from policies.rules._common.accounts import describe_accounts, own_accounts
from policies.rules._common.arns import arn_account, is_account_id
from policies.rules._common.values import text
from policies.rules._net.common import links_of

RESOURCE_SHARE = "aws:ram/resourceShare:ResourceShare"
PRINCIPAL_ASSOCIATION = "aws:ram/principalAssociation:PrincipalAssociation"
EXPECTED_PRINCIPAL = "principals only in the tenant's own account"


class RamNoExternalShare(StackRule):
    id = "ram_no_external_share"
    description = (
        "RAM resource shares do not allow external principals and are associated only with the tenant's own"
        " account."
    )
    remediation = (
        "Set `allowExternalPrincipals=False` on aws.ram.ResourceShare and associate shares only with"
        " principals of the tenant's own account; never with another account, the organization or an OU."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        shares = links.of(RESOURCE_SHARE)
        associations = links.of(PRINCIPAL_ASSOCIATION)
        if not shares and not associations:
            raise NotApplicable("the stack declares no RAM resource share")
        for share in shares:
            # The provider's default for allowExternalPrincipals is false.
            if truthy(share.props.get("allowExternalPrincipals")):
                yield Failure("allowExternalPrincipals is true", "allowExternalPrincipals false", share.urn)
        accounts = own_accounts(stack) if associations else []
        for association in associations:
            principal = text(association.props.get("principal"))
            if principal is None:
                continue
            if principal.startswith("arn:aws") and ":organizations::" in principal:
                kind = "an organizational unit" if ":ou/" in principal else "an organization"
                yield Failure(
                    f"shares with {kind} ({principal}), which holds other tenants' accounts",
                    EXPECTED_PRINCIPAL,
                    association.urn,
                )
                continue
            account = principal if is_account_id(principal) else arn_account(principal)
            if account is not None and account not in accounts:
                yield Failure(
                    f"shares with account {account} ({principal}), not the stack's own account "
                    f"({describe_accounts(accounts)})",
                    EXPECTED_PRINCIPAL,
                    association.urn,
                )
