import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.aws_facts import WAF_WEB_ACL_MAX_WCU
from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "waf_capacity_within_limit"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
RULE_GROUP = "aws:wafv2/ruleGroup:RuleGroup"
EXPECTED = "expected at most 5,000 WCUs (the first 1,500 are included in the web ACL's price). [DEP-06]"


def managed(name, vendor="AWS"):
    return {"name": name, "statement": {"managedRuleGroupStatement": {"name": name, "vendorName": vendor}}}


def xss(transformations=1, field=None):
    body = {
        "fieldToMatch": field or {"body": {}},
        "textTransformations": [{"priority": i, "type": "URL_DECODE"} for i in range(transformations)],
    }
    return {"name": "xss", "statement": {"xssMatchStatement": body}}


BASELINE = [
    {
        "name": "geo",
        "statement": {"notStatement": {"statement": {"geoMatchStatement": {"countryCodes": ["JP"]}}}},
    },
    {"name": "rate", "statement": {"rateBasedStatement": {"limit": 2000, "aggregateKeyType": "IP"}}},
    managed("AWSManagedRulesCommonRuleSet"),
    managed("AWSManagedRulesKnownBadInputsRuleSet"),
]


def acl(rules, **props):
    return resource(WEB_ACL, "edge", {"scope": "REGIONAL", "rules": rules, **props})


def test_pass_baseline_web_acl():
    assert outcome(RULE, stack(acl(BASELINE))) == "pass"


def test_pass_exactly_at_the_limit():
    rules = (
        [managed("AWSManagedRulesCommonRuleSet")]
        + [xss(transformations=0)] * 107
        + [
            {
                "name": "size",
                "statement": {"sizeConstraintStatement": {"comparisonOperator": "GT", "size": 1}},
            },
            {"name": "label", "statement": {"labelMatchStatement": {"key": "x", "scope": "LABEL"}}},
            {
                "name": "re",
                "statement": {"regexMatchStatement": {"regexString": "a", "fieldToMatch": {"uriPath": {}}}},
            },
            {"name": "ip", "statement": {"ipSetReferenceStatement": {"arn": "arn"}}},
            {"name": "geo", "statement": {"geoMatchStatement": {"countryCodes": ["JP"]}}},
            {"name": "asn", "statement": {"asnMatchStatement": {"asnLists": [1]}}},
            {"name": "asn2", "statement": {"asnMatchStatement": {"asnLists": [2]}}},
            {"name": "asn3", "statement": {"asnMatchStatement": {"asnLists": [3]}}},
            {"name": "asn4", "statement": {"asnMatchStatement": {"asnLists": [4]}}},
            {"name": "asn5", "statement": {"asnMatchStatement": {"asnLists": [5]}}},
            {"name": "asn6", "statement": {"asnMatchStatement": {"asnLists": [6]}}},
            {"name": "asn7", "statement": {"asnMatchStatement": {"asnLists": [7]}}},
            {"name": "asn8", "statement": {"asnMatchStatement": {"asnLists": [8]}}},
            {"name": "asn9", "statement": {"asnMatchStatement": {"asnLists": [9]}}},
            {"name": "asn10", "statement": {"asnMatchStatement": {"asnLists": [10]}}},
            {"name": "asn11", "statement": {"asnMatchStatement": {"asnLists": [11]}}},
        ]
    )
    # 700 + 107 * 40 + 1 + 1 + 3 + 1 + 1 + 11 * 1 = 4,998; two more size constraints make 5,000.
    size = {
        "name": "size2",
        "statement": {"sizeConstraintStatement": {"comparisonOperator": "GT", "size": 2}},
    }
    assert outcome(RULE, stack(acl([*rules, size, size]))) == "pass"
    assert outcome(RULE, stack(acl([*rules, size, size, size]))) == "fail"


def test_fail_text_transformations_push_it_over():
    rules = [*BASELINE, *[xss(transformations=5)] * 45]  # 903 + 45 * (40 + 5 * 10) = 4,953
    rules.append(
        xss(transformations=0, field={"jsonBody": {"matchPattern": {"all": {}}, "matchScope": "ALL"}})
    )
    # the JSON body doubles XSS's 40: 5,033
    assert messages(RULE, stack(acl(rules))) == [
        f"{WEB_ACL} edge: needs 5,033 WCUs, over AWS WAF's maximum of {WAF_WEB_ACL_MAX_WCU:,} per web ACL, "
        "so "
        "CreateWebACL / UpdateWebACL fails (WAFInvalidParameterException: You exceeded the capacity limit "
        f"for a rule group or web ACL); {EXPECTED}"
    ]


def test_fail_string_matches_in_logical_statements_and_rule_json():
    contains = {
        "ByteMatchStatement": {
            "PositionalConstraint": "CONTAINS",
            "SearchString": "x",
            "FieldToMatch": {"AllQueryArguments": {}},
            "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}],
        }
    }
    rule = {"Name": "or", "Statement": {"OrStatement": {"Statements": [contains, contains]}}}  # 2 * 30
    web_acl = resource(WEB_ACL, "edge", {"scope": "REGIONAL", "ruleJson": json.dumps([rule] * 84)})
    assert messages(RULE, stack(web_acl)) == [
        f"{WEB_ACL} edge: needs 5,040 WCUs, over AWS WAF's maximum of {WAF_WEB_ACL_MAX_WCU:,} per web ACL, "
        "so "
        "CreateWebACL / UpdateWebACL fails (WAFInvalidParameterException: You exceeded the capacity limit "
        f"for a rule group or web ACL); {EXPECTED}"
    ]


def test_fail_own_rule_group_capacity_counts():
    group = resource(
        RULE_GROUP, "custom", {"capacity": 4200, "arn": "arn:aws:wafv2:ap-northeast-1:1:regional/rulegroup/c"}
    )
    reference = {
        "name": "custom",
        "statement": {
            "ruleGroupReferenceStatement": {"arn": "arn:aws:wafv2:ap-northeast-1:1:regional/rulegroup/c"}
        },
    }
    assert outcome(RULE, stack(group, acl([*BASELINE, reference]))) == "fail"


def test_fail_sqli_high_sensitivity_costs_more():
    high = {
        "name": "sqli",
        "statement": {"sqliMatchStatement": {"sensitivityLevel": "HIGH", "fieldToMatch": {"body": {}}}},
    }
    low = {"name": "sqli", "statement": {"sqliMatchStatement": {"fieldToMatch": {"body": {}}}}}
    assert outcome(RULE, stack(acl([*BASELINE, *[low] * 204]))) == "pass"  # 903 + 4,080
    assert outcome(RULE, stack(acl([*BASELINE, *[high] * 204]))) == "fail"  # 903 + 6,120


def test_fail_rule_group_declaring_less_than_its_rules_need():
    group = resource(RULE_GROUP, "custom", {"capacity": 100, "rules": [xss(transformations=2)] * 2})
    assert messages(RULE, stack(group)) == [
        f"{RULE_GROUP} custom: declares capacity 100 but its rules need 120 WCUs, so CreateRuleGroup / "
        "UpdateRuleGroup fails (WAFInvalidParameterException: You haven't met a minimum requirement for a "
        "threshold setting); expected a capacity of at least 120 (rule group capacity is fixed at creation). "
        "[DEP-06]"
    ]
    assert (
        outcome(RULE, stack(resource(RULE_GROUP, "custom", {"capacity": 120, "rules": [xss(2)] * 2})))
        == "pass"
    )


def test_na_without_web_acl_or_rule_group_rules():
    assert outcome(RULE, stack(resource(RULE_GROUP, "custom", {"capacity": 10}))) == "n/a"


def test_unknown_managed_group_is_undecided_not_a_pass():
    assert outcome(RULE, stack(acl([*BASELINE, managed("SomeMarketplaceRules", "Vendor")]))) == "unknown"


def test_unknown_rule_group_outside_the_program_is_undecided():
    reference = {"name": "x", "statement": {"ruleGroupReferenceStatement": {"arn": "arn:aws:wafv2:other"}}}
    assert outcome(RULE, stack(acl([*BASELINE, reference]))) == "unknown"


def test_unknown_rules_in_preview():
    web_acl = resource(WEB_ACL, "edge", {"scope": "REGIONAL", "rules": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, stack(web_acl)) == "unknown"


def test_finding_names_the_web_acl():
    assert acl(BASELINE).urn == urn(WEB_ACL, "edge")
