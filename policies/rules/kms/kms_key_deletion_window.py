"""Customer-managed keys wait the full 30 days before deletion (ENC-02).

``deletionWindowInDays`` absent means the AWS default, which is 30 days, so an
absent value passes; any shorter window fails.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._common.values import shown

KEY_TYPES = frozenset(
    {
        "aws:kms/key:Key",
        "aws:kms/replicaKey:ReplicaKey",
        "aws:kms/externalKey:ExternalKey",
        "aws:kms/replicaExternalKey:ReplicaExternalKey",
    }
)
REQUIRED_DAYS = 30


class KmsKeyDeletionWindow(ResourceRule):
    id = "kms_key_deletion_window"
    description = "Every customer-managed KMS key has a 30-day deletion window (the AWS default when unset)."
    remediation = "Set deletion_window_in_days=30 on the key (or leave it unset: AWS defaults to 30)."
    resource_types = KEY_TYPES

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        days = resource.props.get("deletionWindowInDays")
        if days is None:
            return  # AWS default: 30 days
        try:
            number = float(days)
        except (TypeError, ValueError):
            number = None
        if number != REQUIRED_DAYS:
            yield Failure(f"deletionWindowInDays is {shown(days)}", f"deletionWindowInDays {REQUIRED_DAYS}")
