"""Raw pulumi_aws replication and shipping paths (RES-02): every destination outside Japan is found."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"copy_destinations_in_japan", "region_allowed"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("destinations", "violating"), RULES) == {
        ("RES-02", "copy_destinations_in_japan", "images"),
        ("RES-02", "copy_destinations_in_japan", "ship"),
        ("RES-02", "copy_destinations_in_japan", "to-virginia"),
        ("RES-02", "copy_destinations_in_japan", "fan-out"),
        ("RES-02", "copy_destinations_in_japan", "clicks"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("destinations", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("destinations", "violating"), RULES) == []
    assert undecided(gate("destinations", "compliant"), RULES) == []
