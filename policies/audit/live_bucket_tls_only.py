"""ENC-03 live: every bucket policy denies requests without TLS (aws:SecureTransport false).

https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.audit._aws import S3_BUCKET, bucket_policy, buckets
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

EXPECTED = "a bucket policy statement that denies every s3 action when aws:SecureTransport is false"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _denies_plain_http(statement: Mapping[str, Any]) -> bool:
    if statement.get("Effect") != "Deny":
        return False
    if not any(a in ("s3:*", "*") for a in _as_list(statement.get("Action", []))):
        return False
    principal = statement.get("Principal")
    if principal not in ("*", {"AWS": "*"}):
        return False
    condition = statement.get("Condition") or {}
    values = (condition.get("Bool") or {}).get("aws:SecureTransport")
    return any(str(v).lower() == "false" for v in _as_list(values))


class LiveBucketTlsOnly(AuditCheck):
    id = "live_bucket_tls_only"
    description = "Every bucket policy denies requests that do not use TLS"
    remediation = (
        'Add the statement {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [bucket, '
        'bucket/*], "Condition": {"Bool": {"aws:SecureTransport": "false"}}} to the bucket policy.'
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for bucket in buckets(target):
            policy = bucket_policy(target, bucket)
            if policy is None:
                wrong = "has no bucket policy"
            elif any(_denies_plain_http(s) for s in _as_list(policy.get("Statement", []))):
                continue
            else:
                wrong = "has a bucket policy that allows requests without TLS"
            yield AuditFailure(S3_BUCKET, bucket.name, wrong, EXPECTED, bucket.region, bucket.arn)
