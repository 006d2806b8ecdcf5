import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import WEB_ACL, acl_rules, managed, web_acl
from tests.rulekit import messages, outcome, resource

RULE = "waf_managed_rules"


def without(group):
    return [r for r in acl_rules() if r["name"] != group]


def test_pass_three_groups_enforced():
    assert outcome(RULE, web_acl()) == "pass"


def test_pass_rule_json_in_waf_api_shape():
    rule_json = json.dumps(
        [
            {
                "Name": name,
                "Priority": i,
                "OverrideAction": {"None": {}},
                "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}},
                "VisibilityConfig": {
                    "SampledRequestsEnabled": True,
                    "CloudWatchMetricsEnabled": True,
                    "MetricName": name,
                },
            }
            for i, name in enumerate(
                [
                    "AWSManagedRulesCommonRuleSet",
                    "AWSManagedRulesSQLiRuleSet",
                    "AWSManagedRulesKnownBadInputsRuleSet",
                ]
            )
        ]
    )
    assert outcome(RULE, web_acl(rules=[], ruleJson=rule_json)) == "pass"


@pytest.mark.parametrize(
    "group",
    ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"],
)
def test_fail_group_missing(group):
    assert messages(RULE, web_acl(rules=without(group))) == [
        f"{WEB_ACL} acl: has no rule for the managed rule group AWS/{group}; "
        f"expected a rule with managedRuleGroupStatement AWS/{group} and overrideAction none. [EDGE-01]"
    ]


def test_fail_group_in_count_mode():
    rules = without("AWSManagedRulesSQLiRuleSet") + [
        managed("AWSManagedRulesSQLiRuleSet", 11, override="count")
    ]
    assert messages(RULE, web_acl(rules=rules)) == [
        f"{WEB_ACL} acl: rule AWSManagedRulesSQLiRuleSet (priority 11) runs AWS/AWSManagedRulesSQLiRuleSet"
        " with overrideAction count, so it blocks nothing; expected a rule with managedRuleGroupStatement"
        " AWS/AWSManagedRulesSQLiRuleSet and overrideAction none. [EDGE-01]"
    ]


def test_fail_group_without_override_action():
    rule = managed("AWSManagedRulesCommonRuleSet", 10)
    del rule["overrideAction"]
    assert messages(RULE, web_acl(rules=without("AWSManagedRulesCommonRuleSet") + [rule])) == [
        f"{WEB_ACL} acl: rule AWSManagedRulesCommonRuleSet (priority 10) runs"
        " AWS/AWSManagedRulesCommonRuleSet with no overrideAction, so it blocks nothing; expected a rule"
        " with managedRuleGroupStatement AWS/AWSManagedRulesCommonRuleSet and overrideAction none. [EDGE-01]"
    ]


def test_fail_same_name_from_another_vendor():
    rule = managed("AWSManagedRulesKnownBadInputsRuleSet", 12)
    rule["statement"]["managedRuleGroupStatement"]["vendorName"] = "F5"
    assert messages(RULE, web_acl(rules=without("AWSManagedRulesKnownBadInputsRuleSet") + [rule])) == [
        f"{WEB_ACL} acl: has no rule for the managed rule group AWS/AWSManagedRulesKnownBadInputsRuleSet;"
        " expected a rule with managedRuleGroupStatement AWS/AWSManagedRulesKnownBadInputsRuleSet and"
        " overrideAction none. [EDGE-01]"
    ]


def test_fail_invalid_rule_json():
    assert messages(RULE, web_acl(rules=acl_rules(), ruleJson="[{")) == [
        f"{WEB_ACL} acl: ruleJson is not valid JSON (Expecting property name enclosed in double quotes: line"
        " 1 column 3 (char 2)); expected rules or a valid ruleJson. [EDGE-01]"
    ]


def test_pass_single_block_statement_as_list():
    rules = acl_rules()
    for rule in rules:
        rule["statement"] = [rule["statement"]]
        if "overrideAction" in rule:
            rule["overrideAction"] = [rule["overrideAction"]]
    assert outcome(RULE, web_acl(rules=rules)) == "pass"


def test_na_other_types():
    assert outcome(RULE, resource("aws:wafv2/ipSet:IpSet", "s", {})) == "n/a"


def test_unknown_rule_group_name_in_preview():
    rules = acl_rules()
    rules[3]["statement"]["managedRuleGroupStatement"]["name"] = UNKNOWN_STRING_VALUE
    acl = resource(WEB_ACL, "acl", {"rules": rules, "defaultAction": {"allow": {}}}, preview=True)
    assert outcome(RULE, acl) == "unknown"
