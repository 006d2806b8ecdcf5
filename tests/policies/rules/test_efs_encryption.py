from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "efs_encryption"
FS = "aws:efs/fileSystem:FileSystem"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
EXPECTED = f"expected encrypted true with kmsKeyId {CUSTOMER_KEY}. [ENC-01]"


def test_pass_encrypted_with_tenant_key():
    assert outcome(RULE, tenant_resource(FS, "fs", {"encrypted": True, "kmsKeyId": KEY_ARN})) == "pass"


def test_fail_unencrypted():
    assert messages(RULE, tenant_resource(FS, "fs", {})) == [
        f"{FS} fs: encrypted is not set (the file system is unencrypted); {EXPECTED}"
    ]
    assert messages(RULE, tenant_resource(FS, "fs", {"encrypted": "false", "kmsKeyId": KEY_ARN})) == [
        f'{FS} fs: encrypted is "false" (the file system is unencrypted); {EXPECTED}'
    ]


def test_fail_without_key():
    assert messages(RULE, tenant_resource(FS, "fs", {"encrypted": True})) == [
        f"{FS} fs: kmsKeyId is not set (the AWS-managed key aws/elasticfilesystem is used); {EXPECTED}"
    ]


def test_na_other_type():
    assert outcome(RULE, tenant_resource("aws:efs/mountTarget:MountTarget", "m", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(RULE, tenant_resource(FS, "fs", {"encrypted": UNKNOWN_BOOLEAN_VALUE}, preview=True))
        == "unknown"
    )
