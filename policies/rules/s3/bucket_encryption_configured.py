"""Every bucket declares its server-side encryption (ENC-01).

Without a configuration S3 encrypts new objects with SSE-S3 (an S3-owned key),
which ENC-01 does not accept; s3_bucket_kms_encryption judges the
configuration itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules._common.s3 import SSE_TYPES, attached, buckets
from policies.rules._data.buckets import inline_block


class BucketEncryptionConfigured(StackRule):
    id = "bucket_encryption_configured"
    description = (
        "Every S3 bucket has a server-side encryption configuration (a"
        " BucketServerSideEncryptionConfiguration)."
    )
    remediation = (
        "Add an aws.s3.BucketServerSideEncryptionConfiguration with bucket=<bucket>.id, sseAlgorithm"
        " 'aws:kms', the tenant key and bucketKeyEnabled true."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        all_buckets = buckets(stack)
        if not all_buckets:
            raise NotApplicable("the stack has no S3 bucket")
        configured = attached(stack, *SSE_TYPES)
        for bucket in all_buckets:
            if bucket.urn in configured:
                continue
            if inline_block(
                bucket, "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations"
            ):
                continue
            yield Failure(
                "has no server-side encryption configuration (S3 then applies SSE-S3 with an S3-owned key)",
                "a BucketServerSideEncryptionConfiguration for the bucket using aws:kms with the tenant key",
                bucket.urn,
            )
