"""OrganizationTrail: one CloudTrail for every account and region (LOG-01).

Declared in the management account, in the home region; delivers to the
``LogArchive`` bucket in the log-archive account, encrypted with its key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.errors import ComponentInputError
from components.log_archive import DEFAULT_TRAIL_NAME

_KIND = "OrganizationTrail"
_TRAIL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,127}\Z")


@dataclass
class OrganizationTrailArgs:
    bucket_name: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str]
    trail_name: str = DEFAULT_TRAIL_NAME
    tags: dict[str, str] = field(default_factory=dict)


def validate_trail_args(name: str, args: OrganizationTrailArgs) -> None:
    if not _TRAIL_NAME.match(args.trail_name):
        raise ComponentInputError(
            _KIND,
            name,
            f"trail_name = {args.trail_name!r} is not a valid trail name",
            "3-128 letters, digits, '.', '_' or '-', starting with a letter or digit",
            "LOG-01",
        )


class OrganizationTrail(pulumi.ComponentResource):
    trail_arn: pulumi.Output[str]
    trail_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: OrganizationTrailArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_trail_args(name, args)
        super().__init__("tenant-zone:trail:OrganizationTrail", name, None, opts)
        trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            # A fixed name: the log-archive bucket and key policies admit this trail only.
            name=args.trail_name,
            s3_bucket_name=args.bucket_name,
            kms_key_id=args.kms_key_arn,
            is_organization_trail=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            event_selectors=[
                aws.cloudtrail.TrailEventSelectorArgs(read_write_type="All", include_management_events=True)
            ],
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=True),
        )
        self.trail_arn = trail.arn
        self.trail_name = trail.name
        self.register_outputs({"trailArn": self.trail_arn, "trailName": self.trail_name})
