"""Raw pulumi_aws programs, AWS Backup vaults, locks, plans and selections (BAK-01, BAK-02, BAK-03): the
violating program yields exactly the expected findings of our rules; its compliant twin yields none."""

from tests.policies.raw._secops_raw import findings, gate, judged_rules, undecided

FAMILY = "backup"
RULES = judged_rules("backup_selection_by_tenant_tag", "backup_restore_testing")
EXPECTED = {
    ("BAK-01", "backup_plan_daily", "weekly"),
    ("BAK-01", "backup_selection_by_tenant_tag", "weekly"),
    ("BAK-01", "backup_restore_testing", "vault-tokyo"),
    ("BAK-02", "backup_copy_osaka", "weekly"),
    ("BAK-03", "backup_vault_lock", "vault-osaka"),
    ("BAK-03", "backup_vault_lock", "vault-tokyo-lock"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    assert findings(gate(FAMILY, "violating"), RULES) == EXPECTED


def test_compliant_twin_is_not_flagged():
    assert findings(gate(FAMILY, "compliant"), RULES) == set()


def test_nothing_left_undecided():
    assert undecided(gate(FAMILY, "violating"), RULES) == []
    assert undecided(gate(FAMILY, "compliant"), RULES) == []
