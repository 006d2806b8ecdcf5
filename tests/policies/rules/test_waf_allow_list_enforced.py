from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE

from tests.policies.rules._fixtures_net import (
    ALLOW_ARN,
    IP_SET,
    WEB_ACL,
    acl_rules,
    build,
    edge,
    patched,
    web_acl,
)
from tests.rulekit import messages, outcome, resource

RULE = "waf_allow_list_enforced"
EXPECTED = (
    "expected defaultAction block with allow rules only on the allow-list IP set, or a rule with action block"
    " and notStatement{ipSetReferenceStatement} of the allow-list IP set before any rule that can allow."
    " [EDGE-04]"
)
GUARD = {
    "name": "allow-only",
    "priority": 0,
    "action": {"block": {}},
    "statement": {"notStatement": {"statement": {"ipSetReferenceStatement": {"arn": ALLOW_ARN}}}},
}


def shifted():
    """The shipped rules one priority lower, leaving priority 0 for the allow-only guard."""
    rules = acl_rules()
    for rule in rules:
        rule["priority"] += 1
    return rules


def with_addresses(acl, addresses=("203.0.113.10/32",)):
    views = edge()
    allow = patched(views["allow"], addresses=list(addresses))
    return build([allow, views["deny"], acl])


def test_pass_guard_rule_at_top_priority():
    assert outcome(RULE, with_addresses(web_acl(rules=[GUARD, *shifted()]))) == "pass"


def test_pass_default_block_allowing_only_the_list():
    rules = [
        {
            "name": "allow-list",
            "priority": 0,
            "action": {"allow": {}},
            "statement": {"ipSetReferenceStatement": {"arn": ALLOW_ARN}},
        }
    ]
    assert outcome(RULE, with_addresses(web_acl(rules=rules, defaultAction={"block": {}}))) == "pass"


def test_fail_list_only_spared_from_geo_block():
    # The shipped geo rule spares listed addresses abroad but still admits every JP address.
    assert messages(RULE, with_addresses(web_acl())) == [
        f"{WEB_ACL} acl: references allow-list IP set allow but still admits other addresses (defaultAction"
        f" allow); {EXPECTED}"
    ]


def test_pass_guard_after_blocking_rules():
    # The shipped layout: the deny list (block) comes first, then the guard; neither lets anything in.
    guard = {**GUARD, "priority": 1}
    rules = acl_rules()
    rules[1]["priority"] = 2
    rules[2]["priority"] = 3
    assert outcome(RULE, with_addresses(web_acl(rules=[rules[0], guard, *rules[1:]]))) == "pass"


def test_fail_allow_rule_before_guard():
    partner = {
        "name": "partner",
        "priority": 1,
        "action": {"allow": {}},
        "statement": {"byteMatchStatement": {"searchString": "partner"}},
    }
    guard = {**GUARD, "priority": 5}
    assert messages(RULE, with_addresses(web_acl(rules=[partner, guard, *shifted()[1:]]))) == [
        f"{WEB_ACL} acl: rule allow-only (priority 5) blocks addresses outside allow-list IP set allow, but"
        f" rule partner (priority 1), which can allow requests, is evaluated first; {EXPECTED}"
    ]


def test_fail_rule_group_before_guard():
    group = {
        "name": "own-group",
        "priority": 1,
        "overrideAction": {"none": {}},
        "statement": {
            "ruleGroupReferenceStatement": {
                "arn": "arn:aws:wafv2:ap-northeast-1:111111111111:regional/rulegroup/x/1"
            }
        },
    }
    guard = {**GUARD, "priority": 5}
    assert messages(RULE, with_addresses(web_acl(rules=[group, guard, *shifted()[1:]]))) == [
        f"{WEB_ACL} acl: rule allow-only (priority 5) blocks addresses outside allow-list IP set allow, but"
        f" rule own-group (priority 1), which can allow requests, is evaluated first; {EXPECTED}"
    ]


def test_fail_guard_without_priority_may_come_after_an_allow_rule():
    partner = {
        "name": "partner",
        "priority": 9,
        "action": {"allow": {}},
        "statement": {"byteMatchStatement": {"searchString": "partner"}},
    }
    guard = {key: value for key, value in GUARD.items() if key != "priority"}
    assert messages(RULE, with_addresses(web_acl(rules=[guard, partner]))) == [
        f"{WEB_ACL} acl: rule allow-only (priority not set) blocks addresses outside allow-list IP set allow,"
        f" but rule partner (priority 9), which can allow requests, is evaluated first; {EXPECTED}"
    ]


def test_fail_default_block_without_rule_allowing_the_list():
    rules = [
        {
            "name": "deny-list",
            "priority": 0,
            "action": {"block": {}},
            "statement": {"ipSetReferenceStatement": {"arn": ALLOW_ARN}},
        }
    ]
    assert messages(RULE, with_addresses(web_acl(rules=rules, defaultAction={"block": {}}))) == [
        f"{WEB_ACL} acl: has defaultAction block but no rule allows allow-list IP set allow; {EXPECTED}"
    ]


def test_fail_unreadable_rule_json():
    assert messages(RULE, with_addresses(web_acl(ruleJson="[{"))) == [
        (
            f"{WEB_ACL} acl: ruleJson is not valid JSON (Expecting property name enclosed in double quotes:"
            " line 1 column 3 (char 2)); expected rules or a valid ruleJson. [EDGE-04]"
        ),
        (
            f"{IP_SET} allow: is an allow list with 1 address that no web ACL references; expected a web ACL"
            " of this stack that admits only this IP set (defaultAction block with allow rules only on the"
            " allow-list IP set, or a rule with action block and notStatement{ipSetReferenceStatement} of"
            " the allow-list IP set before any rule that can allow). [EDGE-04]"
        ),
    ]


def test_fail_default_block_with_other_allow_rule():
    rules = [
        {
            "name": "allow-list",
            "priority": 0,
            "action": {"allow": {}},
            "statement": {"ipSetReferenceStatement": {"arn": ALLOW_ARN}},
        },
        {
            "name": "allow-jp",
            "priority": 1,
            "action": {"allow": {}},
            "statement": {"geoMatchStatement": {"countryCodes": ["JP"]}},
        },
    ]
    assert messages(RULE, with_addresses(web_acl(rules=rules, defaultAction={"block": {}}))) == [
        f"{WEB_ACL} acl: has defaultAction block but rule allow-jp (priority 1) allows requests outside"
        f" allow-list IP set allow; {EXPECTED}"
    ]


def test_fail_list_with_addresses_unused():
    acl = web_acl(rules=[r for r in acl_rules() if r["name"] != "japan-only"])
    assert messages(RULE, with_addresses(acl, ("203.0.113.10/32", "198.51.100.7/32"))) == [
        f"{IP_SET} allow: is an allow list with 2 addresses that no web ACL references; expected a web ACL of"
        " this stack that admits only this IP set (defaultAction block with allow rules only on the"
        " allow-list IP set, or a rule with action block and notStatement{ipSetReferenceStatement} of the"
        " allow-list IP set before any rule that can allow). [EDGE-04]"
    ]


def test_na_empty_allow_list():
    views = edge()
    assert outcome(RULE, build([views["allow"], views["deny"], web_acl()])) == "n/a"


def test_na_untagged_sets():
    ip_set = resource(IP_SET, "allow", {"addresses": ["203.0.113.10/32"], "arn": ALLOW_ARN})
    assert outcome(RULE, build([ip_set, web_acl()])) == "n/a"


def test_unknown_addresses_in_preview():
    views = edge()
    allow = resource(
        IP_SET,
        "allow",
        {"addresses": UNKNOWN_ARRAY_VALUE, "arn": ALLOW_ARN, "tags": views["allow"].props["tags"]},
        preview=True,
    )
    assert outcome(RULE, build([allow, web_acl()])) == "unknown"
