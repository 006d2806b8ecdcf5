"""Raw pulumi_aws resource and trust policies granting accounts outside the organization (RES-02)."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"grants_within_organization"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("grants", "violating"), RULES) == {
        ("RES-02", "grants_within_organization", "exports"),
        ("RES-02", "grants_within_organization", "data"),
        ("RES-02", "grants_within_organization", "vendor-support"),
        ("RES-02", "grants_within_organization", "events"),
        ("RES-02", "grants_within_organization", "jobs"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("grants", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("grants", "violating"), RULES) == []
    assert undecided(gate("grants", "compliant"), RULES) == []
