"""Web ACLs enforce AWS's Common, SQLi and KnownBadInputs managed rule groups (EDGE-01).

Each group must appear as a rule with ``managedRuleGroupStatement`` (vendor
AWS) and ``overrideAction`` none: ``count`` only counts matches, so the group
would not block anything. Per-rule ``ruleActionOverrides`` and scope-down
statements are the group owner's tuning and are not judged here.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._net.waf import WEB_ACL, checked_rules, managed_group

REQUIRED_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)


class WafManagedRules(ResourceRule):
    id = "waf_managed_rules"
    description = (
        "Every web ACL runs the AWS managed rule groups CommonRuleSet, SQLiRuleSet and KnownBadInputsRuleSet "
        "with overrideAction none."
    )
    remediation = (
        'Add one rule per group with statement.managedRuleGroupStatement {vendorName: "AWS", name: '
        '"AWSManagedRules..."} and overrideAction {none: {}} (not count).'
    )
    resource_types = frozenset({WEB_ACL})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        rules, broken = checked_rules(resource)
        if broken is not None:
            yield broken
            return
        for group in REQUIRED_GROUPS:
            found = [r for r in rules if managed_group(r.statement) == ("AWS", group)]
            expected = f"a rule with managedRuleGroupStatement AWS/{group} and overrideAction none"
            if not found:
                yield Failure(f"has no rule for the managed rule group AWS/{group}", expected)
            elif not any(r.override == "none" for r in found):
                for rule in found:
                    state = f"overrideAction {rule.override}" if rule.override else "no overrideAction"
                    yield Failure(
                        f"{rule.label} runs AWS/{group} with {state}, so it blocks nothing", expected
                    )
