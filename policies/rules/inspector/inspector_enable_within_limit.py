"""An Inspector enabler lists no more accounts than one ``Enable`` call accepts (DEP-07).

``aws.inspector2.Enabler`` activates scanning with one ``Enable`` request for all the ``accountIds`` it
lists, and AWS accepts at most 100 account IDs per request
(https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html: "Array Members: Minimum number of 0
items. Maximum number of 100 items."); a longer list fails with ``ValidationException`` before any account
is activated. A delegated administrator activating a large organization's existing accounts must split them
over several enablers. A list whose length is not known at preview is undecided, never passed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policies.aws_facts import INSPECTOR_ENABLE_MAX_ACCOUNTS
from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView
from policies.rules._common.unknowns import require_known

ENABLER = "aws:inspector2/enabler:Enabler"


class InspectorEnableWithinLimit(ResourceRule):
    id = "inspector_enable_within_limit"
    resource_types = frozenset({ENABLER})
    description = (
        f"An Inspector enabler lists at most {INSPECTOR_ENABLE_MAX_ACCOUNTS} account IDs, the most one Enable"
        " request accepts."
    )
    remediation = (
        f"Split the accounts into batches of at most {INSPECTOR_ENABLE_MAX_ACCOUNTS} and declare one"
        " inspector2.Enabler per batch, keeping the first batch's resource name."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        accounts = require_known(resource.props.get("accountIds"), "accountIds")
        if accounts is None:
            raise NotApplicable("the enabler lists no accounts")
        # The length only: at preview the IDs of accounts created in the same run are unknown, their count
        # is not (reading the items would make the whole list undecided).
        count = len(accounts) if isinstance(accounts, Sequence) and not isinstance(accounts, str) else 1
        if count > INSPECTOR_ENABLE_MAX_ACCOUNTS:
            yield Failure(
                f"accountIds lists {count} accounts, which Inspector's Enable refuses (ValidationException:"
                f" at most {INSPECTOR_ENABLE_MAX_ACCOUNTS} account IDs per request)",
                f"at most {INSPECTOR_ENABLE_MAX_ACCOUNTS} account IDs per inspector2.Enabler, the rest in"
                " further enablers",
            )
