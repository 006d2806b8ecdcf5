"""Raw pulumi_aws KMS programs (family: kms) through the offline gate: ENC-02."""

from tests.policies.raw._data_rules import findings, gate, messages, undecided

VIOLATING = {
    ("ENC-02", "kms_key_rotation", "lazy"),
    ("ENC-02", "kms_key_rotation", "byok"),
    ("ENC-02", "kms_key_deletion_window", "lazy"),
    ("ENC-02", "kms_key_policy_separation", "lazy"),
    ("ENC-02", "kms_key_policy_separation", "console-default"),
    ("ENC-02", "kms_key_policy_separation", "app-policy"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    result = gate("kms", "violating")
    assert findings(result) == VIOLATING
    assert undecided(result) == []
    # The KeyPolicy resource replaces the key's own (absent) policy: the finding is on it, not on the key.
    assert messages(result, "kms_key_policy_separation", "app") == []


def test_compliant_twin_is_not_flagged():
    result = gate("kms", "compliant")
    assert findings(result) == set()
    assert undecided(result) == []
