"""A customer managed key lets the AWS service that must use it do so (DEP-02).

Encrypting a resource with a customer managed key is only half of it: the service that writes the data calls
KMS itself, and the key policy must allow it.

- CloudWatch Logs: a log group under a key needs the regional principal ``logs.<region>.amazonaws.com``
  allowed Encrypt, Decrypt and GenerateDataKey; otherwise ``CreateLogGroup`` / ``AssociateKmsKey`` fails with
  ``AccessDeniedException`` ("The specified KMS key does not exist or is not allowed to be used")
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
- EventBridge publishing to an encrypted SNS topic needs ``events.amazonaws.com`` allowed Decrypt and
  GenerateDataKey, or every delivery fails silently (FailedInvocations)
  (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).

Only keys declared in the same program are judged; a key referenced by literal ARN from elsewhere cannot be
read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from policies.aws_facts import LOGS_KEY_ACTIONS
from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.policy_documents import PolicyDocumentError, action_matches, load, statements
from policies.rules._common.unknowns import require_known

KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
TOPIC = "aws:sns/topic:Topic"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
TOPIC_PUBLISH_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")


@dataclass(frozen=True)
class _Need:
    consumer: ResourceView
    key: ResourceView
    principal: str
    actions: tuple[str, ...]
    why: str


def _service_allowed(key: ResourceView, principal: str, actions: tuple[str, ...]) -> list[str]:
    """The ``actions`` the key's policy does NOT allow the service ``principal``."""
    try:
        document = load(require_known(key.props.get("policy"), "policy"))
    except PolicyDocumentError:
        return []  # not judged here: ENC-02 reports an unreadable policy
    if document is None:
        return list(actions)  # the default policy allows the account root only, never a service
    missing = list(actions)
    for statement in statements(document):
        if not statement.allows or statement.not_principal:
            continue
        services = statement.principal_map().get("Service", []) + statement.principal_map().get("AWS", [])
        if principal not in services and "*" not in services:
            continue
        missing = [a for a in missing if not any(action_matches(p, a) for p in statement.actions)]
    return missing


class CmkServiceAccess(StackRule):
    id = "cmk_service_access"
    description = (
        "Every CloudWatch log group and EventBridge-fed SNS topic encrypted with a customer managed key of"
        " the program has that key's policy allow the AWS service that encrypts or publishes."
    )
    remediation = (
        "Add a key policy statement for the service principal (logs.<region>.amazonaws.com with the"
        " kms:EncryptionContext:aws:logs:arn condition for log groups; events.amazonaws.com with"
        " aws:SourceAccount for topics EventBridge publishes to) allowing"
        " kms:Encrypt*/kms:Decrypt*/kms:GenerateDataKey*."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        needs: list[_Need] = []
        for group in stack.of_type(LOG_GROUP):
            for key in stack.referenced(group, "kmsKeyId", KEY):
                region = group.region or "<region>"
                needs.append(
                    _Need(group, key, f"logs.{region}.amazonaws.com", LOGS_KEY_ACTIONS, "CloudWatch Logs")
                )
        for topic in stack.of_type(TOPIC):
            keys = stack.referenced(topic, "kmsMasterKeyId", KEY)
            if keys and stack.referencing(topic, "arn", EVENT_TARGET):
                needs.extend(
                    _Need(topic, key, "events.amazonaws.com", TOPIC_PUBLISH_ACTIONS, "EventBridge")
                    for key in keys
                )
        if not needs:
            raise NotApplicable(
                "no log group or EventBridge-fed topic is encrypted with a key of this program"
            )
        for need in needs:
            missing = _service_allowed(need.key, need.principal, need.actions)
            if missing:
                yield Failure(
                    f"is encrypted with key {need.key.name}, whose policy does not allow {need.principal} "
                    f"{', '.join(missing)}, so {need.why} cannot use it",
                    f"a statement in {need.key.name}'s policy allowing {need.principal} "
                    f"{', '.join(need.actions)}",
                    need.consumer.urn,
                )
