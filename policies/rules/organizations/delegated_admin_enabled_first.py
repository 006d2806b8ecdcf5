"""A service the program enables in an account is enabled before the program designates that account as the
service's delegated administrator (DEP-04).

Designating a GuardDuty or Security Hub delegated administrator switches the service on in that account and
region. If the same program also creates the detector or the Security Hub account there, and that create runs
after the designation (or concurrently: Pulumi orders only what depends on what), it fails with "already
exists" (``BadRequestException`` / ``ResourceConflictException``). Safe in both orders: the designation
depends on the enabling resource, which then exists when the designation finds it."""

from __future__ import annotations

from collections.abc import Iterator

from policies.aws_facts import SELF_ENABLING_DESIGNATIONS
from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.accounts import provider_accounts
from policies.rules._common.unknowns import require_known

EXPECTED = (
    "the designation to depend on the service's enablement in the designated account and region "
    "(depends_on=[detector or hub]), so the designation never races it"
)


def _region(resource: ResourceView) -> str | None:
    return resource.region


class DelegatedAdminEnabledFirst(StackRule):
    id = "delegated_admin_enabled_first"
    description = (
        "A GuardDuty detector or Security Hub account that the program creates in the account it designates"
        " as that service's delegated administrator is created before the designation."
    )
    remediation = (
        "Pass the security account's detector / aws.securityhub.Account (or the component holding them) in"
        " the designation's depends_on; the designation then registers an account whose service is"
        " already on."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        designations = [r for r in stack.resources if r.type in SELF_ENABLING_DESIGNATIONS]
        if not designations:
            raise NotApplicable("the program designates no GuardDuty or Security Hub delegated administrator")
        for designation in designations:
            account_prop, enabling_types = SELF_ENABLING_DESIGNATIONS[designation.type]
            account = require_known(designation.props.get(account_prop), account_prop)
            region = _region(designation)
            for enabler in stack.of_type(*enabling_types):
                if account not in provider_accounts(enabler.provider) or _region(enabler) != region:
                    continue
                if enabler.urn not in designation.dependencies:
                    yield Failure(
                        f"designates account {account} in {region}, where this program also creates"
                        f" {enabler.type} {enabler.name} without ordering: the designation enables the"
                        " service itself, so that create can fail with 'already exists'",
                        EXPECTED,
                        designation.urn,
                    )
