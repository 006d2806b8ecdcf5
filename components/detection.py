"""Detection: GuardDuty, Security Hub, AWS Config and Inspector in ONE region (LOG-03, VUL-01).

One instance per account and region: all four services are regional, and a
region's findings stay in that region, so the caller declares one Detection
with its Tokyo provider and one with its Osaka provider (the tenant baseline
does; the org stack does the same for the security and log-archive
accounts). ``region`` must match the provider's region: it names the
regional Security Hub standard and decides where AWS Config records the
global resource types (IAM), which is the primary region only, so they are
not recorded twice.

Config delivers to the organization's log-archive bucket (LOG-02), through
a role under the protected ``/tenant-zone/`` path (IAM-03 SCP).

In a member account of an organization whose security account switches GuardDuty, Security Hub and
Inspector on for every member (``SecurityAdministration`` with auto-enable), ``organization_administered``
leaves those three out: the organization creates the member's detector and hub itself, and a create by the
member's own stack would fail with "already exists" whenever auto-enable ran first (GuardDuty
``CreateDetector``:
https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html), while a member cannot
change what the administrator manages. Declaring nothing is safe in both orders of events. AWS
Config has no organization auto-enable, so every account keeps its own recorder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.errors import InputProblems
from components.policy_documents import policy_document, service_trust_policy
from components.scps import BASELINE_ROLE_PATH
from policies.parameters import JAPAN_REGIONS, PRIMARY_REGION

_KIND = "Detection"
GUARDDUTY_FEATURES: tuple[str, ...] = (
    "S3_DATA_EVENTS",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
)
REQUIRED_GUARDDUTY_FEATURES: tuple[str, ...] = ("S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION")
KNOWN_GUARDDUTY_FEATURES: frozenset[str] = frozenset(
    {
        "S3_DATA_EVENTS",
        "EKS_AUDIT_LOGS",
        "EBS_MALWARE_PROTECTION",
        "RDS_LOGIN_EVENTS",
        "EKS_RUNTIME_MONITORING",
        "LAMBDA_NETWORK_LOGS",
        "RUNTIME_MONITORING",
    }
)
INSPECTOR_RESOURCE_TYPES: tuple[str, ...] = ("EC2", "ECR", "LAMBDA")
PUBLISHING_FREQUENCIES: tuple[str, ...] = ("FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS")
CONFIG_MANAGED_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"


def fsbp_standard_arn(region: str) -> str:
    return f"arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"


@dataclass
class DetectionArgs:
    """Inputs of one region's detection services.

    ``account_id`` is the account the provider acts in (Inspector enables
    scanning for an explicit account list). ``config_bucket_name`` /
    ``config_kms_key_arn`` are the log-archive bucket and key (org stack
    outputs ``logArchiveBucket`` / ``logArchiveKeyArn``).
    """

    region: str
    account_id: pulumi.Input[str]
    config_bucket_name: pulumi.Input[str]
    config_kms_key_arn: pulumi.Input[str] | None = None
    config_key_prefix: str = "config"
    record_global_resources: bool | None = None
    guardduty_features: Sequence[str] = GUARDDUTY_FEATURES
    finding_publishing_frequency: str = "FIFTEEN_MINUTES"
    inspector_resource_types: Sequence[str] = INSPECTOR_RESOURCE_TYPES
    tags: dict[str, str] = field(default_factory=dict)
    # The organization's delegated administrator enables GuardDuty, Security Hub and Inspector here.
    organization_administered: bool = False
    # Off in the delegated administrator's own account when it activates Inspector for itself and the members.
    enable_inspector: bool = True


def validate_detection_args(name: str, args: DetectionArgs) -> None:
    problems = InputProblems(_KIND, name)
    if args.region not in JAPAN_REGIONS:
        problems.add(
            f"region = {args.region!r} is outside Japan", f"one of {', '.join(JAPAN_REGIONS)}", "RES-01"
        )
    unknown = sorted(set(args.guardduty_features) - KNOWN_GUARDDUTY_FEATURES)
    if unknown:
        problems.add(
            f"guardduty_features contains unknown feature(s) {', '.join(unknown)}",
            f"names among {', '.join(sorted(KNOWN_GUARDDUTY_FEATURES))}",
            "LOG-03",
        )
    missing = [f for f in REQUIRED_GUARDDUTY_FEATURES if f not in args.guardduty_features]
    if missing:
        problems.add(
            f"guardduty_features lacks {', '.join(missing)}",
            "S3 protection (S3_DATA_EVENTS) and malware protection (EBS_MALWARE_PROTECTION) enabled",
            "LOG-03",
        )
    missing_types = [t for t in INSPECTOR_RESOURCE_TYPES if t not in args.inspector_resource_types]
    if missing_types:
        problems.add(
            f"inspector_resource_types lacks {', '.join(missing_types)}",
            f"Inspector scanning of {', '.join(INSPECTOR_RESOURCE_TYPES)}",
            "VUL-01",
        )
    if args.finding_publishing_frequency not in PUBLISHING_FREQUENCIES:
        problems.add(
            f"finding_publishing_frequency = {args.finding_publishing_frequency!r} is not a GuardDuty"
            " frequency",
            f"one of {', '.join(PUBLISHING_FREQUENCIES)} (FIFTEEN_MINUTES keeps alerts within minutes)",
            "LOG-05",
        )
    problems.raise_if_any()


def config_delivery_policy(
    bucket_name: str, prefix: str, account_id: str, kms_key_arn: str | None
) -> dict[str, Any]:
    statements: list[dict[str, Any]] = [
        {
            "Sid": "DeliverToLogArchive",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{bucket_name}/{prefix}/AWSLogs/{account_id}/*",
            "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
        },
        {
            "Sid": "CheckLogArchiveAcl",
            "Effect": "Allow",
            "Action": "s3:GetBucketAcl",
            "Resource": f"arn:aws:s3:::{bucket_name}",
        },
    ]
    if kms_key_arn:
        statements.append(
            {
                "Sid": "EncryptDeliveries",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": kms_key_arn,
            }
        )
    return policy_document(*statements)


def guardduty_detector(
    name: str,
    parent: pulumi.Resource,
    finding_publishing_frequency: str,
    features: Sequence[str],
    tags: Mapping[str, str],
) -> tuple[aws.guardduty.Detector, list[aws.guardduty.DetectorFeature]]:
    """``<name>-guardduty``, enabled, with each protection plan of ``features`` switched on as its own
    ``<name>-guardduty-<feature>`` (the detector's inline data sources are deprecated for features)."""
    detector = aws.guardduty.Detector(
        f"{name}-guardduty",
        enable=True,
        finding_publishing_frequency=finding_publishing_frequency,
        tags=dict(tags),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    plans = [
        aws.guardduty.DetectorFeature(
            f"{name}-guardduty-{feature.lower().replace('_', '-')}",
            detector_id=detector.id,
            name=feature,
            status="ENABLED",
            opts=pulumi.ResourceOptions(parent=parent),
        )
        for feature in features
    ]
    return detector, plans


class Detection(pulumi.ComponentResource):
    detector_id: pulumi.Output[str] | None
    config_recorder_name: pulumi.Output[str]
    config_role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: DetectionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_detection_args(name, args)
        super().__init__("tenant-zone:detection:Detection", name, None, opts)
        record_global = (
            args.record_global_resources
            if args.record_global_resources is not None
            else args.region == PRIMARY_REGION
        )

        self.detector_id = None
        if not args.organization_administered:
            detector, _ = guardduty_detector(
                name, self, args.finding_publishing_frequency, args.guardduty_features, args.tags
            )
            self.detector_id = detector.id

            hub = aws.securityhub.Account(
                f"{name}-securityhub",
                # Standards are subscribed explicitly below, so the set is reviewable.
                enable_default_standards=False,
                auto_enable_controls=True,
                control_finding_generator="SECURITY_CONTROL",
                opts=pulumi.ResourceOptions(parent=self),
            )
            aws.securityhub.StandardsSubscription(
                f"{name}-securityhub-fsbp",
                standards_arn=fsbp_standard_arn(args.region),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[hub]),
            )

        role = aws.iam.Role(
            f"{name}-config-role",
            path=BASELINE_ROLE_PATH,
            description=f"AWS Config recorder in {args.region}",
            assume_role_policy=pulumi.Output.from_input(args.account_id).apply(
                lambda account: json.dumps(service_trust_policy("config.amazonaws.com", account))
            ),
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.iam.RolePolicyAttachment(
            f"{name}-config-role-managed",
            role=role.name,
            policy_arn=CONFIG_MANAGED_POLICY_ARN,
            opts=pulumi.ResourceOptions(parent=self),
        )
        delivery_policy = aws.iam.RolePolicy(
            f"{name}-config-role-delivery",
            role=role.id,
            policy=pulumi.Output.all(args.config_bucket_name, args.account_id, args.config_kms_key_arn).apply(
                lambda v: json.dumps(config_delivery_policy(v[0], args.config_key_prefix, v[1], v[2]))
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        recorder = aws.cfg.Recorder(
            f"{name}-config-recorder",
            # One recorder per account and region; "default" is the name AWS uses.
            name="default",
            role_arn=role.arn,
            recording_group=aws.cfg.RecorderRecordingGroupArgs(
                all_supported=True, include_global_resource_types=record_global
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        channel = aws.cfg.DeliveryChannel(
            f"{name}-config-delivery",
            name="default",
            s3_bucket_name=args.config_bucket_name,
            s3_key_prefix=args.config_key_prefix,
            s3_kms_key_arn=args.config_kms_key_arn,
            snapshot_delivery_properties=aws.cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs(
                delivery_frequency="TwentyFour_Hours"
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[recorder, delivery_policy]),
        )
        aws.cfg.RecorderStatus(
            f"{name}-config-status",
            name=recorder.name,
            is_enabled=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[channel]),
        )

        if args.enable_inspector and not args.organization_administered:
            aws.inspector2.Enabler(
                f"{name}-inspector",
                account_ids=[args.account_id],
                resource_types=list(args.inspector_resource_types),
                opts=pulumi.ResourceOptions(parent=self),
            )

        self.config_recorder_name = recorder.name
        self.config_role_arn = role.arn
        self.register_outputs(
            {
                "detectorId": self.detector_id,
                "configRecorderName": self.config_recorder_name,
                "configRoleArn": self.config_role_arn,
            }
        )
