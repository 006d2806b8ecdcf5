"""Every bucket keeps object versions (RES-02: replication requires versioning on both sides)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView, dig, truthy
from policies.rules._common.s3 import BUCKET_TYPES, VERSIONING_TYPES, attached, buckets
from policies.rules._common.values import shown
from policies.rules._data.buckets import inline_block

EXPECTED = "a BucketVersioning for the bucket with versioningConfiguration.status Enabled"


class BucketVersioningEnabled(StackRule):
    id = "bucket_versioning_enabled"
    description = "Every S3 bucket has versioning enabled (BucketVersioning status Enabled)."
    remediation = (
        "Add an aws.s3.BucketVersioning with bucket=<bucket>.id and "
        "versioning_configuration={'status': 'Enabled'}."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if not buckets(stack) and not any(stack.of_type(*VERSIONING_TYPES)):
            raise NotApplicable("the stack has no S3 bucket")
        # Every versioning resource is judged, linked to a bucket of this stack or not: a
        # Suspended status is wrong wherever it points.
        for versioning in stack.of_type(*VERSIONING_TYPES):
            status = dig(versioning.props, "versioningConfiguration", "status")
            if str(status) != "Enabled":
                yield Failure(f"versioningConfiguration.status is {shown(status)}", EXPECTED, versioning.urn)
        versioned = attached(stack, *VERSIONING_TYPES)
        for bucket in buckets(stack):
            if bucket.urn in versioned:
                continue
            inline = inline_block(bucket, "versioning", "versionings")
            if inline is not None:
                enabled = dig(inline, "enabled")
                if not truthy(enabled):
                    path = (
                        "versionings[0].enabled" if bucket.type == BUCKET_TYPES[1] else "versioning.enabled"
                    )
                    yield Failure(f"{path} is {shown(enabled)}", EXPECTED, bucket.urn)
                continue
            yield Failure(
                "has no versioning configuration (S3 buckets are unversioned by default)",
                EXPECTED,
                bucket.urn,
            )
