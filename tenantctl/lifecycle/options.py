"""The options every lifecycle command takes, and the AWS target they select."""

from __future__ import annotations

import argparse

from tenantctl.errors import UserError
from tenantctl.lifecycle.aws import JAPAN_REGIONS, PRIMARY_REGION, Aws


def add_aws_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint-url",
        default=None,
        help="AWS endpoint (default: the running sandbox's, from its state file; else real AWS)",
    )
    parser.add_argument("--profile", default=None, help="AWS profile for real AWS")
    parser.add_argument(
        "--region",
        default=PRIMARY_REGION,
        choices=JAPAN_REGIONS,
        help="home region (default: ap-northeast-1)",
    )


def aws_from(args: argparse.Namespace) -> Aws:
    from tenantctl.lifecycle.sandbox import endpoint_from_state

    endpoint = args.endpoint_url
    if endpoint is None and args.profile is None:
        endpoint = endpoint_from_state()
    aws = Aws(endpoint_url=endpoint, profile=args.profile, region=args.region)
    if not aws.has_credentials():
        raise UserError(
            "--endpoint-url/--profile: no sandbox is running and no AWS credentials were found; expected "
            "`tenantctl sandbox start`, --endpoint-url URL, or --profile NAME"
        )
    return aws
