import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import WEB_ACL, acl_rules, web_acl
from tests.rulekit import messages, outcome, resource

RULE = "waf_rate_limit"
EXPECTED = "expected a rule with a rateBasedStatement and action block. [EDGE-01]"


def rules_with_rate_action(action):
    rules = acl_rules()
    for rule in rules:
        if rule["name"] == "rate-limit":
            rule["action"] = {action: {}}
    return rules


def test_pass_blocking_rate_rule():
    assert outcome(RULE, web_acl()) == "pass"


def test_pass_rate_rule_in_rule_json():
    rule_json = json.dumps(
        [
            {
                "Name": "rate",
                "Priority": 0,
                "Action": {"Block": {}},
                "Statement": {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}},
            }
        ]
    )
    assert outcome(RULE, web_acl(rules=[], ruleJson=rule_json)) == "pass"


def test_fail_no_rate_rule():
    assert messages(RULE, web_acl(rules=[r for r in acl_rules() if r["name"] != "rate-limit"])) == [
        f"{WEB_ACL} acl: has no rate-based rule; {EXPECTED}"
    ]


def test_fail_rate_rule_counting():
    assert messages(RULE, web_acl(rules=rules_with_rate_action("count"))) == [
        f"{WEB_ACL} acl: rule rate-limit (priority 2) has a rateBasedStatement with action count; {EXPECTED}"
    ]


def test_fail_rate_rule_challenge_only():
    assert messages(RULE, web_acl(rules=rules_with_rate_action("challenge"))) == [
        f"{WEB_ACL} acl: rule rate-limit (priority 2) has a rateBasedStatement with action challenge;"
        f" {EXPECTED}"
    ]


def test_fail_rate_rule_without_action():
    rules = acl_rules()
    for rule in rules:
        if rule["name"] == "rate-limit":
            del rule["action"]
    assert messages(RULE, web_acl(rules=rules)) == [
        f"{WEB_ACL} acl: rule rate-limit (priority 2) has a rateBasedStatement with action not set;"
        f" {EXPECTED}"
    ]


def test_fail_unreadable_rule_json():
    assert messages(RULE, web_acl(ruleJson="[{")) == [
        f"{WEB_ACL} acl: ruleJson is not valid JSON (Expecting property name enclosed in double quotes: line"
        " 1 column 3 (char 2)); expected rules or a valid ruleJson. [EDGE-01]"
    ]


def test_na_other_types():
    assert outcome(RULE, resource("aws:wafv2/ipSet:IpSet", "s", {})) == "n/a"


def test_unknown_rule_json_in_preview():
    acl = resource(WEB_ACL, "acl", {"ruleJson": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, acl) == "unknown"
