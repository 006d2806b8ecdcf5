"""A web ACL's rules fit in AWS WAF's capacity limit, and a rule group's in its declared capacity (DEP-06).

AWS WAF computes a web ACL's capacity in web ACL capacity units (WCUs) from its rules and refuses
``CreateWebACL`` / ``UpdateWebACL`` above 5,000 with ``WAFInvalidParameterException`` ("You exceeded the
capacity limit for a rule group or web ACL", field WEB_ACL)
(https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html); a rule group's capacity
is fixed at creation and must cover its rules. The rule computes the
same sum from the rule statements (base cost per statement type, text transformations, all query parameters,
JSON body) and the published capacities of the managed rule groups and of the program's own rule groups
(their declared ``capacity``). A managed group whose capacity is not recorded, or a statement whose cost is
not, leaves the web ACL undecided: a guess could pass a web ACL AWS refuses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from policies.aws_facts import (
    WAF_ALL_QUERY_ARGUMENTS_WCU,
    WAF_BYTE_MATCH_WCU,
    WAF_IP_SET_ANY_POSITION_EXTRA_WCU,
    WAF_MANAGED_RULE_GROUP_WCU,
    WAF_SQLI_HIGH_SENSITIVITY_WCU,
    WAF_STATEMENT_WCU,
    WAF_TEXT_TRANSFORMATION_WCU,
    WAF_WEB_ACL_INCLUDED_WCU,
    WAF_WEB_ACL_MAX_WCU,
)
from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list
from policies.rules._common.unknowns import require_known, undecidable

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
RULE_GROUP = "aws:wafv2/ruleGroup:RuleGroup"
LOGICAL = ("andStatement", "orStatement")
INSPECTING = frozenset(
    {
        "byteMatchStatement",
        "regexMatchStatement",
        "regexPatternSetReferenceStatement",
        "sizeConstraintStatement",
        "sqliMatchStatement",
        "xssMatchStatement",
    }
)


class _Capacity:
    """The WCU sum of one web ACL; ``stack`` resolves references to the program's own rule groups."""

    def __init__(self, stack: StackView, acl: ResourceView) -> None:
        self.stack = stack
        self.acl = acl

    def undecided(self, reason: str, path: str) -> Exception:
        return undecidable(f"{reason}, so the capacity of {self.acl.name} cannot be computed", path)

    def statement(self, statement: Any, path: str) -> int:
        statement = require_known(statement, path)
        if not isinstance(statement, Mapping) or not statement:
            return 0
        kind, body = next(iter(statement.items()))
        where = f"{path}.{kind}"
        body = require_known(body, where)
        body = body if isinstance(body, Mapping) else {}
        if kind in LOGICAL:
            return sum(
                self.statement(s, f"{where}.statements[{i}]")
                for i, s in enumerate(as_list(body.get("statements")))
            )
        if kind == "notStatement":
            return self.statement(body.get("statement"), f"{where}.statement")
        if kind == "managedRuleGroupStatement":
            return self.managed(body, where)
        if kind == "ruleGroupReferenceStatement":
            return self.rule_group(body, where)
        if kind == "rateBasedStatement":
            if as_list(body.get("customKeys")):
                raise self.undecided("the WCUs of rate-based custom aggregation keys are not recorded", where)
            return WAF_STATEMENT_WCU[kind] + self.statement(body.get("scopeDownStatement"), where)
        return self.match(kind, body, where)

    def match(self, kind: str, body: Mapping[str, Any], where: str) -> int:
        if kind == "byteMatchStatement":
            base = WAF_BYTE_MATCH_WCU.get(str(require_known(body.get("positionalConstraint"), where)).upper())
        elif kind == "sqliMatchStatement":
            high = str(body.get("sensitivityLevel") or "LOW").upper() == "HIGH"
            base = WAF_SQLI_HIGH_SENSITIVITY_WCU if high else WAF_STATEMENT_WCU[kind]
        else:
            base = WAF_STATEMENT_WCU.get(kind)
        if base is None:
            raise self.undecided(f"the WCUs of {kind} are not recorded", where)
        if kind == "ipSetReferenceStatement":
            forwarded = body.get("ipSetForwardedIpConfig")
            if isinstance(forwarded, Mapping) and str(forwarded.get("position", "")).upper() == "ANY":
                base += WAF_IP_SET_ANY_POSITION_EXTRA_WCU
        if kind not in INSPECTING:
            return base
        field = body.get("fieldToMatch")
        field = field if isinstance(field, Mapping) else {}
        if "jsonBody" in field:
            base *= 2
        if "allQueryArguments" in field:
            base += WAF_ALL_QUERY_ARGUMENTS_WCU
        return base + WAF_TEXT_TRANSFORMATION_WCU * len(as_list(body.get("textTransformations")))

    def managed(self, body: Mapping[str, Any], where: str) -> int:
        vendor = str(require_known(body.get("vendorName"), where))
        name = str(require_known(body.get("name"), where))
        capacity = WAF_MANAGED_RULE_GROUP_WCU.get((vendor, name))
        if capacity is None:
            raise self.undecided(
                f"the published capacity of managed rule group {vendor}/{name} is not recorded", where
            )
        return capacity + self.statement(body.get("scopeDownStatement"), where)

    def rule_group(self, body: Mapping[str, Any], where: str) -> int:
        arn = require_known(body.get("arn"), where)
        groups = [g for g in self.stack.of_type(RULE_GROUP) if arn in (g.props.get("arn"), g.props.get("id"))]
        if not groups:
            # The ARN is an output of the group: the program passed it, so the web ACL depends on the group.
            linked = set(self.acl.property_dependencies.get("rules", ())) | set(
                self.acl.property_dependencies.get("rule", ())
            )
            groups = [g for g in self.stack.of_type(RULE_GROUP) if g.urn in linked]
        if len(groups) != 1:
            raise self.undecided(f"rule group {arn} is not one rule group of this program", where)
        return int(require_known(groups[0].props.get("capacity"), f"{where}.capacity"))


def _rules(acl: ResourceView) -> list[Any]:
    rules = as_list(require_known(acl.props.get("rules"), "rules"))
    raw = require_known(acl.props.get("ruleJson"), "ruleJson")
    if not rules and isinstance(raw, str) and raw.strip():
        rules = as_list(_camel(json.loads(raw)))
    return rules


def _camel(value: Any) -> Any:
    """``ruleJson`` is WAF's own JSON (PascalCase); the statements are read in Pulumi's camelCase."""
    if isinstance(value, Mapping):
        return {(k[:1].lower() + k[1:]): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


class WafCapacityWithinLimit(StackRule):
    id = "waf_capacity_within_limit"
    description = (
        f"Every web ACL's capacity, computed from its rule statements and its rule groups' published "
        f"capacities, is at most {WAF_WEB_ACL_MAX_WCU:,} WCUs, and every rule group of the program declares "
        "at least the capacity its rules need."
    )
    remediation = (
        "Drop or narrow rules (fewer text transformations, no CONTAINS where EXACTLY works, only the managed "
        "groups the application needs), or split the protection across web ACLs of separate resources; "
        "declare a rule group's capacity from its rules (CheckCapacity returns it)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        acls = list(stack.of_type(WEB_ACL))
        groups = [g for g in stack.of_type(RULE_GROUP) if g.props.get("rules") or g.props.get("ruleJson")]
        if not acls and not groups:
            raise NotApplicable("the stack declares no web ACL and no rule group with rules")
        for acl in acls:
            total = _total(stack, acl)
            if total > WAF_WEB_ACL_MAX_WCU:
                yield Failure(
                    f"needs {total:,} WCUs, over AWS WAF's maximum of {WAF_WEB_ACL_MAX_WCU:,} per web ACL, "
                    "so CreateWebACL / UpdateWebACL fails (WAFInvalidParameterException: You exceeded the "
                    "capacity limit for a rule group or web ACL)",
                    f"at most {WAF_WEB_ACL_MAX_WCU:,} WCUs (the first {WAF_WEB_ACL_INCLUDED_WCU:,} are "
                    "included in the web ACL's price)",
                    acl.urn,
                )
        for group in groups:
            declared = int(require_known(group.props.get("capacity"), "capacity") or 0)
            needed = _total(stack, group)
            if needed > declared:
                yield Failure(
                    f"declares capacity {declared:,} but its rules need {needed:,} WCUs, so "
                    "CreateRuleGroup / UpdateRuleGroup fails (WAFInvalidParameterException: You haven't met "
                    "a minimum requirement for a threshold setting)",
                    f"a capacity of at least {needed:,} (rule group capacity is fixed at creation)",
                    group.urn,
                )


def _total(stack: StackView, subject: ResourceView) -> int:
    counter = _Capacity(stack, subject)
    return sum(
        counter.statement(rule.get("statement") if isinstance(rule, Mapping) else None, f"rules[{i}]")
        for i, rule in enumerate(_rules(subject))
    )
