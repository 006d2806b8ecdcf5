import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "no_plaintext_db_password"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
RDS = "aws:rds/instance:Instance"
AURORA = "aws:rds/cluster:Cluster"
DOCDB = "aws:docdb/cluster:Cluster"
REDSHIFT = "aws:redshift/cluster:Cluster"
RDS_EXPECTED = (
    f"expected manageMasterUserPassword true with masterUserSecretKmsKeyId {CUSTOMER_KEY}. [ENC-04]"
)
REDSHIFT_EXPECTED = (
    f"expected manageMasterPassword true with masterPasswordSecretKmsKeyId {CUSTOMER_KEY}. [ENC-04]"
)
DOCDB_EXPECTED = "expected manageMasterUserPassword true. [ENC-04]"
MANAGED = {"manageMasterUserPassword": True, "masterUserSecretKmsKeyId": KEY_ARN}


def test_pass_managed_passwords():
    assert outcome(RULE, tenant_resource(RDS, "db", {"username": "admin", **MANAGED})) == "pass"
    assert outcome(RULE, tenant_resource(AURORA, "db", {"masterUsername": "admin", **MANAGED})) == "pass"
    assert outcome(RULE, tenant_resource(DOCDB, "db", {"manageMasterUserPassword": "true"})) == "pass"
    assert (
        outcome(
            RULE,
            tenant_resource(
                REDSHIFT, "dw", {"manageMasterPassword": True, "masterPasswordSecretKmsKeyId": KEY_ARN}
            ),
        )
        == "pass"
    )


@pytest.mark.parametrize(
    "resource_type, prop, expected",
    [
        (RDS, "password", RDS_EXPECTED),
        (AURORA, "masterPassword", RDS_EXPECTED),
        (DOCDB, "masterPassword", DOCDB_EXPECTED),
    ],
)
def test_fail_literal_password(resource_type, prop, expected):
    assert messages(RULE, tenant_resource(resource_type, "db", {prop: "hunter2"})) == [
        (
            f"{resource_type} db: sets {prop} in the program (the password lives in code, config and state);"
            f" {expected}"
        ),
        (
            f"{resource_type} db: {'manageMasterUserPassword'} is not true (the master password is not kept"
            f" in Secrets Manager); {expected}"
        ),
    ]


def test_fail_secret_wrapped_password_still_lives_in_state():
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "[secret]"}
    assert messages(RULE, tenant_resource(AURORA, "db", {"masterPassword": secret, **MANAGED})) == [
        f"{AURORA} db: sets masterPassword in the program (the password lives in code, config and state);"
        f" {RDS_EXPECTED}"
    ]


def test_fail_write_only_password():
    assert messages(RULE, tenant_resource(RDS, "db", {"passwordWo": "x", **MANAGED})) == [
        f"{RDS} db: sets passwordWo in the program (the password lives in code, config and state);"
        f" {RDS_EXPECTED}"
    ]


def test_fail_redshift_literal_password():
    assert messages(RULE, tenant_resource(REDSHIFT, "dw", {"masterPassword": "Secret123"})) == [
        (
            f"{REDSHIFT} dw: sets masterPassword in the program (the password lives in code, config and"
            f" state); {REDSHIFT_EXPECTED}"
        ),
        (
            f"{REDSHIFT} dw: manageMasterPassword is not true (the master password is not kept in Secrets"
            f" Manager); {REDSHIFT_EXPECTED}"
        ),
    ]


def test_fail_managed_secret_under_aws_managed_key():
    assert messages(RULE, tenant_resource(RDS, "db", {"manageMasterUserPassword": True})) == [
        f"{RDS} db: masterUserSecretKmsKeyId is not set (the secret is encrypted with the AWS-managed key "
        f"aws/secretsmanager); {RDS_EXPECTED}"
    ]
    assert messages(
        RULE,
        tenant_resource(
            RDS,
            "db",
            {"manageMasterUserPassword": True, "masterUserSecretKmsKeyId": "alias/aws/secretsmanager"},
        ),
    ) == [
        f"{RDS} db: masterUserSecretKmsKeyId is the AWS-managed key alias/aws/secretsmanager; {RDS_EXPECTED}"
    ]


def test_pass_replica_and_snapshot_restore_inherit_credentials():
    assert (
        outcome(
            RULE,
            tenant_resource(
                RDS, "replica", {"replicateSourceDb": "arn:aws:rds:ap-northeast-1:111111111111:db:src"}
            ),
        )
        == "pass"
    )
    assert outcome(RULE, tenant_resource(AURORA, "restored", {"snapshotIdentifier": "snap-1"})) == "pass"


def test_na_neptune_and_cluster_instance():
    assert outcome(RULE, tenant_resource("aws:neptune/cluster:Cluster", "g", {})) == "n/a"
    assert outcome(RULE, tenant_resource("aws:rds/clusterInstance:ClusterInstance", "i", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(
            RULE,
            tenant_resource(RDS, "db", {"manageMasterUserPassword": UNKNOWN_BOOLEAN_VALUE}, preview=True),
        )
        == "unknown"
    )
