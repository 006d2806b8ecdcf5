"""RES-02 live: versioning on every bucket (S3 replication requires it on source and destination:
https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import S3_BUCKET, buckets
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveBucketVersioning(AuditCheck):
    id = "live_bucket_versioning"
    description = "Every bucket has versioning enabled"
    remediation = (
        "Enable versioning on the bucket (s3:PutBucketVersioning Status=Enabled); or redeploy the tenant"
        " stack."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for bucket in buckets(target):
            status = (
                target.client("s3", bucket.region).get_bucket_versioning(Bucket=bucket.name).get("Status")
            )
            if status != "Enabled":
                shown = status or "never enabled"
                yield AuditFailure(
                    S3_BUCKET,
                    bucket.name,
                    f"versioning is {shown}",
                    "versioning Enabled",
                    bucket.region,
                    bucket.arn,
                )
