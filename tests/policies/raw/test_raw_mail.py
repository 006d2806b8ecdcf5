"""Raw pulumi_aws programs, SES identities and Route 53 records (MAIL-01): the violating program yields
exactly the expected findings of our rules; its compliant twin yields none."""

from tests.policies.raw._secops_raw import findings, gate, judged_rules, undecided

FAMILY = "mail"
RULES = judged_rules()
EXPECTED = {
    ("MAIL-01", "dmarc_policy", "dmarc"),
    ("MAIL-01", "ses_mail_authentication", "notify"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate(FAMILY, "violating"), RULES) == EXPECTED


def test_compliant_twin_is_not_flagged():
    assert findings(gate(FAMILY, "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate(FAMILY, "violating"), RULES) == []
    assert undecided(gate(FAMILY, "compliant"), RULES) == []
