"""Raw pulumi_aws networks whose openings hide in pieces: internet ranges split across rules or groups,
network ACLs, the default network ACL and a missing zone (NET-01, NET-02)."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"sg_no_public_ingress", "nacl_no_public_admin_ports", "vpc_three_zones"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("network_depth", "violating"), RULES) == {
        ("NET-02", "sg_no_public_ingress", "admin-sg"),
        ("NET-02", "sg_no_public_ingress", "jump"),
        ("NET-02", "nacl_no_public_admin_ports", "private-acl"),
        ("NET-02", "nacl_no_public_admin_ports", "public-a"),
        ("NET-02", "nacl_no_public_admin_ports", "public-c"),
        ("NET-01", "vpc_three_zones", "app-vpc"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("network_depth", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("network_depth", "violating"), RULES) == []
    assert undecided(gate("network_depth", "compliant"), RULES) == []
