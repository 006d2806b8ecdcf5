import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, OTHER_KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "ebs_encryption"
VOLUME = "aws:ebs/volume:Volume"
DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault"
DEFAULT_KEY = "aws:ebs/defaultKmsKey:DefaultKmsKey"
INSTANCE = "aws:ec2/instance:Instance"
TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
VOLUME_EXPECTED = f"expected encrypted true with kmsKeyId {CUSTOMER_KEY}. [ENC-01]"
INSTANCE_EXPECTED = f"expected every EBS block device encrypted true with kmsKeyId {CUSTOMER_KEY}. [ENC-01]"
TEMPLATE_EXPECTED = (
    f"expected every blockDeviceMappings[].ebs encrypted true with kmsKeyId {CUSTOMER_KEY}. [ENC-01]"
)
ENCRYPTED = {"encrypted": True, "kmsKeyId": KEY_ARN}


def instance(root=ENCRYPTED, ebs=(), **extra):
    props = {"ami": "ami-1", "instanceType": "t3.micro", **extra}
    if root is not None:
        props["rootBlockDevice"] = root
    if ebs:
        props["ebsBlockDevices"] = list(ebs)
    return tenant_resource(INSTANCE, "app", props)


def template(*mappings):
    return tenant_resource(TEMPLATE, "lt", {"blockDeviceMappings": list(mappings)})


def test_pass_volume_instance_template_defaults():
    assert (
        outcome(RULE, tenant_resource(VOLUME, "v", {"availabilityZone": "ap-northeast-1a", **ENCRYPTED}))
        == "pass"
    )
    assert outcome(RULE, instance(ebs=[{"deviceName": "/dev/sdf", **ENCRYPTED}])) == "pass"
    assert (
        outcome(
            RULE, template({"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": KEY_ARN}})
        )
        == "pass"
    )
    assert outcome(RULE, tenant_resource(DEFAULT, "d", {"enabled": True})) == "pass"
    assert outcome(RULE, tenant_resource(DEFAULT_KEY, "k", {"keyArn": KEY_ARN})) == "pass"


def test_pass_encryption_by_default_absent_enabled_defaults_to_true():
    assert outcome(RULE, tenant_resource(DEFAULT, "d", {})) == "pass"


def test_pass_launch_template_ebs_as_list_and_instance_store_mapping():
    lt = template(
        {"deviceName": "/dev/xvda", "ebs": [ENCRYPTED]},
        {"deviceName": "/dev/sdb", "virtualName": "ephemeral0"},
    )
    assert outcome(RULE, lt) == "pass"


@pytest.mark.parametrize("value, shown", [(None, "not set"), (False, "false"), ("false", '"false"')])
def test_fail_volume_unencrypted(value, shown):
    props = {"availabilityZone": "a"} if value is None else {"availabilityZone": "a", "encrypted": value}
    assert messages(RULE, tenant_resource(VOLUME, "v", props)) == [
        f"{VOLUME} v: encrypted is {shown}; {VOLUME_EXPECTED}"
    ]


def test_fail_volume_without_key():
    assert messages(RULE, tenant_resource(VOLUME, "v", {"encrypted": True})) == [
        f"{VOLUME} v: kmsKeyId is not set (EBS then uses the AWS-managed key aws/ebs); {VOLUME_EXPECTED}"
    ]


def test_fail_volume_with_managed_or_foreign_key():
    assert messages(RULE, tenant_resource(VOLUME, "v", {"encrypted": True, "kmsKeyId": "alias/aws/ebs"})) == [
        f"{VOLUME} v: kmsKeyId is the AWS-managed key alias/aws/ebs; {VOLUME_EXPECTED}"
    ]
    assert messages(RULE, tenant_resource(VOLUME, "v", {"encrypted": True, "kmsKeyId": OTHER_KEY_ARN})) == [
        f"{VOLUME} v: kmsKeyId {OTHER_KEY_ARN} is a key of account 222222222222, not of the tenant account "
        f"111111111111; {VOLUME_EXPECTED}"
    ]


def test_fail_encryption_by_default_disabled():
    assert messages(RULE, tenant_resource(DEFAULT, "d", {"enabled": False})) == [
        f"{DEFAULT} d: enabled is false; expected enabled true (EBS encryption by default on in the region)."
        " [ENC-01]"
    ]


def test_fail_default_kms_key_aws_managed():
    assert messages(RULE, tenant_resource(DEFAULT_KEY, "k", {"keyArn": "alias/aws/ebs"})) == [
        f"{DEFAULT_KEY} k: keyArn is the AWS-managed key alias/aws/ebs; expected keyArn {CUSTOMER_KEY}."
        " [ENC-01]"
    ]


def test_fail_instance_without_root_block_device():
    assert messages(RULE, instance(root=None)) == [
        f"{INSTANCE} app: rootBlockDevice is not set (the root volume takes the AMI's unencrypted-by-default"
        f" mapping); {INSTANCE_EXPECTED}"
    ]


def test_fail_instance_root_and_data_volumes():
    bad = instance(root={"encrypted": False}, ebs=[{"deviceName": "/dev/sdf", "encrypted": True}])
    assert messages(RULE, bad) == [
        f"{INSTANCE} app: rootBlockDevice.encrypted is false; {INSTANCE_EXPECTED}",
        (
            f"{INSTANCE} app: ebsBlockDevices[0].kmsKeyId is not set (EBS then uses the AWS-managed key"
            f" aws/ebs); {INSTANCE_EXPECTED}"
        ),
    ]


def test_fail_launch_template_without_mappings_or_unencrypted():
    assert messages(RULE, template()) == [
        f"{TEMPLATE} lt: blockDeviceMappings is not set (volumes take the AMI's unencrypted-by-default"
        f" mapping); {TEMPLATE_EXPECTED}"
    ]
    assert messages(RULE, template({"deviceName": "/dev/xvda", "ebs": {"volumeSize": 20}})) == [
        f"{TEMPLATE} lt: blockDeviceMappings[0].ebs.encrypted is not set; {TEMPLATE_EXPECTED}"
    ]
    assert messages(RULE, template({"deviceName": "/dev/xvda"})) == [
        f"{TEMPLATE} lt: blockDeviceMappings[0].ebs is not set; {TEMPLATE_EXPECTED}"
    ]


def test_na_other_types():
    assert outcome(RULE, tenant_resource("aws:ebs/snapshot:Snapshot", "s", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(RULE, tenant_resource(VOLUME, "v", {"encrypted": UNKNOWN_BOOLEAN_VALUE}, preview=True))
        == "unknown"
    )
    assert (
        outcome(
            RULE,
            tenant_resource(VOLUME, "v", {"encrypted": True, "kmsKeyId": UNKNOWN_STRING_VALUE}, preview=True),
        )
        == "unknown"
    )
