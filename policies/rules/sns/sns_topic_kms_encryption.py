"""SNS topics are encrypted with a tenant key (ENC-01); topics are unencrypted by default."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._data.keys import CUSTOMER_KEY, key_problem

TOPIC = "aws:sns/topic:Topic"


class SnsTopicKmsEncryption(ResourceRule):
    id = "sns_topic_kms_encryption"
    description = (
        "SNS topics use server-side encryption with a customer-managed key of the tenant (not alias/aws/sns)."
    )
    remediation = "Set kms_master_key_id=<tenant key ARN> on the aws.sns.Topic."
    resource_types = frozenset({TOPIC})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        problem = key_problem(
            resource,
            "kmsMasterKeyId",
            resource.props.get("kmsMasterKeyId"),
            absent="messages are stored unencrypted",
        )
        if problem:
            yield Failure(problem, f"kmsMasterKeyId {CUSTOMER_KEY}")
