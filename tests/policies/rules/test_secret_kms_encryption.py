from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, OSAKA_KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "secret_kms_encryption"
SECRET = "aws:secretsmanager/secret:Secret"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
EXPECTED = f"expected kmsKeyId {CUSTOMER_KEY}. [ENC-01]"


def test_pass_tenant_key_with_replica_key():
    props = {"kmsKeyId": KEY_ARN, "replicas": [{"region": "ap-northeast-3", "kmsKeyId": OSAKA_KEY_ARN}]}
    assert outcome(RULE, tenant_resource(SECRET, "db", props)) == "pass"


def test_fail_default_key():
    assert messages(RULE, tenant_resource(SECRET, "db", {})) == [
        f"{SECRET} db: kmsKeyId is not set (the AWS-managed key aws/secretsmanager is used); {EXPECTED}"
    ]


def test_fail_aws_managed_alias():
    assert messages(RULE, tenant_resource(SECRET, "db", {"kmsKeyId": "alias/aws/secretsmanager"})) == [
        f"{SECRET} db: kmsKeyId is the AWS-managed key alias/aws/secretsmanager; {EXPECTED}"
    ]


def test_fail_replica_without_key():
    props = {"kmsKeyId": KEY_ARN, "replicas": {"region": "ap-northeast-3"}}
    assert messages(RULE, tenant_resource(SECRET, "db", props)) == [
        f"{SECRET} db: replicas[0].kmsKeyId is not set (the AWS-managed key aws/secretsmanager is used);"
        f" expected every replica's kmsKeyId {CUSTOMER_KEY} in the replica's region. [ENC-01]"
    ]


def test_na_secret_version():
    assert outcome(RULE, tenant_resource("aws:secretsmanager/secretVersion:SecretVersion", "v", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(RULE, tenant_resource(SECRET, "db", {"kmsKeyId": UNKNOWN_STRING_VALUE}, preview=True))
        == "unknown"
    )
