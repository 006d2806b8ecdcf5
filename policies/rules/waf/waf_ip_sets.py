"""Web ACLs use the tenant's deny-list and allow-list IP sets (EDGE-01).

IP sets carry the tag ``purpose`` = deny-list | allow-list. A web ACL needs a
rule with action block whose statement matches a deny-list set (an
``ipSetReferenceStatement``, alone or or-ed), and a rule that references the
allow-list set (to allow it, or to spare it from a block). For raw programs
whose IP sets are not tagged, the roles are read from the rules: a blocking
reference is a deny list; an allowing or negated (``notStatement``) reference is
an allow list.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.tags import tag
from policies.rules._net.common import links_of
from policies.rules._net.waf import (
    WEB_ACL,
    IpSets,
    WafRule,
    checked_rules,
    excluded_scope,
    ip_set_arns,
    positive_scope,
)

EXPECTED_DENY = (
    "a rule with action block on an ipSetReferenceStatement of the deny-list IP set (tag purpose=deny-list)"
)
EXPECTED_ALLOW = (
    "a rule referencing the allow-list IP set (tag purpose=allow-list): allowing it, or sparing it from a"
    " block"
)


class WafIpSets(StackRule):
    id = "waf_ip_sets"
    description = "Every web ACL blocks the tenant's deny-list IP set and references its allow-list IP set."
    remediation = (
        "Create aws.wafv2.IpSet resources tagged purpose=deny-list and purpose=allow-list and reference them"
        " in the web ACL: a block rule on the deny list, and the allow list in the rule that lets it through"
        " (e.g. and-ed as notStatement into the Japan-only geo rule)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        acls = links.of(WEB_ACL)
        if not acls:
            raise NotApplicable("the stack declares no web ACL")
        ip_sets = IpSets(links)
        tagged_allow = any(tag(s, "purpose") == "allow-list" for s in ip_sets.all)
        for acl in acls:
            rules, broken = checked_rules(acl, acl.urn)
            if broken is not None:
                yield broken
                continue

            def purpose(arn: str, acl: ResourceView = acl) -> str | None:
                ip_set = ip_sets.resolve(acl, arn)
                return tag(ip_set, "purpose") if ip_set is not None else None

            deny_matches = []
            for rule in rules:
                scope = positive_scope(rule.statement)
                if scope is not None and any(purpose(arn) != "allow-list" for arn in scope.ip_sets):
                    deny_matches.append(rule)
            if not any(r.action == "block" for r in deny_matches):
                if deny_matches:
                    for rule in deny_matches:
                        yield Failure(
                            f"{rule.label} matches a deny-list IP set with action {rule.action or 'not set'}",
                            EXPECTED_DENY,
                            acl.urn,
                        )
                else:
                    yield Failure("has no rule that blocks on a deny-list IP set", EXPECTED_DENY, acl.urn)
            if tagged_allow:
                allow_ok = any(
                    purpose(arn) == "allow-list" for rule in rules for arn in ip_set_arns(rule.statement)
                )
            else:
                allow_ok = any(_structural_allow(rule) for rule in rules)
            if not allow_ok:
                yield Failure("references no allow-list IP set", EXPECTED_ALLOW, acl.urn)


def _structural_allow(rule: WafRule) -> bool:
    """Untagged IP sets: an allow-list is one a rule allows, or spares from a block."""
    if rule.action == "allow":
        scope = positive_scope(rule.statement)
        return scope is not None and bool(scope.ip_sets)
    if rule.action == "block":
        excluded = excluded_scope(rule.statement)
        return excluded is not None and bool(excluded.ip_sets)
    return False
