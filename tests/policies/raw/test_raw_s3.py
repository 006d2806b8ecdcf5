"""Raw pulumi_aws S3 programs (family: s3) through the offline gate: TEN-01, RES-02, ENC-01, ENC-03."""

import pytest

from tests.policies.raw._data_rules import findings, gate, messages, undecided

VIOLATING = {
    ("TEN-01", "tenant_single_account", "tokyo"),
    ("TEN-01", "tenant_single_account", "osaka"),
    ("TEN-01", "tenant_single_account", "snake"),
    ("TEN-01", "tenant_single_account", "data-ownership"),
    ("TEN-01", "bucket_public_access_blocked", "data-public-access"),
    ("TEN-01", "bucket_public_access_blocked", "uploads"),
    ("TEN-01", "bucket_public_access_blocked", "uploads-policy"),
    ("TEN-01", "bucket_public_access_blocked", "legacy"),
    ("ENC-01", "s3_bucket_kms_encryption", "data-sse"),
    ("ENC-01", "s3_bucket_kms_encryption", "legacy"),
    ("ENC-01", "bucket_encryption_configured", "uploads"),
    ("ENC-03", "bucket_tls_only_policy", "data"),
    ("ENC-03", "bucket_tls_only_policy", "uploads"),
    ("ENC-03", "bucket_tls_only_policy", "legacy"),
    ("RES-02", "bucket_versioning_enabled", "data-versioning"),
    ("RES-02", "bucket_versioning_enabled", "uploads"),
    ("RES-02", "bucket_versioning_enabled", "legacy"),
    ("RES-02", "replication_rule_settings", "data-replication"),
    ("RES-02", "bucket_replication_to_osaka", "data"),
    ("RES-02", "bucket_replication_to_osaka", "uploads"),
    ("RES-02", "bucket_replication_to_osaka", "legacy"),
}


@pytest.fixture(scope="module")
def violating():
    return gate("s3", "violating")


def test_violating_program_yields_exactly_the_expected_findings(violating):
    assert findings(violating) == VIOLATING
    assert undecided(violating) == []


def test_violating_messages_name_the_cause(violating):
    assert messages(violating, "tenant_single_account", "osaka") == [
        "pulumi:providers:aws osaka: assumes a role into account 222222222222 while other providers of this"
        " stack assume into 111111111111; expected an explicit aws provider that assumes arn:aws:iam::<tenant"
        " account>:role/OrganizationAccountAccessRole, the same account for every provider of the stack."
        " [TEN-01]"
    ]
    assert messages(violating, "bucket_replication_to_osaka", "data") == [
        "aws:s3/bucket:Bucket data: is a tenant data bucket replicated only to ap-northeast-1; expected a "
        "BucketReplicationConfig replicating the bucket to a bucket in ap-northeast-3 (Osaka). [RES-02]"
    ]
    settings = (
        "expected status Enabled, destination.replicationTime {status Enabled, time.minutes 15},"
        " destination.metrics {status Enabled}, deleteMarkerReplication.status Enabled,"
        " sourceSelectionCriteria.sseKmsEncryptedObjects.status Enabled and"
        " destination.encryptionConfiguration.replicaKmsKeyId set. [RES-02]"
    )
    prefix = "aws:s3/bucketReplicationConfig:BucketReplicationConfig data-replication: rule 'copy': "
    assert messages(violating, "replication_rule_settings", "data-replication") == sorted(
        f"{prefix}{problem}; {settings}"
        for problem in (
            (
                "destination.encryptionConfiguration.replicaKmsKeyId is not set (replicas would not be"
                " SSE-KMS encrypted)"
            ),
            "destination.metrics.status is not set",
            "destination.replicationTime.status is not set",
            "sourceSelectionCriteria.sseKmsEncryptedObjects.status is not set",
        )
    )


def test_compliant_twin_is_not_flagged():
    result = gate("s3", "compliant")
    assert findings(result) == set()
    assert undecided(result) == []
