"""Raw pulumi_aws backup plan (BAK-02): the Osaka copy's retention, not only its presence."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"backup_copy_retention", "backup_copy_osaka"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("backup_retention", "violating"), RULES) == {
        ("BAK-02", "backup_copy_retention", "daily"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("backup_retention", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("backup_retention", "violating"), RULES) == []
    assert undecided(gate("backup_retention", "compliant"), RULES) == []
