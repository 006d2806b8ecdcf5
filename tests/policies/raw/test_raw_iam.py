"""Raw pulumi_aws programs, IAM policies, users, access keys and roles (IAM-01, IAM-02): the violating program
yields exactly the expected findings of our rules; its compliant twin yields none."""

from tests.policies.raw._secops_raw import findings, gate, judged_rules, undecided

FAMILY = "iam"
RULES = judged_rules()
EXPECTED = {
    ("IAM-01", "iam_no_admin_policy", "everything"),
    ("IAM-01", "iam_no_admin_policy", "operator-admin"),
    ("IAM-01", "iam_no_admin_policy", "deployer-admin"),
    ("IAM-01", "iam_no_users_or_keys", "deployer"),
    ("IAM-01", "iam_no_users_or_keys", "deployer-key"),
    ("IAM-01", "iam_no_users_or_keys", "deployer-console"),
    ("IAM-01", "iam_no_users_or_keys", "deployer-admin"),
    ("IAM-02", "iam_human_role_mfa", "operator"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate(FAMILY, "violating"), RULES) == EXPECTED


def test_compliant_twin_is_not_flagged():
    assert findings(gate(FAMILY, "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate(FAMILY, "violating"), RULES) == []
    assert undecided(gate(FAMILY, "compliant"), RULES) == []
