"""TenantStorage: the tenant's data and upload buckets in Tokyo, replicated to Osaka (ENC-01, ENC-03, RES-02,
LOG-04).

Every bucket, source or replica, gets the same hardening: SSE-KMS under the tenant key of its region with the
bucket key on, versioning (replication needs it), all four public access blocks, BucketOwnerEnforced ownership
(no ACLs) and a bucket policy that refuses any request not made over TLS.

Each source bucket replicates everything to its Osaka replica with Replication Time Control (15 minutes) and
its metrics, delete markers included, KMS-encrypted objects included and re-encrypted under the Osaka key. The
upload bucket is scanned for malware by a GuardDuty Malware Protection plan that tags every scanned object.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.buckets import harden_bucket, tls_only_policy
from components.checks import regions_in_japan
from components.errors import InputProblems
from components.naming import SERVICE_ROLE_PATH, region_code
from components.policy_documents import policy_document, service_trust_policy
from components.scps import BASELINE_BUCKET_NAME
from policies.parameters import PRIMARY_REGION, SECONDARY_REGION

_KIND = "TenantStorage"
SOURCE_PURPOSES: tuple[str, ...] = ("data", "uploads")
REPLICATION_MINUTES = 15  # the only value S3 Replication Time Control accepts
MALWARE_VALIDATION_OBJECT = "malware-protection-resource-validation-object"


def bucket_name(tenant: str, purpose: str, account_id: str, region: str) -> str:
    """Globally unique and stable: tenant stack, purpose, account and region (at most 63 characters)."""
    # The SCP protecting the baseline buckets matches this shape (BASELINE_BUCKET_PATTERN).
    return BASELINE_BUCKET_NAME.format(
        stack=tenant, purpose=purpose, account=account_id, region=region_code(region)
    )


def _physical_name(account: pulumi.Output[str], tenant: str, purpose: str, region: str) -> pulumi.Output[str]:
    return account.apply(lambda account_id: bucket_name(tenant, purpose, account_id, region))


def replication_policy(
    pairs: Sequence[tuple[str, str]],
    source_key: str,
    replica_key: str,
    source_region: str,
    replica_region: str,
) -> str:
    """What S3 replication needs for ``(source_arn, replica_arn)`` pairs, and no more."""
    sources = [s for s, _ in pairs]
    replicas = [r for _, r in pairs]
    return json.dumps(
        policy_document(
            {
                "Sid": "ReadSourceConfiguration",
                "Effect": "Allow",
                "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                "Resource": sources,
            },
            {
                "Sid": "ReadSourceObjects",
                "Effect": "Allow",
                "Action": [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ],
                "Resource": [f"{s}/*" for s in sources],
            },
            {
                "Sid": "WriteReplicas",
                "Effect": "Allow",
                "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                "Resource": [f"{r}/*" for r in replicas],
            },
            {
                "Sid": "DecryptSource",
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": source_key,
                "Condition": {"StringEquals": {"kms:ViaService": f"s3.{source_region}.amazonaws.com"}},
            },
            {
                "Sid": "EncryptReplica",
                "Effect": "Allow",
                "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": replica_key,
                "Condition": {"StringEquals": {"kms:ViaService": f"s3.{replica_region}.amazonaws.com"}},
            },
        )
    )


def malware_scan_policy(bucket_arn: str, key_arn: str, region: str, account_id: str) -> str:
    """The permissions GuardDuty Malware Protection for S3 documents for its role."""
    rule_arn = f"arn:aws:events:{region}:{account_id}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"
    return json.dumps(
        policy_document(
            {
                "Sid": "ManageEventBridgeRule",
                "Effect": "Allow",
                "Action": [
                    "events:PutRule",
                    "events:DeleteRule",
                    "events:PutTargets",
                    "events:RemoveTargets",
                ],
                "Resource": rule_arn,
                "Condition": {
                    "StringLike": {"events:ManagedBy": "malware-protection-plan.guardduty.amazonaws.com"}
                },
            },
            {
                "Sid": "ReadEventBridgeRule",
                "Effect": "Allow",
                "Action": ["events:DescribeRule", "events:ListTargetsByRule"],
                "Resource": rule_arn,
            },
            {
                "Sid": "BucketNotifications",
                "Effect": "Allow",
                "Action": [
                    "s3:PutBucketNotification",
                    "s3:GetBucketNotification",
                    "s3:GetBucketLocation",
                    "s3:ListBucket",
                ],
                "Resource": bucket_arn,
            },
            {
                "Sid": "ValidationObject",
                "Effect": "Allow",
                "Action": ["s3:PutObject"],
                "Resource": f"{bucket_arn}/{MALWARE_VALIDATION_OBJECT}",
            },
            {
                "Sid": "ScanAndTagObjects",
                "Effect": "Allow",
                "Action": [
                    "s3:GetObject",
                    "s3:GetObjectVersion",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                "Resource": f"{bucket_arn}/*",
            },
            {
                "Sid": "DecryptScannedObjects",
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": key_arn,
                "Condition": {"StringLike": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
            },
        )
    )


@dataclass
class TenantStorageArgs:
    """Inputs of the tenant buckets. ``tenant`` is the stack name (``acme-prod``) used in bucket names."""

    tenant: str
    account_id: pulumi.Input[str]
    primary_key_arn: pulumi.Input[str]
    secondary_key_arn: pulumi.Input[str]
    primary_provider: pulumi.ProviderResource | None = None
    secondary_provider: pulumi.ProviderResource | None = None
    primary_region: str = PRIMARY_REGION
    secondary_region: str = SECONDARY_REGION
    purposes: Sequence[str] = SOURCE_PURPOSES
    malware_scan_purposes: Sequence[str] = ("uploads",)
    tags: dict[str, str] = field(default_factory=dict)


def validate_storage_args(name: str, args: TenantStorageArgs) -> None:
    problems = InputProblems(_KIND, name)
    in_japan = regions_in_japan(
        problems, primary_region=args.primary_region, secondary_region=args.secondary_region
    )
    if in_japan and (
        args.secondary_region != SECONDARY_REGION or args.primary_region == args.secondary_region
    ):
        problems.add(
            f"replicas would go to {args.secondary_region} from {args.primary_region}",
            f"replicas in {SECONDARY_REGION}, the source buckets in {PRIMARY_REGION}",
            "RES-02",
        )
    unknown = [p for p in args.purposes if p not in SOURCE_PURPOSES]
    if unknown or not args.purposes or len(set(args.purposes)) != len(args.purposes):
        problems.add(
            f"purposes {list(args.purposes)!r} are not distinct tenant bucket purposes",
            "a subset of data, uploads",
        )
    if "uploads" in args.purposes and "uploads" not in args.malware_scan_purposes:
        problems.add(
            "the uploads bucket is left out of malware scanning",
            "malware_scan_purposes to include 'uploads'",
            "LOG-04",
        )
    strays = [p for p in args.malware_scan_purposes if p not in args.purposes]
    if strays:
        problems.add(
            f"malware_scan_purposes {strays!r} name no bucket", f"a subset of {list(args.purposes)!r}"
        )
    longest = bucket_name(args.tenant, "uploads-replica", "0" * 12, args.secondary_region)
    if len(longest) > 63:
        problems.add(
            f"bucket names such as {longest!r} exceed 63 characters",
            "a shorter tenant name (at most 28 characters)",
        )
    problems.raise_if_any()


@dataclass(frozen=True)
class HardenedBucket:
    bucket: aws.s3.Bucket
    versioning: aws.s3.BucketVersioning


class TenantStorage(pulumi.ComponentResource):
    """Data and upload buckets with their Osaka replicas; see the module docstring."""

    buckets: dict[str, aws.s3.Bucket]
    replicas: dict[str, aws.s3.Bucket]
    replication_role_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: TenantStorageArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_storage_args(name, args)
        super().__init__("tenant-zone:storage:TenantStorage", name, None, opts)
        primary = pulumi.ResourceOptions(parent=self, provider=args.primary_provider)
        secondary = pulumi.ResourceOptions(parent=self, provider=args.secondary_provider)
        account = pulumi.Output.from_input(args.account_id)

        sources: dict[str, HardenedBucket] = {}
        replicas: dict[str, HardenedBucket] = {}
        for purpose in args.purposes:
            sources[purpose] = self._hardened(
                f"{name}-{purpose}",
                _physical_name(account, args.tenant, purpose, args.primary_region),
                args.primary_key_arn,
                {**args.tags, "purpose": purpose},
                primary,
            )
            replicas[purpose] = self._hardened(
                f"{name}-{purpose}-replica",
                _physical_name(account, args.tenant, f"{purpose}-replica", args.secondary_region),
                args.secondary_key_arn,
                {**args.tags, "purpose": "replica", "replica-of": purpose},
                secondary,
            )

        role = aws.iam.Role(
            f"{name}-replication",
            path=SERVICE_ROLE_PATH,
            description=f"S3 replication of {args.tenant} to {args.secondary_region}",
            assume_role_policy=account.apply(
                lambda a: json.dumps(service_trust_policy("s3.amazonaws.com", a))
            ),
            tags=args.tags,
            opts=primary,
        )
        pairs = pulumi.Output.all(
            *[x for p in args.purposes for x in (sources[p].bucket.arn, replicas[p].bucket.arn)]
        )
        role_policy = aws.iam.RolePolicy(
            f"{name}-replication",
            role=role.id,
            policy=pulumi.Output.all(pairs, args.primary_key_arn, args.secondary_key_arn).apply(
                lambda v: replication_policy(
                    list(zip(v[0][0::2], v[0][1::2], strict=True)),
                    v[1],
                    v[2],
                    args.primary_region,
                    args.secondary_region,
                )
            ),
            opts=primary,
        )
        for purpose in args.purposes:
            self._replicate(
                name, purpose, sources[purpose], replicas[purpose], role, role_policy, args, primary
            )

        scanned = [p for p in args.purposes if p in args.malware_scan_purposes]
        if scanned:
            self._malware_protection(name, {p: sources[p].bucket for p in scanned}, account, args, primary)

        self.buckets = {p: sources[p].bucket for p in args.purposes}
        self.replicas = {p: replicas[p].bucket for p in args.purposes}
        self.replication_role_arn = role.arn
        outputs: dict[str, Any] = {f"{p}BucketName": b.bucket for p, b in self.buckets.items()}
        outputs.update({f"{p}ReplicaBucketName": b.bucket for p, b in self.replicas.items()})
        self.register_outputs(outputs)

    def _hardened(
        self,
        prefix: str,
        physical_name: pulumi.Input[str],
        key_arn: pulumi.Input[str],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions,
    ) -> HardenedBucket:
        bucket = aws.s3.Bucket(prefix, bucket=physical_name, force_destroy=False, tags=tags, opts=opts)
        hardening = harden_bucket(prefix, bucket, key_arn, opts)
        aws.s3.BucketPolicy(
            f"{prefix}-tls-only",
            bucket=bucket.id,
            policy=bucket.arn.apply(tls_only_policy),
            # S3 rejects policy writes that race the public access block being applied
            opts=pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(depends_on=[hardening.public_access])
            ),
        )
        return HardenedBucket(bucket=bucket, versioning=hardening.versioning)

    def _replicate(
        self,
        name: str,
        purpose: str,
        source: HardenedBucket,
        replica: HardenedBucket,
        role: aws.iam.Role,
        role_policy: aws.iam.RolePolicy,
        args: TenantStorageArgs,
        opts: pulumi.ResourceOptions,
    ) -> None:
        aws.s3.BucketReplicationConfig(
            f"{name}-{purpose}-replication",
            bucket=source.bucket.id,
            role=role.arn,
            rules=[
                aws.s3.BucketReplicationConfigRuleArgs(
                    id=f"{purpose}-to-{region_code(args.secondary_region)}",
                    status="Enabled",
                    priority=1,
                    filter=aws.s3.BucketReplicationConfigRuleFilterArgs(prefix=""),
                    delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(
                        status="Enabled"
                    ),
                    source_selection_criteria=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs(
                        sse_kms_encrypted_objects=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs(
                            status="Enabled"
                        )
                    ),
                    destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
                        bucket=replica.bucket.arn,
                        storage_class="STANDARD",
                        encryption_configuration=aws.s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs(
                            replica_kms_key_id=args.secondary_key_arn
                        ),
                        replication_time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeArgs(
                            status="Enabled",
                            time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeTimeArgs(
                                minutes=REPLICATION_MINUTES
                            ),
                        ),
                        metrics=aws.s3.BucketReplicationConfigRuleDestinationMetricsArgs(
                            status="Enabled",
                            event_threshold=aws.s3.BucketReplicationConfigRuleDestinationMetricsEventThresholdArgs(
                                minutes=REPLICATION_MINUTES
                            ),
                        ),
                    ),
                )
            ],
            # replication is refused until both buckets are versioned and the role can act
            opts=pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(depends_on=[source.versioning, replica.versioning, role_policy])
            ),
        )

    def _malware_protection(
        self,
        name: str,
        buckets: dict[str, aws.s3.Bucket],
        account: pulumi.Output[str],
        args: TenantStorageArgs,
        opts: pulumi.ResourceOptions,
    ) -> None:
        for purpose, bucket in buckets.items():
            role = aws.iam.Role(
                f"{name}-{purpose}-malware-scan",
                path=SERVICE_ROLE_PATH,
                description=f"GuardDuty Malware Protection for the {purpose} bucket of {args.tenant}",
                assume_role_policy=account.apply(
                    lambda a: json.dumps(
                        service_trust_policy("malware-protection-plan.guardduty.amazonaws.com", a)
                    )
                ),
                tags=args.tags,
                opts=opts,
            )
            policy = aws.iam.RolePolicy(
                f"{name}-{purpose}-malware-scan",
                role=role.id,
                policy=pulumi.Output.all(bucket.arn, args.primary_key_arn, account).apply(
                    lambda v: malware_scan_policy(v[0], v[1], args.primary_region, v[2])
                ),
                opts=opts,
            )
            aws.guardduty.MalwareProtectionPlan(
                f"{name}-{purpose}-malware-scan",
                role=role.arn,
                protected_resource=aws.guardduty.MalwareProtectionPlanProtectedResourceArgs(
                    s3_bucket=aws.guardduty.MalwareProtectionPlanProtectedResourceS3BucketArgs(
                        bucket_name=bucket.bucket
                    )
                ),
                actions=[
                    aws.guardduty.MalwareProtectionPlanActionArgs(
                        taggings=[aws.guardduty.MalwareProtectionPlanActionTaggingArgs(status="ENABLED")]
                    )
                ],
                tags={**args.tags, "purpose": purpose},
                # GuardDuty validates the role's permissions when the plan is created
                opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[policy])),
            )
