"""TEN-02 live: no AWS RAM resource share crosses the tenant account's boundary, in either direction. A
tenant owns one account per environment, so a share it owns has no one to reach but other accounts, and a
share it receives (another tenant's subnet or transit gateway in this account) comes from another account.

Shares the account owns (ram:GetResourceShares, resourceOwner SELF) whose status is PENDING or ACTIVE are
judged by the same reading as the gate's ram_no_external_share: allowExternalPrincipals true, or a principal
association (ram:GetResourceShareAssociations, associationType PRINCIPAL, status ASSOCIATING or ASSOCIATED)
with another account, an organization or an OU (both hold other tenants' accounts) is a finding; AWS service
principals are not accounts and pass. Shares received from other accounts (resourceOwner OTHER-ACCOUNTS) in a
live status are findings.

https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShares.html
https://docs.aws.amazon.com/ram/latest/APIReference/API_ResourceShare.html (status, allowExternalPrincipals,
owningAccountId)
https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShareAssociations.html (the associations
of the shares the caller owns)
https://docs.aws.amazon.com/ram/latest/APIReference/API_ResourceShareAssociation.html (associatedEntity,
status)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.rules._common.arns import account_of

RESOURCE_SHARE = "AWS::RAM::ResourceShare"
LIVE_SHARE_STATES = ("PENDING", "ACTIVE")
LIVE_ASSOCIATION_STATES = ("ASSOCIATING", "ASSOCIATED")
EXPECTED = (
    "RAM shares only inside the tenant's own account: allowExternalPrincipals false, no other account,"
    " organization or OU as principal, and no share received from another account"
)
_SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com\Z")


def _shares(ram: Any, owner: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in ram.get_paginator("get_resource_shares").paginate(resourceOwner=owner):
        found.extend(s for s in page.get("resourceShares", []) if s.get("status") in LIVE_SHARE_STATES)
    return found


def foreign_principal(principal: str, account_id: str) -> str | None:
    """What is wrong with sharing with ``principal`` from ``account_id`` (None when it is the account itself
    or an AWS service)."""
    if _SERVICE_PRINCIPAL.match(principal):
        return None
    if ":organizations::" in principal or re.match(r"^o(u)?-", principal):
        kind = (
            "an organizational unit"
            if ":ou/" in principal or principal.startswith("ou-")
            else "an organization"
        )
        return f"shares with {kind} ({principal}), which holds other tenants' accounts"
    account = account_of(principal)
    if account == account_id:
        return None
    if account is None:
        return f"shares with {principal}, which is not a principal of this account"
    return f"shares with account {account} ({principal}), not this account"


class LiveRamSharesTenantOnly(AuditCheck):
    id = "live_ram_shares_tenant_only"
    description = "RAM resource shares neither reach nor come from another account"
    remediation = (
        "Delete the resource share (ram:DeleteResourceShare) or disassociate the outside principals"
        " (ram:DisassociateResourceShare) and set allowExternalPrincipals false; for a share received from"
        " another account, have its owner disassociate this account (or reject a pending invitation with"
        " ram:RejectResourceShareInvitation)."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            ram = target.client("ram", region)
            owned = _shares(ram, "SELF")
            for share in owned:
                if share.get("allowExternalPrincipals"):
                    yield self._failure(share, "allows external principals", region)
            if owned:
                yield from self._principals(target, ram, {s["resourceShareArn"]: s for s in owned}, region)
            for share in _shares(ram, "OTHER-ACCOUNTS"):
                owner = share.get("owningAccountId", "")
                if owner != target.account_id:
                    yield self._failure(share, f"is shared with this account by account {owner}", region)

    def _principals(
        self, target: AuditTarget, ram: Any, owned: dict[str, dict[str, Any]], region: str
    ) -> Iterator[AuditFailure]:
        pages = ram.get_paginator("get_resource_share_associations").paginate(associationType="PRINCIPAL")
        for page in pages:
            for association in page.get("resourceShareAssociations", []):
                share = owned.get(association.get("resourceShareArn", ""))
                if share is None or association.get("status") not in LIVE_ASSOCIATION_STATES:
                    continue
                wrong = foreign_principal(str(association.get("associatedEntity", "")), target.account_id)
                if wrong is not None:
                    yield self._failure(share, wrong, region)

    @staticmethod
    def _failure(share: dict[str, Any], wrong: str, region: str) -> AuditFailure:
        return AuditFailure(
            RESOURCE_SHARE, share.get("name", "?"), wrong, EXPECTED, region, share.get("resourceShareArn", "")
        )
