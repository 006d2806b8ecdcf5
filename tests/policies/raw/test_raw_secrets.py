"""Raw pulumi_aws parameters, functions and task definitions (ENC-04): credentials in plain text are found."""

from tests.policies.raw._gate_items import findings, gate, undecided

RULES = frozenset({"no_plaintext_secrets", "no_plaintext_db_password"})


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate("secrets", "violating"), RULES) == {
        ("ENC-04", "no_plaintext_secrets", "db-password"),
        ("ENC-04", "no_plaintext_secrets", "api"),
        ("ENC-04", "no_plaintext_secrets", "worker"),
    }


def test_compliant_twin_is_not_flagged():
    assert findings(gate("secrets", "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate("secrets", "violating"), RULES) == []
    assert undecided(gate("secrets", "compliant"), RULES) == []
