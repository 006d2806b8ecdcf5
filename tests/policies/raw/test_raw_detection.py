"""Raw pulumi_aws programs, GuardDuty, Security Hub, Config, Inspector, malware protection and finding routing
(LOG-03, LOG-04, LOG-05, VUL-01): the violating program yields exactly the expected findings of our rules; its
compliant twin yields none."""

from tests.policies.raw._secops_raw import findings, gate, judged_rules, undecided

FAMILY = "detection"
RULES = judged_rules("detection_both_regions", "inspector_scanning", "incident_routing")
# Stack-level findings are about the stack's root resource, `pulumi:pulumi:Stack <project>-<stack>`.
STACK_ROOT = "raw-detection-violating-test"
EXPECTED = {
    ("LOG-03", "guardduty_detector", "guardduty-tokyo"),
    ("LOG-03", "detection_both_regions", STACK_ROOT),
    ("LOG-04", "upload_malware_protection", "uploads"),
    ("LOG-05", "incident_routing", STACK_ROOT),
    ("VUL-01", "inspector_scanning", STACK_ROOT),
    ("VUL-01", "inspector_scanning", "inspector-tokyo"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate(FAMILY, "violating"), RULES) == EXPECTED


def test_compliant_twin_is_not_flagged():
    assert findings(gate(FAMILY, "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate(FAMILY, "violating"), RULES) == []
    assert undecided(gate(FAMILY, "compliant"), RULES) == []
