from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, OSAKA_KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "dynamodb_kms_encryption"
TABLE = "aws:dynamodb/table:Table"
REPLICA = "aws:dynamodb/tableReplica:TableReplica"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
EXPECTED = f"expected serverSideEncryption {{enabled true, kmsKeyArn {CUSTOMER_KEY}}}. [ENC-01]"


def table(sse=None, **extra):
    props = {"hashKey": "pk", "attributes": [{"name": "pk", "type": "S"}], **extra}
    if sse is not None:
        props["serverSideEncryption"] = sse
    return tenant_resource(TABLE, "orders", props)


def test_pass_customer_key():
    assert outcome(RULE, table({"enabled": True, "kmsKeyArn": KEY_ARN})) == "pass"
    assert outcome(RULE, table([{"enabled": "true", "kmsKeyArn": KEY_ARN}])) == "pass"


def test_pass_replicas_with_their_keys():
    replicas = [{"regionName": "ap-northeast-3", "kmsKeyArn": OSAKA_KEY_ARN}]
    assert outcome(RULE, table({"enabled": True, "kmsKeyArn": KEY_ARN}, replicas=replicas)) == "pass"


def test_fail_absent_is_aws_owned_key():
    assert messages(RULE, table()) == [
        f"{TABLE} orders: serverSideEncryption is not set (the table uses an AWS-owned key); {EXPECTED}"
    ]


def test_fail_disabled():
    assert messages(RULE, table({"enabled": False, "kmsKeyArn": KEY_ARN})) == [
        f"{TABLE} orders: serverSideEncryption is enabled false (the table uses an AWS-owned key); {EXPECTED}"
    ]


def test_fail_enabled_without_key_is_aws_managed():
    assert messages(RULE, table({"enabled": True})) == [
        f"{TABLE} orders: serverSideEncryption.kmsKeyArn is not set (the AWS-managed key aws/dynamodb is"
        f" used); {EXPECTED}"
    ]
    assert messages(RULE, table({"enabled": True, "kmsKeyArn": "alias/aws/dynamodb"})) == [
        f"{TABLE} orders: serverSideEncryption.kmsKeyArn is the AWS-managed key alias/aws/dynamodb;"
        f" {EXPECTED}"
    ]


def test_fail_replica_without_key():
    view = table({"enabled": True, "kmsKeyArn": KEY_ARN}, replicas=[{"regionName": "ap-northeast-3"}])
    assert messages(RULE, view) == [
        f"{TABLE} orders: replicas[0].kmsKeyArn is not set (the replica uses the AWS-managed key); expected"
        f" every replica's kmsKeyArn {CUSTOMER_KEY} in the replica's region. [ENC-01]"
    ]


def test_table_replica_resource():
    assert (
        outcome(RULE, tenant_resource(REPLICA, "r", {"globalTableArn": "arn", "kmsKeyArn": OSAKA_KEY_ARN}))
        == "pass"
    )
    assert messages(RULE, tenant_resource(REPLICA, "r", {"globalTableArn": "arn"})) == [
        f"{REPLICA} r: kmsKeyArn is not set (the AWS-managed key aws/dynamodb is used); expected kmsKeyArn"
        f" {CUSTOMER_KEY}. [ENC-01]"
    ]


def test_na_other_type():
    assert outcome(RULE, tenant_resource("aws:dynamodb/tableItem:TableItem", "i", {})) == "n/a"


def test_unknown_in_preview():
    view = tenant_resource(
        TABLE, "orders", {"serverSideEncryption": {"enabled": UNKNOWN_BOOLEAN_VALUE}}, preview=True
    )
    assert outcome(RULE, view) == "unknown"
