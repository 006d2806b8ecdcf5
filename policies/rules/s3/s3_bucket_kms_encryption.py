"""S3 server-side encryption uses SSE-KMS with a tenant key and an S3 Bucket Key (ENC-01)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView, as_list, dig, truthy
from policies.rules._common.s3 import BUCKET, BUCKET_TYPES, BUCKET_V2, SSE_TYPES
from policies.rules._common.values import shown
from policies.rules._data.buckets import inline_block
from policies.rules._data.keys import key_problem

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
# S3 Bucket Keys are not supported with DSSE-KMS (AWS: "S3 Bucket Keys aren't supported for
# DSSE-KMS"), so bucketKeyEnabled is required for aws:kms only.
BUCKET_KEY_ALGORITHMS = ("aws:kms",)
EXPECTED = (
    "sseAlgorithm aws:kms (or aws:kms:dsse) with kmsMasterKeyId a customer-managed key of the tenant and"
    " bucketKeyEnabled true"
)


def _rules(resource: ResourceView) -> tuple[str, list[Mapping[str, Any]]]:
    """(property path, rules in the split-out resource's shape) for every accepted type."""
    if resource.type in SSE_TYPES:
        return "rules", [r for r in as_list(resource.props.get("rules")) if isinstance(r, Mapping)]
    if resource.type == BUCKET_V2:
        block = inline_block(
            resource, "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations"
        )
        if block is None:
            raise NotApplicable(
                "the bucket declares no inline server-side encryption (bucket_encryption_configured checks"
                " presence)"
            )
        rules: list[Mapping[str, Any]] = []
        for rule in as_list(dig(block, "rules")):
            if isinstance(rule, Mapping):
                defaults = as_list(rule.get("applyServerSideEncryptionByDefaults"))
                rules.append(
                    {
                        "applyServerSideEncryptionByDefault": defaults[0] if defaults else None,
                        "bucketKeyEnabled": rule.get("bucketKeyEnabled"),
                    }
                )
        return "serverSideEncryptionConfigurations[0].rules", rules
    block = inline_block(resource, "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations")
    if block is None:
        raise NotApplicable(
            "the bucket declares no inline server-side encryption (bucket_encryption_configured checks"
            " presence)"
        )
    return "serverSideEncryptionConfiguration.rule", [
        r for r in as_list(dig(block, "rule")) if isinstance(r, Mapping)
    ]


class S3BucketKmsEncryption(ResourceRule):
    id = "s3_bucket_kms_encryption"
    description = (
        "S3 default encryption is SSE-KMS (or DSSE-KMS) with a customer-managed key of the tenant, "
        "with the S3 Bucket Key enabled."
    )
    remediation = (
        "In the BucketServerSideEncryptionConfiguration set rules[0].applyServerSideEncryptionByDefault to "
        "sseAlgorithm 'aws:kms' and kmsMasterKeyId the tenant key's ARN, and bucketKeyEnabled true."
    )
    resource_types = frozenset({*SSE_TYPES, *BUCKET_TYPES})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        path, rules = _rules(resource)
        if not rules:
            yield Failure(f"{path} is empty (S3 then applies SSE-S3 with an S3-owned key)", EXPECTED)
            return
        for index, rule in enumerate(rules):
            where = f"{path}[{index}]" if resource.type != BUCKET else path
            algorithm = dig(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")
            if algorithm not in KMS_ALGORITHMS:
                yield Failure(
                    f"{where}.applyServerSideEncryptionByDefault.sseAlgorithm is {shown(algorithm)}", EXPECTED
                )
                continue
            key = dig(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")
            problem = key_problem(
                resource,
                f"{where}.applyServerSideEncryptionByDefault.kmsMasterKeyId",
                key,
                absent="S3 then uses the AWS-managed key aws/s3",
            )
            if problem:
                yield Failure(problem, EXPECTED)
            if algorithm in BUCKET_KEY_ALGORITHMS and not truthy(rule.get("bucketKeyEnabled")):
                yield Failure(f"{where}.bucketKeyEnabled is {shown(rule.get('bucketKeyEnabled'))}", EXPECTED)
