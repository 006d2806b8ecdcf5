"""Raw pulumi_aws messaging, secrets and logs (families: sns, sqs, secretsmanager, logs) through the offline
gate: ENC-01."""

from tests.policies.raw._data_rules import findings, gate, undecided

VIOLATING = {
    ("ENC-01", "sns_topic_kms_encryption", "alerts"),
    ("ENC-01", "sns_topic_kms_encryption", "audit"),
    ("ENC-01", "sqs_queue_kms_encryption", "jobs"),
    ("ENC-01", "sqs_queue_kms_encryption", "events"),
    ("ENC-01", "secret_kms_encryption", "api-token"),
    ("ENC-01", "secret_kms_encryption", "partner-token"),
    ("ENC-01", "log_group_kms_encryption", "app-logs"),
    ("ENC-01", "log_group_kms_encryption", "shared-logs"),
    # A secret replica outside Japan is a copy leaving the country.
    ("RES-02", "bucket_replication_to_osaka", "partner-token"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    result = gate("messaging", "violating")
    assert findings(result) == VIOLATING
    assert undecided(result) == []


def test_compliant_twin_is_not_flagged():
    result = gate("messaging", "compliant")
    assert findings(result) == set()
    assert undecided(result) == []
