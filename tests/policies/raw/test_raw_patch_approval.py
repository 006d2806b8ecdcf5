"""Raw pulumi_aws patch baselines (VUL-02): approval delay and classifications, not only a schedule."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"patch_baseline_approval"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("patch_approval", "violating"), RULES) == {
        ("VUL-02", "patch_baseline_approval", "slow"),
        ("VUL-02", "patch_baseline_approval", "bugfix-only"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("patch_approval", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("patch_approval", "violating"), RULES) == []
    assert undecided(gate("patch_approval", "compliant"), RULES) == []
