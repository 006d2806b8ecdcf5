"""Customer-managed keys rotate automatically (ENC-02).

Rotation is off unless ``enableKeyRotation`` is true. KMS rotates symmetric
encryption keys only, so asymmetric and HMAC keys are out of scope; a replica
key shares its primary's material and rotation setting. Keys with imported
material (``ExternalKey``) cannot rotate automatically at all, so they cannot
meet the control.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView, truthy
from policies.rules._common.values import shown

KEY = "aws:kms/key:Key"
REPLICA_KEY = "aws:kms/replicaKey:ReplicaKey"
EXTERNAL_KEY = "aws:kms/externalKey:ExternalKey"
REPLICA_EXTERNAL_KEY = "aws:kms/replicaExternalKey:ReplicaExternalKey"
SYMMETRIC = "SYMMETRIC_DEFAULT"
ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"


class KmsKeyRotation(ResourceRule):
    id = "kms_key_rotation"
    description = "Every symmetric customer-managed KMS key has automatic rotation enabled."
    remediation = "Set enable_key_rotation=True on the aws.kms.Key (replicas follow their primary)."
    resource_types = frozenset({KEY, REPLICA_KEY, EXTERNAL_KEY, REPLICA_EXTERNAL_KEY})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        if resource.type in (REPLICA_KEY, REPLICA_EXTERNAL_KEY):
            raise NotApplicable("a replica key rotates with its primary key; the primary is checked")
        if resource.type == EXTERNAL_KEY:
            yield Failure(
                "has imported key material, which KMS cannot rotate automatically",
                "an aws:kms/key:Key with KMS-generated material and enableKeyRotation true",
            )
            return
        spec = resource.props.get("customerMasterKeySpec")
        usage = resource.props.get("keyUsage")
        if spec not in (None, SYMMETRIC) or usage not in (None, ENCRYPT_DECRYPT):
            raise NotApplicable(
                f"automatic rotation applies to symmetric encryption keys; this key is {spec or SYMMETRIC} /"
                f" {usage or ENCRYPT_DECRYPT}"
            )
        rotation = resource.props.get("enableKeyRotation")
        if not truthy(rotation):
            yield Failure(
                f"enableKeyRotation is {shown(rotation)} (rotation is off by default)",
                "enableKeyRotation true",
            )
