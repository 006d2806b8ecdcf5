"""Web ACLs carry a rate-based rule that blocks (EDGE-01: ISP-level rate limiting)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._net.waf import WEB_ACL, checked_rules, sub

EXPECTED = "a rule with a rateBasedStatement and action block"


class WafRateLimit(ResourceRule):
    id = "waf_rate_limit"
    description = "Every web ACL has a rate-based rule whose action is block."
    remediation = (
        'Add a rule with statement.rateBasedStatement {limit, aggregateKeyType: "IP"} and action {block: {}}.'
    )
    resource_types = frozenset({WEB_ACL})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        rules, broken = checked_rules(resource)
        if broken is not None:
            yield broken
            return
        rate_rules = [r for r in rules if sub(r.statement, "rateBasedStatement") is not None]
        if not rate_rules:
            yield Failure("has no rate-based rule", EXPECTED)
        elif not any(r.action == "block" for r in rate_rules):
            for rule in rate_rules:
                yield Failure(
                    f"{rule.label} has a rateBasedStatement with action {rule.action or 'not set'}", EXPECTED
                )
