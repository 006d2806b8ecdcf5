"""No allow rule runs before the protections it would switch off (EDGE-01).

WAF evaluates a web ACL's rules by ascending priority and stops at the first terminating action: a
request that an ``allow`` rule matches is never seen by the rules after it
(https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html). An allow rule
placed before the AWS managed rule groups, the IP deny list, the country block or the rate-based rule
therefore exempts everything it matches from SQL injection and bad-input filtering, from the deny list,
from the Japan-only rule (EDGE-02's allow list is an exemption inside that rule, never an allow) and
from rate limiting. Allow rules belong after them (a higher priority number); ``count`` rules do not terminate
and are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._net.waf import WEB_ACL, WafRule, checked_rules, ip_set_arns, walk


def _protection(rule: WafRule) -> str | None:
    """What a rule protects with, when it is one of the protections an earlier allow would bypass."""
    statements = list(walk(rule.statement))
    if any(s.get("managedRuleGroupStatement") is not None for s in statements) and rule.override != "count":
        return "a managed rule group"
    if any(s.get("rateBasedStatement") is not None for s in statements) and rule.action == "block":
        return "the rate limit"
    if rule.action == "block" and any(s.get("geoMatchStatement") is not None for s in statements):
        return "the country block"
    if rule.action == "block" and ip_set_arns(rule.statement):
        return "an IP deny list"
    return None


class WafRuleOrder(ResourceRule):
    id = "waf_rule_order"
    description = (
        "No allow rule of a web ACL runs before its managed rule groups, IP deny list, country block or "
        "rate-based rule."
    )
    remediation = (
        "Give every rule with action allow a higher priority number than the managed rule groups, the"
        " deny-list rule, the country block and the rate-based rule, so allowed requests are still filtered,"
        " denied and rate limited."
    )
    resource_types = frozenset({WEB_ACL})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        rules, broken = checked_rules(resource)
        if broken is not None:
            yield broken
            return
        for index, rule in enumerate(rules):
            if rule.action != "allow":
                continue
            for later in rules[index + 1 :]:
                protection = _protection(later)
                if protection is not None:
                    yield Failure(
                        f"{rule.label} allows before {later.label}, {protection}, which never sees what it"
                        " allows",
                        "allow rules after the managed rule groups, the IP deny list, the country block and"
                        " the rate limit",
                    )
