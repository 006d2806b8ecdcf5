"""Raw pulumi_aws data stores (families: rds-aurora, ebs, efs, dynamodb) through the offline gate: ENC-01,
ENC-04."""

from tests.policies.raw._data_rules import findings, gate, messages, undecided

VIOLATING = {
    ("ENC-01", "rds_encryption", "orders-db"),
    ("ENC-01", "rds_encryption", "ledger"),
    ("ENC-04", "no_plaintext_db_password", "orders-db"),
    ("ENC-04", "no_plaintext_db_password", "ledger"),
    ("ENC-01", "ebs_encryption", "ebs-default"),
    ("ENC-01", "ebs_encryption", "scratch"),
    ("ENC-01", "ebs_encryption", "shared-scratch"),
    ("ENC-01", "ebs_encryption", "batch"),
    ("ENC-01", "ebs_encryption", "workers"),
    ("ENC-01", "efs_encryption", "shared"),
    ("ENC-01", "dynamodb_kms_encryption", "sessions"),
}


def test_violating_program_yields_exactly_the_expected_findings():
    result = gate("datastores", "violating")
    assert findings(result) == VIOLATING
    assert undecided(result) == []
    assert messages(result, "no_plaintext_db_password", "orders-db") == [
        (
            "aws:rds/instance:Instance orders-db: manageMasterUserPassword is not true (the master password"
            " is not kept in Secrets Manager); expected manageMasterUserPassword true with"
            " masterUserSecretKmsKeyId a customer-managed KMS key of the tenant (a key ID/ARN of the tenant"
            " account, not alias/aws/*). [ENC-04]"
        ),
        (
            "aws:rds/instance:Instance orders-db: sets password in the program (the password lives in code,"
            " config and state); expected manageMasterUserPassword true with masterUserSecretKmsKeyId a"
            " customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)."
            " [ENC-04]"
        ),
    ]


def test_compliant_twin_is_not_flagged():
    result = gate("datastores", "compliant")
    assert findings(result) == set()
    assert undecided(result) == []
