"""CloudWatch log groups are encrypted with a tenant key (ENC-01).

Without ``kmsKeyId`` CloudWatch Logs encrypts with a service-owned key, which
ENC-01 does not accept.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


class LogGroupKmsEncryption(ResourceRule):
    id = "log_group_kms_encryption"
    description = "CloudWatch log groups are encrypted with a customer-managed key of the tenant."
    remediation = (
        "Set kms_key_id=<tenant key ARN> on the aws.cloudwatch.LogGroup; the key policy must let "
        "logs.<region>.amazonaws.com use the key."
    )
    resource_types = frozenset({LOG_GROUP})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        problem = key_problem(
            resource,
            "kmsKeyId",
            resource.props.get("kmsKeyId"),
            absent="logs are encrypted with a service-owned key",
        )
        if problem:
            yield Failure(problem, f"kmsKeyId {CUSTOMER_KEY}")
