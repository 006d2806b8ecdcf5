"""A Shield Advanced protection waits for the account's Shield Advanced subscription (DEP-04).

``CreateProtection`` in an account without a subscription fails with ``ResourceNotFoundException`` ("The
subscription does not exist"). A freshly vended account has none, so the program that protects resources must
declare ``aws.shield.Subscription`` in the same account and make every protection depend on it; a protection
that does not depend on it may be created first. Protections through a provider of another account need that
account's own subscription.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.aws_facts import SHIELD_SUBSCRIPTION_TYPE
from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.accounts import provider_accounts

PROTECTION = "aws:shield/protection:Protection"
EXPECTED = (
    "an aws:shield/subscription:Subscription declared through the same provider (protect=True, "
    "retain_on_delete=True: a one-year commitment) and listed in the protection's depends_on"
)


def _account_key(resource: ResourceView) -> str:
    """The account a resource is created in (Shield is global: one subscription per account), else its
    provider."""
    accounts = provider_accounts(resource.provider)
    if len(accounts) == 1:
        return accounts[0]
    return resource.provider.urn if resource.provider is not None else ""


class ShieldSubscriptionDeclared(StackRule):
    id = "shield_subscription_declared"
    description = (
        "Every Shield Advanced protection depends on a Shield Advanced subscription declared in the same "
        "account, so CreateProtection never runs in an account without one."
    )
    remediation = (
        "Declare aws.shield.Subscription(auto_renew='ENABLED') with the protections' provider and"
        " opts=ResourceOptions(protect=True, retain_on_delete=True), and add it to each protection's"
        " depends_on."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        protections = list(stack.of_type(PROTECTION))
        if not protections:
            raise NotApplicable("the stack declares no Shield Advanced protection")
        subscriptions: dict[str, list[str]] = {}
        for subscription in stack.of_type(SHIELD_SUBSCRIPTION_TYPE):
            subscriptions.setdefault(_account_key(subscription), []).append(subscription.urn)
        for protection in protections:
            same_account = subscriptions.get(_account_key(protection), [])
            if not same_account:
                yield Failure(
                    "has no Shield Advanced subscription in its account, so CreateProtection fails with "
                    "ResourceNotFoundException in a new account",
                    EXPECTED,
                    protection.urn,
                )
            elif not set(same_account) & set(protection.dependencies):
                yield Failure(
                    "does not depend on the account's Shield Advanced subscription, so it may be created"
                    " first and fail with ResourceNotFoundException",
                    EXPECTED,
                    protection.urn,
                )
