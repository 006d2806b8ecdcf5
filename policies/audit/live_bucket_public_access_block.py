"""TEN-01 live: every bucket blocks public access, so no tenant data is shared outside the tenant."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import S3_BUCKET, buckets
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget, error_code

SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


class LiveBucketPublicAccessBlock(AuditCheck):
    id = "live_bucket_public_access_block"
    description = "Every bucket has all four public access block settings on"
    remediation = (
        "Turn on all four settings of the bucket's public access block; or redeploy the tenant stack."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for bucket in buckets(target):
            s3 = target.client("s3", bucket.region)
            try:
                config = s3.get_public_access_block(Bucket=bucket.name)["PublicAccessBlockConfiguration"]
            except Exception as error:
                if error_code(error) != "NoSuchPublicAccessBlockConfiguration":
                    raise
                config = None
            if config is None:
                wrong = "has no public access block"
            else:
                off = [name for name in SETTINGS if not config.get(name)]
                if not off:
                    continue
                wrong = f"has {', '.join(off)} off"
            yield AuditFailure(
                S3_BUCKET, bucket.name, wrong, f"{', '.join(SETTINGS)} all true", bucket.region, bucket.arn
            )
