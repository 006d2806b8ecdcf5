"""Each S3 replication rule is the near-real-time, encrypted kind RES-02 asks for.

Replication Time Control (15 minutes, with metrics) is what makes the copy
"ほぼリアルタイム"; delete markers must follow so the replica matches the source;
objects encrypted with SSE-KMS are only replicated when the rule opts in, and
the replica needs its own key in the destination region.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView, dig
from policies.rules._common.s3 import BUCKET_TYPES, REPLICATION
from policies.rules._common.values import number, shown
from policies.rules._data.buckets import has_inline_replication, replication_rules, rule_label

RTC_MINUTES = 15
EXPECTED = (
    "status Enabled, destination.replicationTime {status Enabled, time.minutes 15}, destination.metrics"
    " {status Enabled}, deleteMarkerReplication.status Enabled,"
    " sourceSelectionCriteria.sseKmsEncryptedObjects.status Enabled and"
    " destination.encryptionConfiguration.replicaKmsKeyId set"
)


def _rule_problems(rule: Mapping[str, Any]) -> Iterator[str]:
    def enabled(*path: str) -> tuple[bool, Any]:
        value = dig(rule, *path)
        return str(value) == "Enabled", value

    checks = (
        ("status",),
        ("destination", "replicationTime", "status"),
        ("destination", "metrics", "status"),
        ("deleteMarkerReplication", "status"),
        ("sourceSelectionCriteria", "sseKmsEncryptedObjects", "status"),
    )
    for path in checks:
        ok, value = enabled(*path)
        if not ok:
            yield f"{'.'.join(path)} is {shown(value)}"
        if path[-2:] == ("replicationTime", "status") and ok:
            minutes = dig(rule, "destination", "replicationTime", "time", "minutes")
            if number(minutes) != RTC_MINUTES:
                yield f"destination.replicationTime.time.minutes is {shown(minutes)}"
    key = dig(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
    if not (isinstance(key, str) and key.strip()):
        yield (
            "destination.encryptionConfiguration.replicaKmsKeyId is not set (replicas would not be SSE-KMS"
            " encrypted)"
        )


class ReplicationRuleSettings(ResourceRule):
    id = "replication_rule_settings"
    description = (
        "Every S3 replication rule is enabled with Replication Time Control (15 min) and metrics, replicates "
        "delete markers and SSE-KMS objects, and encrypts replicas with a KMS key."
    )
    remediation = (
        "In each BucketReplicationConfig rule set status 'Enabled', destination.replication_time {status"
        " 'Enabled', time {minutes 15}}, destination.metrics {status 'Enabled', event_threshold {minutes"
        " 15}}, delete_marker_replication {status 'Enabled'},"
        " source_selection_criteria.sse_kms_encrypted_objects {status 'Enabled'} and"
        " destination.encryption_configuration.replica_kms_key_id = the Osaka tenant key."
    )
    resource_types = frozenset({REPLICATION, *BUCKET_TYPES})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        if resource.type in BUCKET_TYPES and not has_inline_replication(resource):
            raise NotApplicable("the bucket declares no inline replication configuration")
        rules = replication_rules(resource)
        if not rules:
            yield Failure("declares no replication rules", EXPECTED)
            return
        inline = resource.type != REPLICATION
        for index, rule in enumerate(rules):
            prefix = f"{'inline replication ' if inline else ''}{rule_label(rule, index)}"
            for problem in _rule_problems(rule):
                yield Failure(f"{prefix}: {problem}", EXPECTED)
