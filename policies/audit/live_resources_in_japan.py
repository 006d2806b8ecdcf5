"""RES-01 live: no bucket of the tenant account lives outside Tokyo and Osaka (S3 lists every region's
buckets in one call, so this needs no scan of the other regions)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import S3_BUCKET, buckets
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.parameters import JAPAN_REGIONS as ALLOWED_REGIONS


class LiveResourcesInJapan(AuditCheck):
    id = "live_resources_in_japan"
    description = "Every bucket is in ap-northeast-1 or ap-northeast-3"
    remediation = "Move the data to a bucket in Tokyo or Osaka and delete the bucket outside Japan."

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for bucket in buckets(target):
            if bucket.region not in ALLOWED_REGIONS:
                yield AuditFailure(
                    S3_BUCKET,
                    bucket.name,
                    f"is in {bucket.region}",
                    f"a bucket in {' or '.join(ALLOWED_REGIONS)}",
                    bucket.region,
                    bucket.arn,
                )
