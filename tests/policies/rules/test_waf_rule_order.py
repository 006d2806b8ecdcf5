import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_net import WEB_ACL, acl_rules, web_acl
from tests.rulekit import messages, outcome, resource

RULE = "waf_rule_order"
EXPECTED = (
    "expected allow rules after the managed rule groups, the IP deny list, the country block and the rate"
    " limit. [EDGE-01]"
)
PARTNER = "arn:aws:wafv2:ap-northeast-1:111111111111:regional/ipset/partners/1"


def allow_rule(priority):
    return {
        "name": "partners",
        "priority": priority,
        "action": {"allow": {}},
        "statement": {"ipSetReferenceStatement": {"arn": PARTNER}},
    }


def test_pass_baseline_without_allow_rules():
    assert outcome(RULE, web_acl()) == "pass"


def test_pass_allow_rule_after_every_protection():
    assert outcome(RULE, web_acl([*acl_rules(), allow_rule(20)])) == "pass"


def test_pass_counted_group_after_an_allow_is_no_protection_lost():
    rules = [allow_rule(0), {**acl_rules()[3], "priority": 5, "overrideAction": {"count": {}}}]
    assert outcome(RULE, web_acl(rules)) == "pass"


def test_fail_allow_rule_first_switches_off_everything_after_it():
    assert messages(RULE, web_acl([*acl_rules()[1:], allow_rule(-1), acl_rules()[0]])) == [
        (
            f"{WEB_ACL} acl: rule partners (priority -1) allows before rule deny-list (priority 0), an IP"
            f" deny list, which never sees what it allows; {EXPECTED}"
        ),
        (
            f"{WEB_ACL} acl: rule partners (priority -1) allows before rule japan-only (priority 1), the"
            f" country block, which never sees what it allows; {EXPECTED}"
        ),
        (
            f"{WEB_ACL} acl: rule partners (priority -1) allows before rule rate-limit (priority 2), the rate"
            f" limit, which never sees what it allows; {EXPECTED}"
        ),
        (
            f"{WEB_ACL} acl: rule partners (priority -1) allows before rule AWSManagedRulesCommonRuleSet"
            f" (priority 10), a managed rule group, which never sees what it allows; {EXPECTED}"
        ),
        (
            f"{WEB_ACL} acl: rule partners (priority -1) allows before rule AWSManagedRulesSQLiRuleSet"
            f" (priority 11), a managed rule group, which never sees what it allows; {EXPECTED}"
        ),
        (
            f"{WEB_ACL} acl: rule partners (priority -1) allows before rule"
            " AWSManagedRulesKnownBadInputsRuleSet (priority 12), a managed rule group, which never sees"
            f" what it allows; {EXPECTED}"
        ),
    ]


def test_fail_allow_between_rate_limit_and_managed_groups():
    found = messages(RULE, web_acl([*acl_rules(), allow_rule(5)]))
    assert len(found) == 3 and all("a managed rule group" in m for m in found)


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, resource("aws:wafv2/ipSet:IpSet", "s", {}))


def test_unreadable_rule_json_is_reported():
    assert messages(RULE, web_acl([], ruleJson="{not json")) == [
        f"{WEB_ACL} acl: ruleJson is not valid JSON (Expecting property name enclosed in double quotes: line"
        " 1 column 2 (char 1)); expected rules or a valid ruleJson. [EDGE-01]"
    ]


def test_unknown_rules_in_preview():
    acl = resource(
        WEB_ACL, "acl", {"defaultAction": {"allow": {}}, "rules": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, acl) == "unknown"
