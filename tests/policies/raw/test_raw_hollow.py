"""Raw pulumi_aws detection resources that exist but record nothing useful (LOG-01, LOG-03, VUL-01)."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"trail_logging_on", "config_records_everything", "inspector_own_account"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("hollow", "violating"), RULES) == {
        ("LOG-01", "trail_logging_on", "paused"),
        ("LOG-01", "trail_logging_on", "data-only"),
        ("LOG-03", "config_records_everything", "config"),
        ("VUL-01", "inspector_own_account", "inspector"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("hollow", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("hollow", "violating"), RULES) == []
    assert undecided(gate("hollow", "compliant"), RULES) == []
