"""What moto (5.2.5) lacks of AWS RAM that the audit reads: ``GetResourceShares`` with
``resourceOwner=OTHER-ACCOUNTS`` raises NotImplementedError there. Installed into the sandbox's moto server
and into the in-process ``mock_aws`` of the tests, it answers as AWS does: the shares of other accounts, in
the same Region, associated with the calling account directly, through its organization or through an OU
above it (https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShares.html). Shares the caller
owns (``SELF``) are moto's own answer, unchanged.
"""

from __future__ import annotations

from typing import Any

from moto.organizations.models import organizations_backends
from moto.ram.models import ResourceAccessManagerBackend, ram_backends

OTHER_ACCOUNTS = "OTHER-ACCOUNTS"


def _principals_naming(account_id: str) -> set[str]:
    """The principals a share can name to reach ``account_id``: the account, its organization, its OUs."""
    names = {account_id}
    master = organizations_backends.master_accounts.get(account_id)
    if master is None:
        return names
    organizations = organizations_backends[master[0]][master[1]]
    if organizations.org is None:
        return names
    names.add(organizations.org.arn)
    child = account_id
    while True:
        parents = organizations.list_parents(ChildId=child)["Parents"]
        if not parents or parents[0]["Type"] != "ORGANIZATIONAL_UNIT":
            return names
        child = parents[0]["Id"]
        names.add(organizations.get_organizational_unit_by_id(child).arn)


def _received(backend: ResourceAccessManagerBackend) -> dict[str, Any]:
    naming = _principals_naming(backend.account_id)
    shares = [
        share.describe()
        for account_id, region, other in ram_backends.iter_backends()
        if account_id != backend.account_id and region == backend.region_name
        if isinstance(other, ResourceAccessManagerBackend)
        for share in other.resource_shares
        if share.status != "DELETED" and naming & set(share.principals)
    ]
    return {"resourceShares": shares}


def install() -> None:
    """Answer OTHER-ACCOUNTS in every RAM backend (idempotent)."""
    original = ResourceAccessManagerBackend.get_resource_shares
    if getattr(original, "answers_other_accounts", False):
        return

    def get_resource_shares(self: ResourceAccessManagerBackend, resource_owner: str | None) -> dict[str, Any]:
        if resource_owner == OTHER_ACCOUNTS:
            return _received(self)
        return original(self, resource_owner)

    get_resource_shares.answers_other_accounts = True  # type: ignore[attr-defined]
    ResourceAccessManagerBackend.get_resource_shares = get_resource_shares  # type: ignore[method-assign]
