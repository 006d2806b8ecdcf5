from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    DENY_ARN,
    IP_SET,
    WEB_ACL,
    acl_rules,
    build,
    edge,
    linked,
    tags,
    web_acl,
)
from tests.rulekit import messages, outcome, resource

RULE = "waf_ip_sets"
EXPECTED_DENY = (
    "expected a rule with action block on an ipSetReferenceStatement of the deny-list IP set (tag"
    " purpose=deny-list). [EDGE-01]"
)
EXPECTED_ALLOW = (
    "expected a rule referencing the allow-list IP set (tag purpose=allow-list): allowing it, or sparing it"
    " from a block. [EDGE-01]"
)


def sets_and_acl(rules=None, **acl_props):
    views = edge()
    return build([views["allow"], views["deny"], web_acl(rules=rules, **acl_props)])


def test_pass_deny_and_allow_lists():
    assert outcome(RULE, sets_and_acl()) == "pass"


def test_pass_deny_set_arn_from_output_linked_by_dependency():
    views = edge()
    rules = acl_rules()
    rules[0]["statement"]["ipSetReferenceStatement"]["arn"] = "deny-arn-from-output"
    acl = linked(web_acl(rules=rules), "rules", views["deny"])
    assert outcome(RULE, build([views["deny"], views["allow"], acl])) == "pass"


def test_fail_no_deny_rule():
    assert messages(RULE, sets_and_acl(rules=[r for r in acl_rules() if r["name"] != "deny-list"])) == [
        f"{WEB_ACL} acl: has no rule that blocks on a deny-list IP set; {EXPECTED_DENY}"
    ]


def test_fail_deny_rule_counting():
    rules = acl_rules()
    rules[0]["action"] = {"count": {}}
    assert messages(RULE, sets_and_acl(rules=rules)) == [
        f"{WEB_ACL} acl: rule deny-list (priority 0) matches a deny-list IP set with action count;"
        f" {EXPECTED_DENY}"
    ]


def test_fail_allow_list_not_referenced():
    rules = acl_rules()
    rules[1] = {
        "name": "japan-only",
        "priority": 1,
        "action": {"block": {}},
        "statement": {"notStatement": {"statement": {"geoMatchStatement": {"countryCodes": ["JP"]}}}},
    }
    assert messages(RULE, sets_and_acl(rules=rules)) == [
        f"{WEB_ACL} acl: references no allow-list IP set; {EXPECTED_ALLOW}"
    ]


def test_fail_blocking_the_allow_list_is_not_a_deny_list():
    rules = acl_rules()
    rules[0]["statement"]["ipSetReferenceStatement"]["arn"] = rules[1]["statement"]["andStatement"][
        "statements"
    ][1]["notStatement"]["statement"]["ipSetReferenceStatement"]["arn"]
    assert messages(RULE, sets_and_acl(rules=rules)) == [
        f"{WEB_ACL} acl: has no rule that blocks on a deny-list IP set; {EXPECTED_DENY}"
    ]


def test_pass_untagged_sets_judged_by_rule_roles():
    deny = resource(IP_SET, "deny", {"addresses": ["203.0.113.0/24"], "arn": DENY_ARN})
    allow = resource(IP_SET, "allow", {"addresses": [], "arn": "arn:allow"})
    rules = acl_rules()
    rules[1]["statement"]["andStatement"]["statements"][1]["notStatement"]["statement"][
        "ipSetReferenceStatement"
    ]["arn"] = "arn:allow"
    assert outcome(RULE, build([deny, allow, web_acl(rules=rules)])) == "pass"


def test_fail_untagged_sets_without_allow_role():
    deny = resource(IP_SET, "deny", {"addresses": ["203.0.113.0/24"], "arn": DENY_ARN, "tags": tags()})
    rules = [r for r in acl_rules() if r["name"] != "japan-only"]
    assert messages(RULE, build([deny, web_acl(rules=rules)])) == [
        f"{WEB_ACL} acl: references no allow-list IP set; {EXPECTED_ALLOW}"
    ]


def test_na_no_web_acl():
    assert outcome(RULE, build([edge()["deny"]])) == "n/a"


def test_unknown_rules_in_preview():
    acl = resource(WEB_ACL, "acl", {"rules": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, build([edge()["deny"], acl])) == "unknown"


def test_unknown_when_preview_arns_cannot_be_told_apart():
    views = edge()
    rules = acl_rules()
    rules[0]["statement"]["ipSetReferenceStatement"]["arn"] = UNKNOWN_STRING_VALUE
    acl = linked(
        resource(WEB_ACL, "acl", {"rules": rules, "defaultAction": {"allow": {}}}, preview=True),
        "rules",
        views["deny"],
        views["allow"],
    )
    assert outcome(RULE, build([views["deny"], views["allow"], acl])) == "unknown"


def test_pass_preview_arn_of_the_only_linked_set():
    views = edge()
    rules = acl_rules()
    rules[0]["statement"]["ipSetReferenceStatement"]["arn"] = UNKNOWN_STRING_VALUE
    acl = linked(
        resource(WEB_ACL, "acl", {"rules": rules, "defaultAction": {"allow": {}}}, preview=True),
        "rules",
        views["deny"],
    )
    assert outcome(RULE, build([views["deny"], views["allow"], acl])) == "pass"


def test_fail_unreadable_rule_json():
    assert messages(RULE, sets_and_acl(ruleJson="[{")) == [
        f"{WEB_ACL} acl: ruleJson is not valid JSON (Expecting property name enclosed in double quotes: line"
        " 1 column 3 (char 2)); expected rules or a valid ruleJson. [EDGE-01]"
    ]


def test_pass_untagged_allow_list_by_an_allow_rule():
    deny = resource(IP_SET, "deny", {"addresses": ["203.0.113.0/24"], "arn": DENY_ARN})
    allow = resource(IP_SET, "allow", {"addresses": ["198.51.100.7/32"], "arn": "arn:allow"})
    rules = [r for r in acl_rules() if r["name"] != "japan-only"] + [
        {
            "name": "partners",
            "priority": 5,
            "action": {"allow": {}},
            "statement": {"ipSetReferenceStatement": {"arn": "arn:allow"}},
        }
    ]
    assert outcome(RULE, build([deny, allow, web_acl(rules=rules)])) == "pass"
    # Counting the same set is no allow-list role.
    rules[-1]["action"] = {"count": {}}
    assert messages(RULE, build([deny, allow, web_acl(rules=rules)])) == [
        f"{WEB_ACL} acl: references no allow-list IP set; {EXPECTED_ALLOW}"
    ]
