from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, OTHER_KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "backup_vault_kms_encryption"
VAULT = "aws:backup/vault:Vault"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
EXPECTED = f"expected kmsKeyArn {CUSTOMER_KEY}. [ENC-01]"


def test_pass_tenant_key():
    assert outcome(RULE, tenant_resource(VAULT, "vault", {"kmsKeyArn": KEY_ARN})) == "pass"


def test_fail_default_key():
    assert messages(RULE, tenant_resource(VAULT, "vault", {})) == [
        f"{VAULT} vault: kmsKeyArn is not set (the AWS-managed key aws/backup is used); {EXPECTED}"
    ]


def test_fail_other_account_key():
    assert messages(RULE, tenant_resource(VAULT, "vault", {"kmsKeyArn": OTHER_KEY_ARN})) == [
        f"{VAULT} vault: kmsKeyArn {OTHER_KEY_ARN} is a key of account 222222222222, not of the tenant"
        f" account 111111111111; {EXPECTED}"
    ]


def test_fail_aws_managed_alias_arn():
    alias = "arn:aws:kms:ap-northeast-1:111111111111:alias/aws/backup"
    assert messages(RULE, tenant_resource(VAULT, "vault", {"kmsKeyArn": alias})) == [
        f"{VAULT} vault: kmsKeyArn is the AWS-managed key {alias}; {EXPECTED}"
    ]


def test_na_vault_lock():
    assert (
        outcome(RULE, tenant_resource("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "l", {}))
        == "n/a"
    )


def test_unknown_in_preview():
    assert (
        outcome(RULE, tenant_resource(VAULT, "vault", {"kmsKeyArn": UNKNOWN_STRING_VALUE}, preview=True))
        == "unknown"
    )
