"""Inspector is enabled for the account the program deploys into, not only for another one (VUL-01).

``aws.inspector2.Enabler`` enables scanning for the ``accountIds`` it lists, which need not include
the account its provider works in: an enabler naming only another account leaves the tenant account
unscanned while the stack looks covered. The account deployed into is the one the provider assumes a
role in; a provider without one runs with the caller's credentials, which no input states.

AWS: https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._common.accounts import tenant_account
from policies.rules._common.values import strings

ENABLER = "aws:inspector2/enabler:Enabler"


class InspectorOwnAccount(ResourceRule):
    id = "inspector_own_account"
    resource_types = frozenset({ENABLER})
    description = "An Inspector enabler includes the account its provider deploys into."
    remediation = "List the tenant account's ID (the account the provider assumes a role in) in accountIds."

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        own = tenant_account(resource)
        listed = strings(resource.props.get("accountIds"))
        if own is not None and listed and own not in listed:
            yield Failure(
                f"accountIds {', '.join(listed)} leave out account {own}, which the provider deploys into",
                f"accountIds including {own}",
            )
