"""Raw pulumi_aws programs, CloudTrail, its bucket and log retention (LOG-01, LOG-02; TEN-04 through provider
default tags): the violating program yields exactly the expected findings of our rules; its compliant twin
yields none."""

from tests.policies.raw._secops_raw import findings, gate, judged_rules, undecided

FAMILY = "logging"
RULES = judged_rules()
EXPECTED = {
    ("LOG-01", "org_trail", "trail"),
    ("LOG-01", "trail_bucket_object_lock", "trail-logs"),
    ("LOG-01", "trail_bucket_object_lock", "trail-logs-lock"),
    ("LOG-01", "trail_bucket_object_lock", "trail-logs-lifecycle"),
    ("LOG-02", "log_group_retention", "app-logs"),
    ("LOG-02", "log_group_retention", "access-logs-lifecycle"),
    ("LOG-02", "log_group_retention", "trail-logs-lifecycle"),
    ("TEN-04", "tags_required", "untagged-logs"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate(FAMILY, "violating"), RULES) == EXPECTED


def test_compliant_twin_is_not_flagged():
    assert findings(gate(FAMILY, "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate(FAMILY, "violating"), RULES) == []
    assert undecided(gate(FAMILY, "compliant"), RULES) == []
