"""ManagementDetection: GuardDuty and AWS Config in the organization's management account, in one region
(LOG-03).

The management account is the one account the organization's auto-enable leaves out:

- GuardDuty: "When you add an account as a GuardDuty member, it will automatically have GuardDuty enabled in
  that Region. There is an exception to the organization management account. Before the management account
  gets added as a GuardDuty member, it must have GuardDuty enabled"
  (https://docs.aws.amazon.com/guardduty/latest/ug/add-member-accounts-guardduty-organization.html); enabling
  it there also creates the service-linked role the delegated administrator needs to manage the account
  (https://docs.aws.amazon.com/guardduty/latest/ug/delegated-admin-designate.html). So the management account
  creates its own detector, and then the delegated administrator adds it as a member (``CreateMembers`` from
  the administrator's detector:
  https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateMembers.html),
  after the region's designation (only the administrator of the region may add members) and after the
  organization configuration, so the auto-enabled protection plans apply to it as to every member. The
  member's account ID is read from the detector itself, which both names the management account without a
  second source and orders the membership after the detector. The detector switches on the same protection
  plans the organization configuration auto-enables for every member (S3 and EBS malware protection), before
  the membership: the account is covered from its first deployment, and the administrator's configuration,
  once it applies, sets the values already there, so nothing drifts.
- AWS Config has no organization auto-enable at all: the management account records like every other account,
  into the log archive's bucket (``Detection`` with the organization's services left to the administrator), in
  the AWS order recorder, delivery channel, recorder status
  (https://docs.aws.amazon.com/config/latest/developerguide/gs-cli-prereq.html,
  https://docs.aws.amazon.com/config/latest/APIReference/API_PutDeliveryChannel.html: "Before you can create a
  delivery channel, you must create a configuration recorder").

Declared with a provider acting in the management account (``opts.provider``); the membership goes through
``security_provider``, the delegated administrator's provider in the same region.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.detection import (
    PUBLISHING_FREQUENCIES,
    REQUIRED_GUARDDUTY_FEATURES,
    Detection,
    DetectionArgs,
    guardduty_detector,
)
from components.errors import InputProblems
from policies.parameters import JAPAN_REGIONS

_KIND = "ManagementDetection"


@dataclass
class ManagementDetectionArgs:
    """``administrator_detector_id`` is the security account's detector in ``region``; ``after`` the
    resources the membership must follow there (the region's designation and organization configuration).
    ``config_bucket_name`` / ``config_kms_key_arn`` / ``config_key_prefix`` are the log archive's."""

    region: str
    management_account_email: pulumi.Input[str]
    security_provider: pulumi.ProviderResource
    administrator_detector_id: pulumi.Input[str]
    config_bucket_name: pulumi.Input[str]
    config_kms_key_arn: pulumi.Input[str] | None = None
    config_key_prefix: str = "config"
    after: Sequence[pulumi.Resource] = ()
    finding_publishing_frequency: str = "FIFTEEN_MINUTES"
    tags: dict[str, str] = field(default_factory=dict)


def validate_management_detection_args(name: str, args: ManagementDetectionArgs) -> None:
    problems = InputProblems(_KIND, name)
    if args.region not in JAPAN_REGIONS:
        problems.add(
            f"region = {args.region!r} is outside Japan", f"one of {', '.join(JAPAN_REGIONS)}", "RES-01"
        )
    if not args.after:
        problems.add(
            "after is empty",
            "the region's GuardDuty designation and organization configuration, which the membership follows",
            "LOG-03",
        )
    if args.finding_publishing_frequency not in PUBLISHING_FREQUENCIES:
        problems.add(
            f"finding_publishing_frequency = {args.finding_publishing_frequency!r} is not a GuardDuty"
            " frequency",
            f"one of {', '.join(PUBLISHING_FREQUENCIES)}",
            "LOG-05",
        )
    problems.raise_if_any()


class ManagementDetection(pulumi.ComponentResource):
    """The management account's detector, its membership with the administrator, and its Config recorder."""

    detector_id: pulumi.Output[str]
    member_account_id: pulumi.Output[str]
    config_recorder_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: ManagementDetectionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_management_detection_args(name, args)
        super().__init__("tenant-zone:detection:ManagementDetection", name, None, opts)
        detector, plans = guardduty_detector(
            name, self, args.finding_publishing_frequency, REQUIRED_GUARDDUTY_FEATURES, args.tags
        )
        member = aws.guardduty.Member(
            f"{name}-guardduty-member",
            account_id=detector.account_id,
            detector_id=args.administrator_detector_id,
            email=args.management_account_email,
            # An organization account is associated by CreateMembers; invitations are for outside accounts.
            invite=False,
            opts=pulumi.ResourceOptions(
                parent=self, provider=args.security_provider, depends_on=[detector, *plans, *args.after]
            ),
        )
        config = Detection(
            f"{name}-config",
            DetectionArgs(
                region=args.region,
                account_id=detector.account_id,
                config_bucket_name=args.config_bucket_name,
                config_kms_key_arn=args.config_kms_key_arn,
                config_key_prefix=args.config_key_prefix,
                # GuardDuty above, Security Hub by the organization's central configuration policy on the
                # root, Inspector by the administrator's activation: only Config is the account's own.
                organization_administered=True,
                enable_inspector=False,
                tags=dict(args.tags),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.detector_id = detector.id
        self.member_account_id = member.account_id
        self.config_recorder_name = config.config_recorder_name
        self.register_outputs(
            {
                "detectorId": self.detector_id,
                "memberAccountId": self.member_account_id,
                "configRecorderName": self.config_recorder_name,
            }
        )
