"""Raw pulumi_aws programs for the controls added from the seeds (ENC-05, NET-05, IAM-04)."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"tls_forward_secrecy", "db_multi_az", "cognito_mfa"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("new_controls", "violating"), RULES) == {
        ("ENC-05", "tls_forward_secrecy", "https"),
        ("NET-05", "db_multi_az", "orders-db"),
        ("NET-05", "db_multi_az", "sessions"),
        ("IAM-04", "cognito_mfa", "users"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("new_controls", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("new_controls", "violating"), RULES) == []
    assert undecided(gate("new_controls", "compliant"), RULES) == []
