"""Inspector is enabled for the account the program deploys into, not only for another one (VUL-01).

``aws.inspector2.Enabler`` enables scanning for the ``accountIds`` it lists, which need not include
the account its provider works in: an enabler naming only another account leaves the tenant account
unscanned while the stack looks covered. The account deployed into is the one the provider assumes a
role in; a provider without one runs with the caller's credentials, which no input states.

An enabler without its own account passes when another enabler of the stack, in the same account and
Region, lists it: a delegated administrator activates its members in ``Enable`` requests of at most 100
account IDs (DEP-07), and only one of those requests needs to name the administrator itself.

AWS: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules._common.accounts import tenant_account
from policies.rules._common.values import strings

ENABLER = "aws:inspector2/enabler:Enabler"


class InspectorOwnAccount(StackRule):
    id = "inspector_own_account"
    description = (
        "Each account and Region an Inspector enabler's provider deploys into is among the accountIds of an"
        " enabler there."
    )
    remediation = "List the tenant account's ID (the account the provider assumes a role in) in accountIds."

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        enablers = list(stack.of_type(ENABLER))
        if not enablers:
            raise NotApplicable("the stack enables Inspector nowhere")
        listed = {enabler.urn: strings(enabler.props.get("accountIds")) for enabler in enablers}
        covered = {
            (own, enabler.region)
            for enabler in enablers
            if (own := tenant_account(enabler)) is not None and own in listed[enabler.urn]
        }
        for enabler in enablers:
            own = tenant_account(enabler)
            accounts = listed[enabler.urn]
            if own is None or not accounts or own in accounts or (own, enabler.region) in covered:
                continue
            yield Failure(
                f"accountIds {', '.join(accounts)} leave out account {own}, which the provider deploys into",
                f"accountIds including {own}",
                enabler.urn,
            )
