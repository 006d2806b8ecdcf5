"""WAFv2 web ACL rules, read the same way whether written as ``rules`` blocks or as ``ruleJson``.

``ruleJson`` (pulumi_aws v7) carries the rules in the WAF API's JSON shape
(``"Statement": {"NotStatement": ...}``); it is mapped onto the provider's
camelCase names so each rule has one reading. Statements nest through
``andStatement.statements``, ``orStatement.statements``, ``notStatement.statement``
and the scope-down statements of rate-based and managed rule group statements.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.framework import Failure, ResourceView, as_list
from policies.rules._common.unknowns import read, require_known
from policies.rules._common.values import number, shown_number, single, strings, text

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
IP_SET = "aws:wafv2/ipSet:IpSet"
ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"

ACTIONS = ("allow", "block", "count", "captcha", "challenge")
# The WAF API's spellings that lower-casing the first letter does not turn into the provider's.
_API_KEYS = {
    "IPSetReferenceStatement": "ipSetReferenceStatement",
    "IPSetForwardedIPConfig": "ipSetForwardedIpConfig",
    "ForwardedIPConfig": "forwardedIpConfig",
    "ARN": "arn",
}


class RuleJsonError(ValueError):
    pass


@dataclass(frozen=True)
class WafRule:
    name: str
    priority: float | None
    action: str | None
    override: str | None
    statement: Mapping[str, Any] | None

    @property
    def label(self) -> str:
        return f"rule {self.name} (priority {shown_number(self.priority)})"


def _camel(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_API_KEYS.get(k, k[:1].lower() + k[1:]): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _chosen(block: Any, options: tuple[str, ...]) -> str | None:
    """Which of the mutually exclusive sub-blocks (``{"block": {}}``) is written."""
    block = single(block)
    if block is None:
        return None
    for option in options:
        if block.get(option) is not None:
            return option
    return None


def rules_of(acl: ResourceView) -> list[WafRule]:
    raw = [r for r in as_list(acl.props.get("rules")) if isinstance(r, Mapping)]
    rule_json = text(acl.props.get("ruleJson"))
    if rule_json is not None:
        try:
            parsed = json.loads(rule_json)
        except ValueError as error:
            raise RuleJsonError(f"ruleJson is not valid JSON ({error})") from None
        raw.extend(r for r in as_list(_camel(parsed)) if isinstance(r, Mapping))
    found = []
    for index, rule in enumerate(raw):
        statement = single(rule.get("statement"))
        found.append(
            WafRule(
                name=text(rule.get("name")) or f"#{index + 1}",
                priority=number(rule.get("priority")),
                action=_chosen(rule.get("action"), ACTIONS),
                override=_chosen(rule.get("overrideAction"), ("none", "count")),
                statement=statement,
            )
        )
    return sorted(found, key=lambda r: (r.priority if r.priority is not None else float("inf"), r.name))


def checked_rules(acl: ResourceView, urn: str | None = None) -> tuple[list[WafRule], Failure | None]:
    """The web ACL's rules, or the failure every WAF rule reports for a ``ruleJson`` it cannot read."""
    try:
        return rules_of(acl), None
    except RuleJsonError as error:
        return [], Failure(str(error), "rules or a valid ruleJson", urn)


def default_action(acl: ResourceView) -> str | None:
    return _chosen(acl.props.get("defaultAction"), ("allow", "block"))


def sub(statement: Mapping[str, Any] | None, kind: str) -> Mapping[str, Any] | None:
    """The ``kind`` statement block when ``statement`` is one (object or one-element list)."""
    if statement is None:
        return None
    return single(statement.get(kind))


def children(block: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    found = []
    for item in as_list(block.get(key)):
        child = single(item)
        if child is not None:
            found.append(child)
    return found


def walk(statement: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    """Every statement inside ``statement``, itself included (scope-down statements too)."""
    if statement is None:
        return
    yield statement
    for kind in ("andStatement", "orStatement"):
        block = sub(statement, kind)
        if block is not None:
            for child in children(block, "statements"):
                yield from walk(child)
    negated = sub(statement, "notStatement")
    if negated is not None:
        for child in children(negated, "statement"):
            yield from walk(child)
    for kind in ("rateBasedStatement", "managedRuleGroupStatement"):
        block = sub(statement, kind)
        if block is not None:
            for child in children(block, "scopeDownStatement"):
                yield from walk(child)


def _arn(reference: Mapping[str, Any]) -> str | None:
    """An IP set reference's ARN; ``UNKNOWN`` in a preview, where only the dependency graph can name the
    set."""
    return text(read(reference, "arn"))


def ip_set_arns(statement: Mapping[str, Any] | None) -> list[str]:
    """ARNs of every IP set a statement references, anywhere inside it."""
    found = []
    for node in walk(statement):
        reference = sub(node, "ipSetReferenceStatement")
        arn = _arn(reference) if reference is not None else None
        if arn is not None:
            found.append(arn)
    return found


@dataclass(frozen=True)
class Scope:
    """The requests a statement is limited to: those from ``countries`` or in ``ip_sets``."""

    countries: frozenset[str]
    ip_sets: tuple[str, ...]

    def __or__(self, other: Scope) -> Scope:
        return Scope(self.countries | other.countries, self.ip_sets + other.ip_sets)


def _geo(statement: Mapping[str, Any]) -> frozenset[str] | None:
    geo = sub(statement, "geoMatchStatement")
    if geo is None:
        return None
    return frozenset(c.strip().upper() for c in strings(geo.get("countryCodes")))


def positive_scope(statement: Mapping[str, Any] | None) -> Scope | None:
    """The scope when ``statement`` matches only requests from some countries or IP sets
    (a geo match, an IP set reference, or an ``or`` of them); None otherwise."""
    if statement is None:
        return None
    countries = _geo(statement)
    if countries is not None:
        return Scope(countries, ())
    reference = sub(statement, "ipSetReferenceStatement")
    if reference is not None:
        arn = _arn(reference)
        return Scope(frozenset(), (arn,) if arn else ())
    either = sub(statement, "orStatement")
    if either is not None:
        scopes = [positive_scope(child) for child in children(either, "statements")]
        if scopes and all(s is not None for s in scopes):
            merged = Scope(frozenset(), ())
            for scope in scopes:
                merged = merged | scope  # type: ignore[operator]
            return merged
        return None
    both = sub(statement, "andStatement")
    if both is not None:
        # Matching every conjunct is at most as wide as the narrowest limited one.
        for child in children(both, "statements"):
            scope = positive_scope(child)
            if scope is not None:
                return scope
    return None


def excluded_scope(statement: Mapping[str, Any] | None) -> Scope | None:
    """The scope a blocking statement spares, when it matches every request outside it:
    ``not(X)`` or ``and(not(X1), not(X2), ...)`` with each X a geo / IP set scope."""
    if statement is None:
        return None
    negated = sub(statement, "notStatement")
    if negated is not None:
        inner = children(negated, "statement")
        return positive_scope(inner[0]) if len(inner) == 1 else None
    both = sub(statement, "andStatement")
    if both is not None:
        parts = [excluded_scope(child) for child in children(both, "statements")]
        if parts and all(p is not None for p in parts):
            merged = Scope(frozenset(), ())
            for part in parts:
                merged = merged | part  # type: ignore[operator]
            return merged
    return None


def managed_group(statement: Mapping[str, Any] | None) -> tuple[str | None, str | None] | None:
    """(vendorName, name) of a managed rule group statement."""
    block = sub(statement, "managedRuleGroupStatement")
    if block is None:
        return None
    return text(block.get("vendorName")), text(block.get("name"))


def implies_sets(statement: Mapping[str, Any] | None, arns: frozenset[str]) -> bool:
    """Does ``statement`` match only requests whose address is in one of the IP sets ``arns``?"""
    if statement is None:
        return False
    reference = sub(statement, "ipSetReferenceStatement")
    if reference is not None:
        return _arn(reference) in arns
    either = sub(statement, "orStatement")
    if either is not None:
        parts = children(either, "statements")
        return bool(parts) and all(implies_sets(p, arns) for p in parts)
    both = sub(statement, "andStatement")
    if both is not None:
        return any(implies_sets(p, arns) for p in children(both, "statements"))
    return False


class IpSets:
    """The IP sets of a stack, and which one an ARN inside a web ACL's rules names."""

    def __init__(self, links: Any) -> None:
        self.links = links
        self.all: list[ResourceView] = links.of(IP_SET)

    def resolve(self, acl: ResourceView, arn: str) -> ResourceView | None:
        hits = self.links.by_value(arn, (IP_SET,))
        if hits:
            hit: ResourceView = hits[0]
            return hit
        # The ARN came from an output not rendered literally (or unknown in a preview): one IP set behind
        # the rules decides; with several, an unknown ARN cannot be told apart.
        deps = self.links.deps(acl, "rules", (IP_SET,)) or self.links.deps(acl, "ruleJson", (IP_SET,))
        if len(deps) == 1:
            only: ResourceView = deps[0]
            return only
        require_known(arn, "rules.statement.ipSetReferenceStatement.arn")
        return None
