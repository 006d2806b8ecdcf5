"""EFS file systems are encrypted with a tenant key (ENC-01); EFS is unencrypted unless asked."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, truthy
from policies.rules._common.values import shown
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

FILE_SYSTEM = "aws:efs/fileSystem:FileSystem"
EXPECTED = f"encrypted true with kmsKeyId {CUSTOMER_KEY}"


class EfsEncryption(ResourceRule):
    id = "efs_encryption"
    description = "EFS file systems are encrypted at rest with a customer-managed key of the tenant."
    remediation = (
        "Set encrypted=True and kms_key_id=<tenant key ARN> on the aws.efs.FileSystem (encryption is fixed at"
        " creation)."
    )
    resource_types = frozenset({FILE_SYSTEM})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        encrypted = resource.props.get("encrypted")
        if not truthy(encrypted):
            yield Failure(f"encrypted is {shown(encrypted)} (the file system is unencrypted)", EXPECTED)
            return
        problem = key_problem(
            resource,
            "kmsKeyId",
            resource.props.get("kmsKeyId"),
            absent="the AWS-managed key aws/elasticfilesystem is used",
        )
        if problem:
            yield Failure(problem, EXPECTED)
