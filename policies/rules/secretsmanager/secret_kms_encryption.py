"""Secrets Manager secrets are encrypted with a tenant key (ENC-01, and ENC-04's "under the tenant key").

Without ``kmsKeyId`` Secrets Manager uses the AWS-managed ``aws/secretsmanager``
key; replicas name their own regional key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.framework import Failure, ResourceRule, ResourceView, as_list
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

SECRET = "aws:secretsmanager/secret:Secret"
ABSENT = "the AWS-managed key aws/secretsmanager is used"


class SecretKmsEncryption(ResourceRule):
    id = "secret_kms_encryption"
    description = (
        "Secrets Manager secrets (and their replicas) are encrypted with a customer-managed key of the"
        " tenant."
    )
    remediation = (
        "Set kms_key_id=<tenant key ARN> on the aws.secretsmanager.Secret and on each replica (that region's"
        " key)."
    )
    resource_types = frozenset({SECRET})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        problem = key_problem(resource, "kmsKeyId", resource.props.get("kmsKeyId"), absent=ABSENT)
        if problem:
            yield Failure(problem, f"kmsKeyId {CUSTOMER_KEY}")
        for index, replica in enumerate(as_list(resource.props.get("replicas"))):
            if isinstance(replica, Mapping):
                problem = key_problem(
                    resource, f"replicas[{index}].kmsKeyId", replica.get("kmsKeyId"), absent=ABSENT
                )
                if problem:
                    yield Failure(problem, f"every replica's kmsKeyId {CUSTOMER_KEY} in the replica's region")
