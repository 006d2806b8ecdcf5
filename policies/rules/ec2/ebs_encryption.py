"""EBS volumes are encrypted with a tenant key, and the account encrypts new volumes by default (ENC-01).

An instance or launch template that does not describe its root volume gets the
AMI's block device mapping, whose encryption the program cannot show: it
fails, like an absent ``encrypted`` does (EBS volumes are unencrypted unless
asked, or unless account default encryption is on, which is a separate check).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, ResourceRule, ResourceView, as_list, truthy
from policies.rules._common.values import shown
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

VOLUME = "aws:ebs/volume:Volume"
ENCRYPTION_BY_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault"
DEFAULT_KMS_KEY = "aws:ebs/defaultKmsKey:DefaultKmsKey"
INSTANCE = "aws:ec2/instance:Instance"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"

VOLUME_EXPECTED = f"encrypted true with kmsKeyId {CUSTOMER_KEY}"
ABSENT_KEY = "EBS then uses the AWS-managed key aws/ebs"


def _block_problems(resource: ResourceView, block: Mapping[str, Any], path: str) -> Iterator[str]:
    if not truthy(block.get("encrypted")):
        yield f"{path}.encrypted is {shown(block.get('encrypted'))}"
        return
    problem = key_problem(resource, f"{path}.kmsKeyId", block.get("kmsKeyId"), absent=ABSENT_KEY)
    if problem:
        yield problem


def _instance_problems(resource: ResourceView) -> Iterator[str]:
    root = resource.props.get("rootBlockDevice")
    root_block = as_list(root)[0] if as_list(root) else None
    if not isinstance(root_block, Mapping):
        yield "rootBlockDevice is not set (the root volume takes the AMI's unencrypted-by-default mapping)"
    else:
        yield from _block_problems(resource, root_block, "rootBlockDevice")
    for index, block in enumerate(as_list(resource.props.get("ebsBlockDevices"))):
        if isinstance(block, Mapping):
            yield from _block_problems(resource, block, f"ebsBlockDevices[{index}]")


def _launch_template_problems(resource: ResourceView) -> Iterator[str]:
    mappings = [m for m in as_list(resource.props.get("blockDeviceMappings")) if isinstance(m, Mapping)]
    if not mappings:
        yield "blockDeviceMappings is not set (volumes take the AMI's unencrypted-by-default mapping)"
    for index, mapping in enumerate(mappings):
        if truthy(mapping.get("noDevice")) or mapping.get("virtualName"):
            continue  # suppresses a device or maps an instance-store volume: no EBS volume
        ebs = as_list(mapping.get("ebs"))
        if not ebs or not isinstance(ebs[0], Mapping):
            yield f"blockDeviceMappings[{index}].ebs is not set"
            continue
        yield from _block_problems(resource, ebs[0], f"blockDeviceMappings[{index}].ebs")


class EbsEncryption(ResourceRule):
    id = "ebs_encryption"
    description = (
        "EBS volumes, instance block devices and launch template block devices are encrypted with a "
        "customer-managed key of the tenant; EBS default encryption is on with a tenant default key."
    )
    remediation = (
        "Set encrypted=True and kms_key_id=<tenant key ARN> on aws.ebs.Volume, on the instance's"
        " root_block_device and ebs_block_devices, and on each launch template block_device_mappings[].ebs;"
        " keep aws.ebs.EncryptionByDefault enabled and set aws.ebs.DefaultKmsKey to the tenant key."
    )
    resource_types = frozenset({VOLUME, ENCRYPTION_BY_DEFAULT, DEFAULT_KMS_KEY, INSTANCE, LAUNCH_TEMPLATE})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        if resource.type == VOLUME:
            problems: Iterator[str] = _block_problems(resource, props, "volume")
            expected = VOLUME_EXPECTED
        elif resource.type == ENCRYPTION_BY_DEFAULT:
            # The resource's own default for `enabled` is true: only an explicit false turns it off.
            enabled = props.get("enabled")
            problems = iter(
                [f"enabled is {shown(enabled)}"] if enabled is not None and not truthy(enabled) else []
            )
            expected = "enabled true (EBS encryption by default on in the region)"
        elif resource.type == DEFAULT_KMS_KEY:
            problem = key_problem(resource, "keyArn", props.get("keyArn"), absent=ABSENT_KEY)
            problems = iter([problem] if problem else [])
            expected = f"keyArn {CUSTOMER_KEY}"
        elif resource.type == INSTANCE:
            problems = _instance_problems(resource)
            expected = f"every EBS block device encrypted true with kmsKeyId {CUSTOMER_KEY}"
        else:
            problems = _launch_template_problems(resource)
            expected = f"every blockDeviceMappings[].ebs encrypted true with kmsKeyId {CUSTOMER_KEY}"
        for problem in problems:
            yield Failure(problem.removeprefix("volume."), expected)
