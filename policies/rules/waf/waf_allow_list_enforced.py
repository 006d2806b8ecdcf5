"""A tenant's allow list, once it has addresses, makes its web ACLs allow-only (EDGE-04).

The tenant setting ``allowedCidrs`` becomes the addresses of the IP set tagged
``purpose=allow-list``. When that set has addresses, every web ACL referencing
it must admit nothing else, in one of two shapes:

- ``defaultAction`` block, with an allow rule on the set and no allow rule that
  matches anything outside the allow-list sets; or
- a rule with action block and statement ``notStatement{ipSetReferenceStatement}``
  of the set (or of several allow-list sets, and-ed), evaluated before any rule
  that can allow a request (action allow, a custom rule group, a third-party
  managed group), so nothing lets an unlisted address through first. Rules that
  only block or count (a deny list, AWS managed groups) may come before it.

An allow-list set with addresses that no web ACL references fails too.
Not applicable while no allow-list set has addresses (raw programs must tag
their allow list to be judged).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list
from policies.rules._common.tags import tag
from policies.rules._net.common import links_of
from policies.rules._net.waf import (
    WEB_ACL,
    IpSets,
    WafRule,
    checked_rules,
    default_action,
    excluded_scope,
    implies_sets,
    ip_set_arns,
    managed_group,
    sub,
)

EXPECTED = (
    "defaultAction block with allow rules only on the allow-list IP set, or a rule with action block and "
    "notStatement{ipSetReferenceStatement} of the allow-list IP set before any rule that can allow"
)


class WafAllowListEnforced(StackRule):
    id = "waf_allow_list_enforced"
    description = (
        "When the tenant's allow-list IP set has addresses, every web ACL using it admits only those"
        " addresses."
    )
    remediation = (
        "Make the allow list exclusive: put a rule with action block and statement "
        "notStatement{ipSetReferenceStatement{arn: <allow-list set>}} at priority 0, or set the web ACL's "
        "defaultAction to block and allow only the allow-list set."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        ip_sets = IpSets(links)
        allow_sets = [s for s in ip_sets.all if tag(s, "purpose") == "allow-list"]
        active = [s for s in allow_sets if as_list(s.props.get("addresses"))]
        if not active:
            raise NotApplicable("no IP set tagged purpose=allow-list has addresses")
        allow_urns = {s.urn for s in allow_sets}
        referenced: dict[str, list[ResourceView]] = {}
        for acl in links.of(WEB_ACL):
            rules, broken = checked_rules(acl, acl.urn)
            if broken is not None:
                yield broken
                continue
            resolved = {
                arn: ip_set
                for rule in rules
                for arn in ip_set_arns(rule.statement)
                if (ip_set := ip_sets.resolve(acl, arn)) is not None
            }
            allow_arns = frozenset(arn for arn, s in resolved.items() if s.urn in allow_urns)
            for ip_set in active:
                arns = frozenset(arn for arn, s in resolved.items() if s.urn == ip_set.urn)
                if not arns:
                    continue
                referenced.setdefault(ip_set.urn, []).append(acl)
                problem = _not_exclusive(acl, rules, arns, allow_arns, ip_set)
                if problem is not None:
                    yield Failure(problem, EXPECTED, acl.urn)
        for ip_set in active:
            if ip_set.urn not in referenced:
                count = len(as_list(ip_set.props.get("addresses")))
                yield Failure(
                    f"is an allow list with {count} address{'es' if count != 1 else ''} that no web ACL"
                    " references",
                    f"a web ACL of this stack that admits only this IP set ({EXPECTED})",
                    ip_set.urn,
                )


def _not_exclusive(
    acl: ResourceView,
    rules: list[WafRule],
    arns: frozenset[str],
    allow_arns: frozenset[str],
    ip_set: ResourceView,
) -> str | None:
    """Why the web ACL does not admit only the allow list, or None when it does."""
    if default_action(acl) == "block":
        leaks = [r for r in rules if r.action == "allow" and not implies_sets(r.statement, allow_arns)]
        if leaks:
            return (
                f"has defaultAction block but {leaks[0].label} allows requests outside allow-list IP set"
                f" {ip_set.name}"
            )
        if not any(r.action == "allow" and implies_sets(r.statement, arns) for r in rules):
            return f"has defaultAction block but no rule allows allow-list IP set {ip_set.name}"
        return None
    guards = []
    for rule in rules:
        scope = excluded_scope(rule.statement)
        if (
            rule.action == "block"
            and scope is not None
            and not scope.countries
            and arns & set(scope.ip_sets)
            and set(scope.ip_sets) <= allow_arns
        ):
            guards.append(rule)
    if not guards:
        return (
            f"references allow-list IP set {ip_set.name} but still admits other addresses (defaultAction"
            " allow)"
        )
    guard = guards[0]
    earlier = [r for r in rules if r is not guard and _can_admit(r) and _before(r, guard)]
    if earlier:
        return (
            f"{guard.label} blocks addresses outside allow-list IP set {ip_set.name}, but {earlier[0].label},"
            " which can allow requests, is evaluated first"
        )
    return None


def _can_admit(rule: WafRule) -> bool:
    """Could this rule end evaluation with an allow? Block and count rules cannot; rule groups might."""
    if rule.action == "allow" or sub(rule.statement, "ruleGroupReferenceStatement") is not None:
        return True
    group = managed_group(rule.statement)
    return group is not None and group[0] != "AWS"


def _before(rule: WafRule, guard: WafRule) -> bool:
    if rule.priority is None or guard.priority is None:
        return True
    return rule.priority < guard.priority
