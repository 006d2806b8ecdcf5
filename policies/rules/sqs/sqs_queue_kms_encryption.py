"""SQS queues are encrypted with a tenant key (ENC-01).

SQS applies SSE-SQS (an SQS-owned key) to new queues by default, and
``sqsManagedSseEnabled`` asks for it explicitly: neither is a tenant key.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, truthy
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

QUEUE = "aws:sqs/queue:Queue"
EXPECTED = f"kmsMasterKeyId {CUSTOMER_KEY} and sqsManagedSseEnabled not true"


class SqsQueueKmsEncryption(ResourceRule):
    id = "sqs_queue_kms_encryption"
    description = (
        "SQS queues use SSE-KMS with a customer-managed key of the tenant (not SSE-SQS, not alias/aws/sqs)."
    )
    remediation = (
        "Set kms_master_key_id=<tenant key ARN> on the aws.sqs.Queue and drop sqs_managed_sse_enabled."
    )
    resource_types = frozenset({QUEUE})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        if truthy(resource.props.get("sqsManagedSseEnabled")):
            yield Failure("sqsManagedSseEnabled is true (SSE-SQS uses an SQS-owned key)", EXPECTED)
            return
        problem = key_problem(
            resource,
            "kmsMasterKeyId",
            resource.props.get("kmsMasterKeyId"),
            absent="SQS applies SSE-SQS with an SQS-owned key",
        )
        if problem:
            yield Failure(problem, EXPECTED)
