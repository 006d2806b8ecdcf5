"""Web ACLs block every request from outside Japan, except the tenant's allow list (EDGE-02).

Two shapes are accepted:

- ``defaultAction`` allow with a rule of action block whose statement matches
  everything outside JP: ``notStatement{geoMatchStatement{countryCodes [JP]}}``,
  optionally and-ed with ``notStatement{ipSetReferenceStatement}`` of the
  allow list (or ``notStatement{orStatement{geo, ipSet}}``);
- ``defaultAction`` block, with allow rules that each match only JP or the
  allow list.

Any country other than JP in those geo matches is let through and fails, naming
it. An allow rule evaluated before the blocking rule (a lower priority number)
bypasses it unless it is itself limited to JP or the allow list. A geo rule in
count (or captcha/challenge) mode blocks nothing and fails.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._net.waf import (
    WEB_ACL,
    WafRule,
    checked_rules,
    default_action,
    excluded_scope,
    positive_scope,
)

JAPAN = "JP"
EXPECTED_BLOCK = (
    "a rule with action block and statement notStatement{geoMatchStatement{countryCodes [JP]}} "
    "(optionally and-ed with notStatement{ipSetReferenceStatement} of the allow list), "
    "or defaultAction block with allow rules limited to JP"
)
EXPECTED_JP_ONLY = "countryCodes [JP] only"


def _bypass(rule: WafRule) -> str | None:
    """Why an allow rule lets foreign requests in, or None when it is limited to JP / IP sets."""
    scope = positive_scope(rule.statement)
    if scope is None:
        return f"{rule.label} allows requests from any country"
    if not scope.countries and not scope.ip_sets:
        return f"{rule.label} allows requests from any country"
    return None


def _extra_countries(rule: WafRule, countries: frozenset[str], how: str) -> Failure | None:
    extra = sorted(countries - {JAPAN})
    if not extra:
        return None
    return Failure(f"{rule.label} {how} requests from {', '.join(extra)}", EXPECTED_JP_ONLY)


def _allow_rule_failures(rule: WafRule, context: str) -> Iterator[Failure]:
    """An allow rule that is not limited to JP (or IP sets), or that allows other countries too."""
    problem = _bypass(rule)
    if problem is not None:
        yield Failure(f"{problem} {context}", EXPECTED_BLOCK)
        return
    scope = positive_scope(rule.statement)
    extra = _extra_countries(rule, scope.countries if scope else frozenset(), "allows")
    if extra is not None:
        yield extra


class WafGeoJapanOnly(ResourceRule):
    id = "waf_geo_japan_only"
    description = "Every web ACL blocks requests from every country except JP (bar the tenant's allow list)."
    remediation = (
        "Add a rule at a priority before any allow rule with action {block: {}} and statement "
        'notStatement{geoMatchStatement{countryCodes: ["JP"]}} (and-ed with notStatement of the allow-list '
        "IP set reference), or set defaultAction {block: {}} and allow only geoMatchStatement [JP]."
    )
    resource_types = frozenset({WEB_ACL})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        rules, broken = checked_rules(resource)
        if broken is not None:
            yield broken
            return
        allow_rules = [r for r in rules if r.action == "allow"]
        if default_action(resource) == "block":
            for rule in allow_rules:
                yield from _allow_rule_failures(rule, "while defaultAction is block")
            return
        geo_rules = []
        for rule in rules:
            scope = excluded_scope(rule.statement)
            if scope is not None and scope.countries:
                geo_rules.append((rule, scope))
        blocking = [(rule, scope) for rule, scope in geo_rules if rule.action == "block"]
        if not blocking:
            for rule, _ in geo_rules:
                yield Failure(
                    f"{rule.label} matches requests from outside JP with action {rule.action or 'not set'}",
                    EXPECTED_BLOCK,
                )
            if not geo_rules:
                yield Failure(
                    "has no rule that blocks requests from outside JP (defaultAction allow)", EXPECTED_BLOCK
                )
            return
        first, _ = blocking[0]
        for rule, scope in blocking:
            extra = _extra_countries(rule, scope.countries, "lets through")
            if extra is not None:
                yield extra
        for rule in allow_rules:
            if first.priority is not None and rule.priority is not None and rule.priority >= first.priority:
                continue
            yield from _allow_rule_failures(rule, f"before the Japan-only {first.label}")
