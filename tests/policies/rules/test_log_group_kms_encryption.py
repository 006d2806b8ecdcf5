from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, OTHER_KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome, resource

RULE = "log_group_kms_encryption"
LG = "aws:cloudwatch/logGroup:LogGroup"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
EXPECTED = f"expected kmsKeyId {CUSTOMER_KEY}. [ENC-01]"


def test_pass_tenant_key():
    assert outcome(RULE, tenant_resource(LG, "app", {"retentionInDays": 365, "kmsKeyId": KEY_ARN})) == "pass"


def test_fail_no_key():
    assert messages(RULE, tenant_resource(LG, "app", {"retentionInDays": 365})) == [
        f"{LG} app: kmsKeyId is not set (logs are encrypted with a service-owned key); {EXPECTED}"
    ]


def test_fail_empty_string_key():
    assert messages(RULE, tenant_resource(LG, "app", {"kmsKeyId": ""})) == [
        f"{LG} app: kmsKeyId is not set (logs are encrypted with a service-owned key); {EXPECTED}"
    ]


def test_fail_key_of_other_account():
    assert messages(RULE, tenant_resource(LG, "app", {"kmsKeyId": OTHER_KEY_ARN})) == [
        f"{LG} app: kmsKeyId {OTHER_KEY_ARN} is a key of account 222222222222, not of the tenant account"
        f" 111111111111; {EXPECTED}"
    ]


def test_pass_foreign_looking_key_on_provider_without_role():
    # The org stack's default provider assumes nothing: the tenant account is unknown, so no foreign-key
    # verdict.
    assert outcome(RULE, resource(LG, "app", {"kmsKeyId": OTHER_KEY_ARN})) == "pass"


def test_na_other_type():
    assert outcome(RULE, tenant_resource("aws:cloudwatch/logStream:LogStream", "s", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(RULE, tenant_resource(LG, "app", {"kmsKeyId": UNKNOWN_STRING_VALUE}, preview=True))
        == "unknown"
    )
