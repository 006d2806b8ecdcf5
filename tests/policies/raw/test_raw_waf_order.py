"""Raw pulumi_aws web ACL (EDGE-01): an allow rule before the protections is found, after them it is not."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"waf_rule_order", "waf_managed_rules", "waf_rate_limit"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("waf_order", "violating"), RULES) == {("EDGE-01", "waf_rule_order", "api")}


def test_compliant_twin_is_not_flagged():
    assert findings(gate("waf_order", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("waf_order", "violating"), RULES) == []
    assert undecided(gate("waf_order", "compliant"), RULES) == []
