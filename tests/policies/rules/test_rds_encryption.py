import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "rds_encryption"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)

CASES = [
    ("aws:rds/instance:Instance", "storageEncrypted", "kmsKeyId", "aws/rds"),
    ("aws:rds/cluster:Cluster", "storageEncrypted", "kmsKeyId", "aws/rds"),
    ("aws:docdb/cluster:Cluster", "storageEncrypted", "kmsKeyId", "aws/rds"),
    ("aws:neptune/cluster:Cluster", "storageEncrypted", "kmsKeyArn", "aws/rds"),
    ("aws:redshift/cluster:Cluster", "encrypted", "kmsKeyId", "aws/redshift"),
]


@pytest.mark.parametrize("resource_type, flag, key, _managed", CASES)
def test_pass_encrypted_with_tenant_key(resource_type, flag, key, _managed):
    assert outcome(RULE, tenant_resource(resource_type, "db", {flag: True, key: KEY_ARN})) == "pass"
    assert outcome(RULE, tenant_resource(resource_type, "db", {flag: "true", key: KEY_ARN})) == "pass"


@pytest.mark.parametrize("resource_type, flag, key, _managed", CASES)
def test_fail_unencrypted(resource_type, flag, key, _managed):
    assert messages(RULE, tenant_resource(resource_type, "db", {key: KEY_ARN})) == [
        f"{resource_type} db: {flag} is not set (storage is unencrypted); expected {flag} true with {key}"
        f" {CUSTOMER_KEY}. [ENC-01]"
    ]


@pytest.mark.parametrize("resource_type, flag, key, managed", CASES)
def test_fail_without_key(resource_type, flag, key, managed):
    assert messages(RULE, tenant_resource(resource_type, "db", {flag: True})) == [
        f"{resource_type} db: {key} is not set (the AWS-managed key {managed} is used); expected {flag} true"
        f" with {key} {CUSTOMER_KEY}. [ENC-01]"
    ]


def test_fail_aws_managed_alias():
    view = tenant_resource(
        "aws:rds/cluster:Cluster", "aurora", {"storageEncrypted": True, "kmsKeyId": "alias/aws/rds"}
    )
    assert messages(RULE, view) == [
        "aws:rds/cluster:Cluster aurora: kmsKeyId is the AWS-managed key alias/aws/rds; expected"
        f" storageEncrypted true with kmsKeyId {CUSTOMER_KEY}. [ENC-01]"
    ]


def test_na_cluster_instance():
    assert outcome(RULE, tenant_resource("aws:rds/clusterInstance:ClusterInstance", "i", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(
            RULE,
            tenant_resource(
                "aws:rds/instance:Instance", "db", {"storageEncrypted": UNKNOWN_BOOLEAN_VALUE}, preview=True
            ),
        )
        == "unknown"
    )
    view = tenant_resource(
        "aws:rds/instance:Instance",
        "db",
        {"storageEncrypted": True, "kmsKeyId": UNKNOWN_STRING_VALUE},
        preview=True,
    )
    assert outcome(RULE, view) == "unknown"
