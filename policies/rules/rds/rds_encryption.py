"""Relational and document databases encrypt storage with a tenant key (ENC-01).

Storage encryption is off unless asked for (Aurora provisioned, RDS, DocumentDB,
Neptune, Redshift alike), and without a key ID they use the AWS-managed key of
the service.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, truthy
from policies.rules._common.values import shown
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

# type -> (encryption flag, key property, AWS-managed alias used when the key is absent)
ENCRYPTION_PROPS: dict[str, tuple[str, str, str]] = {
    "aws:rds/instance:Instance": ("storageEncrypted", "kmsKeyId", "aws/rds"),
    "aws:rds/cluster:Cluster": ("storageEncrypted", "kmsKeyId", "aws/rds"),
    "aws:docdb/cluster:Cluster": ("storageEncrypted", "kmsKeyId", "aws/rds"),
    "aws:neptune/cluster:Cluster": ("storageEncrypted", "kmsKeyArn", "aws/rds"),
    "aws:redshift/cluster:Cluster": ("encrypted", "kmsKeyId", "aws/redshift"),
}


class RdsEncryption(ResourceRule):
    id = "rds_encryption"
    description = (
        "RDS instances, Aurora/RDS clusters, DocumentDB, Neptune and Redshift clusters encrypt storage with a"
        " customer-managed key of the tenant."
    )
    remediation = (
        "Set storage_encrypted=True (Redshift: encrypted=True) and kms_key_id (Neptune: kms_key_arn) to the"
        " tenant key's ARN."
    )
    resource_types = frozenset(ENCRYPTION_PROPS)

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        flag, key_prop, managed = ENCRYPTION_PROPS[resource.type]
        expected = f"{flag} true with {key_prop} {CUSTOMER_KEY}"
        encrypted = resource.props.get(flag)
        if not truthy(encrypted):
            yield Failure(f"{flag} is {shown(encrypted)} (storage is unencrypted)", expected)
            return
        problem = key_problem(
            resource, key_prop, resource.props.get(key_prop), absent=f"the AWS-managed key {managed} is used"
        )
        if problem:
            yield Failure(problem, expected)
