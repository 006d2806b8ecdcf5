"""ENC-01 live: buckets and log groups encrypted with a customer-managed KMS key of the tenant."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import LOG_GROUP, S3_BUCKET, buckets, key_metadata, log_groups
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget, error_code

EXPECTED_BUCKET = "SSE-KMS with a customer-managed key of the tenant and the bucket key on"
EXPECTED_LOGS = "a log group encrypted with a customer-managed key of the tenant"


class LiveStorageEncryptionCmk(AuditCheck):
    id = "live_storage_encryption_cmk"
    description = "Buckets and log groups are encrypted with a customer-managed KMS key"
    remediation = (
        "Put the bucket's default encryption back to aws:kms with the tenant key (BucketKeyEnabled true) and "
        "associate the tenant key with every log group (logs:AssociateKmsKey); or redeploy the tenant stack."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for bucket in buckets(target):
            s3 = target.client("s3", bucket.region)
            try:
                config = s3.get_bucket_encryption(Bucket=bucket.name)["ServerSideEncryptionConfiguration"]
            except Exception as error:
                if error_code(error) != "ServerSideEncryptionConfigurationNotFoundError":
                    raise
                config = {"Rules": []}
            rules = config.get("Rules") or []
            default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
            algorithm = default.get("SSEAlgorithm")
            wrong = ""
            if not algorithm:
                wrong = "has no default encryption"
            elif algorithm not in ("aws:kms", "aws:kms:dsse"):
                wrong = f"is encrypted with {algorithm} (S3-managed keys)"
            else:
                key_id = default.get("KMSMasterKeyID")
                metadata = key_metadata(target, key_id, bucket.region) if key_id else None
                if metadata is None:
                    wrong = (
                        "uses the AWS-managed key aws/s3"
                        if not key_id
                        else f"uses key {key_id}, which does not exist"
                    )
                elif metadata.get("KeyManager") != "CUSTOMER":
                    wrong = f"uses the AWS-managed key {key_id}"
                elif not rules[0].get("BucketKeyEnabled"):
                    wrong = "has the S3 bucket key off"
            if wrong:
                yield AuditFailure(S3_BUCKET, bucket.name, wrong, EXPECTED_BUCKET, bucket.region, bucket.arn)
        for region in target.regions:
            for group in log_groups(target, region):
                if not group.get("kmsKeyId"):
                    yield AuditFailure(
                        LOG_GROUP,
                        group["logGroupName"],
                        "is not encrypted with a customer-managed key",
                        EXPECTED_LOGS,
                        region,
                        group.get("arn", ""),
                    )
