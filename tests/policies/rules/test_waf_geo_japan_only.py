import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import ALLOW_ARN, WEB_ACL, acl_rules, geo_rule, web_acl
from tests.rulekit import messages, outcome, resource

RULE = "waf_geo_japan_only"
EXPECTED_BLOCK = (
    "expected a rule with action block and statement notStatement{geoMatchStatement{countryCodes [JP]}} "
    "(optionally and-ed with notStatement{ipSetReferenceStatement} of the allow list), "
    "or defaultAction block with allow rules limited to JP. [EDGE-02]"
)


def replace_geo(rule):
    return [rule if r["name"] == "japan-only" else r for r in acl_rules()]


def test_pass_block_outside_japan_except_allow_list():
    assert outcome(RULE, web_acl()) == "pass"


def test_pass_plain_not_geo_japan():
    rule = {
        "name": "japan-only",
        "priority": 1,
        "action": {"block": {}},
        "statement": {"notStatement": {"statement": {"geoMatchStatement": {"countryCodes": ["JP"]}}}},
    }
    assert outcome(RULE, web_acl(rules=replace_geo(rule))) == "pass"


def test_pass_not_or_geo_ip_set_in_rule_json():
    rule_json = json.dumps(
        [
            {
                "Name": "geo",
                "Priority": 0,
                "Action": {"Block": {}},
                "Statement": {
                    "NotStatement": {
                        "Statement": {
                            "OrStatement": {
                                "Statements": [
                                    {"GeoMatchStatement": {"CountryCodes": ["JP"]}},
                                    {"IPSetReferenceStatement": {"ARN": ALLOW_ARN}},
                                ]
                            }
                        }
                    }
                },
            }
        ]
    )
    assert outcome(RULE, web_acl(rules=[], ruleJson=rule_json)) == "pass"


def test_pass_default_block_with_japan_allow_rules():
    rules = [
        {
            "name": "allow-jp",
            "priority": 0,
            "action": {"allow": {}},
            "statement": {"geoMatchStatement": {"countryCodes": ["JP"]}},
        },
        {
            "name": "allow-list",
            "priority": 1,
            "action": {"allow": {}},
            "statement": {"ipSetReferenceStatement": {"arn": ALLOW_ARN}},
        },
    ]
    assert outcome(RULE, web_acl(rules=rules, defaultAction={"block": {}})) == "pass"


def test_pass_allow_rule_after_geo_rule():
    rules = acl_rules() + [
        {
            "name": "health",
            "priority": 50,
            "action": {"allow": {}},
            "statement": {"byteMatchStatement": {"searchString": "/health"}},
        }
    ]
    assert outcome(RULE, web_acl(rules=rules)) == "pass"


def test_fail_extra_countries_named():
    assert messages(RULE, web_acl(rules=replace_geo(geo_rule(["JP", "US", "KR"])))) == [
        f"{WEB_ACL} acl: rule japan-only (priority 1) lets through requests from KR, US; expected"
        " countryCodes [JP] only. [EDGE-02]"
    ]


@pytest.mark.parametrize("action", ["count", "captcha"])
def test_fail_geo_rule_not_blocking(action):
    assert messages(RULE, web_acl(rules=replace_geo(geo_rule(action=action)))) == [
        f"{WEB_ACL} acl: rule japan-only (priority 1) matches requests from outside JP with action {action};"
        f" {EXPECTED_BLOCK}"
    ]


def test_fail_no_geo_rule():
    assert messages(RULE, web_acl(rules=[r for r in acl_rules() if r["name"] != "japan-only"])) == [
        f"{WEB_ACL} acl: has no rule that blocks requests from outside JP (defaultAction allow);"
        f" {EXPECTED_BLOCK}"
    ]


def test_fail_geo_rule_narrowed_by_other_condition():
    rule = geo_rule()
    rule["statement"]["andStatement"]["statements"].append({"byteMatchStatement": {"searchString": "/admin"}})
    assert messages(RULE, web_acl(rules=replace_geo(rule))) == [
        f"{WEB_ACL} acl: has no rule that blocks requests from outside JP (defaultAction allow);"
        f" {EXPECTED_BLOCK}"
    ]


def test_fail_default_block_with_allow_rule_on_empty_country_list():
    rules = [
        {
            "name": "nobody",
            "priority": 0,
            "action": {"allow": {}},
            "statement": {"geoMatchStatement": {"countryCodes": []}},
        }
    ]
    assert messages(RULE, web_acl(rules=rules, defaultAction={"block": {}})) == [
        f"{WEB_ACL} acl: rule nobody (priority 0) allows requests from any country while defaultAction is"
        f" block; {EXPECTED_BLOCK}"
    ]


def test_fail_unreadable_rule_json():
    assert messages(RULE, web_acl(ruleJson="[{")) == [
        f"{WEB_ACL} acl: ruleJson is not valid JSON (Expecting property name enclosed in double quotes: line"
        " 1 column 3 (char 2)); expected rules or a valid ruleJson. [EDGE-02]"
    ]


def test_fail_allow_rule_before_geo_rule():
    rules = acl_rules() + [
        {
            "name": "partners",
            "priority": 0.5,
            "action": {"allow": {}},
            "statement": {"byteMatchStatement": {"searchString": "partner"}},
        }
    ]
    assert messages(RULE, web_acl(rules=rules)) == [
        f"{WEB_ACL} acl: rule partners (priority 0.5) allows requests from any country before the Japan-only"
        f" rule japan-only (priority 1); {EXPECTED_BLOCK}"
    ]


def test_fail_default_block_with_open_allow_rule():
    rules = [
        {
            "name": "everyone",
            "priority": 0,
            "action": {"allow": {}},
            "statement": {"sizeConstraintStatement": {}},
        }
    ]
    assert messages(RULE, web_acl(rules=rules, defaultAction={"block": {}})) == [
        f"{WEB_ACL} acl: rule everyone (priority 0) allows requests from any country while defaultAction is"
        f" block; {EXPECTED_BLOCK}"
    ]


def test_fail_default_block_allowing_other_countries():
    rules = [
        {
            "name": "allow-asia",
            "priority": 0,
            "action": {"allow": {}},
            "statement": {"geoMatchStatement": {"countryCodes": ["JP", "TW"]}},
        }
    ]
    assert messages(RULE, web_acl(rules=rules, defaultAction={"block": {}})) == [
        f"{WEB_ACL} acl: rule allow-asia (priority 0) allows requests from TW; expected countryCodes [JP]"
        " only. [EDGE-02]"
    ]


def test_na_other_types():
    assert outcome(RULE, resource("aws:wafv2/ipSet:IpSet", "s", {})) == "n/a"


def test_unknown_country_codes_in_preview():
    rules = replace_geo(geo_rule([UNKNOWN_STRING_VALUE]))
    acl = resource(WEB_ACL, "acl", {"rules": rules, "defaultAction": {"allow": {}}}, preview=True)
    assert outcome(RULE, acl) == "unknown"
