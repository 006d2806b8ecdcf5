"""Raw programs whose stack config file stores a credential in plain text, and the twin that set it with
`pulumi config set --secret` (ENC-04)."""

from tests.policies.raw._gate_items import gate, undecided

RULES = frozenset({"stack_config_secrets"})
FILE = "tests/fixtures/raw/stack_config/violating/Pulumi.test.yaml"


def test_violating_stack_file_yields_one_finding_per_key_without_the_value():
    found = [v for v in gate("stack_config", "violating").violations if v.rule in RULES]
    assert [v.message for v in found] == [
        f"pulumi:pulumi:Stack raw-stack-config-violating-test: {FILE} stores config key "
        f"raw-stack-config-violating:dbPassword in plain text (its name dbPassword says it is a credential); "
        "expected the value encrypted with `pulumi config set --secret "
        "raw-stack-config-violating:dbPassword` (stored as secure:). [ENC-04]",
        f"pulumi:pulumi:Stack raw-stack-config-violating-test: {FILE} stores config key "
        "raw-stack-config-violating:deploy.accessKeyId in plain text (its name accessKeyId says it is a "
        "credential); expected the value encrypted with `pulumi config set --secret "
        "raw-stack-config-violating:deploy` (stored as secure:). [ENC-04]",
    ]
    assert all("not-a-real-password" not in v.message for v in found)


def test_compliant_twin_is_not_flagged():
    assert [v for v in gate("stack_config", "compliant").violations if v.rule in RULES] == []


def test_nothing_left_undecided():
    assert undecided(gate("stack_config", "violating"), RULES) == []
    assert undecided(gate("stack_config", "compliant"), RULES) == []
