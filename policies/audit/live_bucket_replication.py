"""RES-02 live: every Tokyo bucket replicates to a bucket in Osaka with Replication Time Control, the
replica encrypted with a KMS key there; no replica leaves Japan. Delete marker replication is left to the
gate rule replication_rule_settings: the local AWS (moto 5.2.5) always reports it Disabled, so a live check
of it could not be proven here.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.audit._aws import S3_BUCKET, Bucket, bucket_region, buckets
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget, error_code
from policies.parameters import JAPAN_REGIONS as ALLOWED_REGIONS
from policies.parameters import PRIMARY_REGION, SECONDARY_REGION

EXPECTED = (
    f"an enabled replication rule to a bucket in {SECONDARY_REGION} with Replication Time Control and a "
    "replica KMS key"
)


def _rule_problem(target: AuditTarget, rule: dict[str, Any]) -> tuple[str, bool]:
    """What is wrong with one rule ("" when nothing) and whether its replica leaves Japan."""
    destination = rule.get("Destination") or {}
    name = str(destination.get("Bucket", "")).removeprefix("arn:aws:s3:::")
    region = bucket_region(target, name)
    if region is None:
        return f"replicates to bucket {name}, which does not exist", False
    if region != SECONDARY_REGION:
        return f"replicates to bucket {name} in {region}", region not in ALLOWED_REGIONS
    return _settings_problem(rule, name), False


def _settings_problem(rule: dict[str, Any], name: str) -> str:
    destination = rule.get("Destination") or {}
    if (destination.get("ReplicationTime") or {}).get("Status") != "Enabled":
        return f"replicates to {name} without Replication Time Control"
    if not (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID"):
        return f"replicates to {name} without a replica KMS key"
    return ""


class LiveBucketReplication(AuditCheck):
    id = "live_bucket_replication"
    description = "Every Tokyo bucket replicates to Osaka with RTC; no replica outside Japan"
    remediation = (
        "Restore the bucket's replication configuration: one enabled rule to the tenant's Osaka replica"
        " bucket with ReplicationTime and Metrics enabled, ReplicaKmsKeyID set to the Osaka tenant key and"
        " DeleteMarkerReplication enabled; or redeploy the tenant stack."
    )

    def _rules(self, target: AuditTarget, bucket: Bucket) -> list[dict[str, Any]]:
        try:
            config = target.client("s3", bucket.region).get_bucket_replication(Bucket=bucket.name)
        except Exception as error:
            if error_code(error) == "ReplicationConfigurationNotFoundError":
                return []
            raise
        rules: list[dict[str, Any]] = config["ReplicationConfiguration"].get("Rules", [])
        return [r for r in rules if r.get("Status") == "Enabled"]

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for bucket in buckets(target):
            rules = self._rules(target, bucket)
            judged = [_rule_problem(target, r) for r in rules]
            outside = [problem for problem, abroad in judged if abroad]
            if outside:
                wrong = outside[0]
            elif bucket.region != PRIMARY_REGION:
                continue  # the Osaka replicas themselves need no onward replication
            elif not rules:
                wrong = "has no enabled replication rule"
            elif all(problem for problem, _ in judged):
                wrong = judged[0][0]
            else:
                continue
            yield AuditFailure(S3_BUCKET, bucket.name, wrong, EXPECTED, bucket.region, bucket.arn)
