"""Offboard a tenant environment in two journaled phases: suspend now (entry point blocked, account in
the Suspended OU); after the retention period, crypto-shred its keys in both regions, close the account
and remove its stack file. Rerun the same command to continue. Exit 0, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from policies.messages import message
from tenantctl.errors import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tenantctl.lifecycle.offboard import ACTIVE_DATA_RETENTION_DAYS, BACKUP_RETENTION_DAYS
    from tenantctl.lifecycle.options import add_aws_arguments

    parser.add_argument("--tenant", required=True)
    parser.add_argument("--env", required=True)
    parser.add_argument("--confirm", required=True, help="the tenant ID again, to confirm")
    parser.add_argument(
        "--force", action="store_true", help="shred before the retention period ends (needs --reason)"
    )
    parser.add_argument("--reason", default=None)
    parser.add_argument("--data-retention-days", type=int, default=ACTIVE_DATA_RETENTION_DAYS)
    parser.add_argument("--backup-retention-days", type=int, default=BACKUP_RETENTION_DAYS)
    parser.add_argument("--mfa-serial", default=None, help="MFA device for the break-glass role (real AWS)")
    parser.add_argument("--mfa-token", default=None)
    parser.add_argument(
        "--program",
        type=Path,
        default=None,
        help="the Pulumi project whose stacks/ holds the tenant (default: this repository)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_aws_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from tenantctl.lifecycle.offboard import OffboardOptions, offboard
    from tenantctl.lifecycle.options import aws_from
    from tenantctl.lifecycle.tenancy import STACKS_DIR
    from tenantctl.paths import REPO_ROOT

    if args.confirm != args.tenant:
        raise UserError(
            message(
                f"--confirm {args.confirm}", f"does not match --tenant {args.tenant}", "the tenant ID again"
            )
        )
    for flag, value in (
        ("--data-retention-days", args.data_retention_days),
        ("--backup-retention-days", args.backup_retention_days),
    ):
        if value < 0:
            raise UserError(message(f"{flag} {value}", "negative", "a number of days >= 0", "DATA-01"))
    if args.reason is not None and not args.force:
        raise UserError(message("--reason", "only with --force", '--force --reason "..."'))
    options = OffboardOptions(
        stacks_dir=(args.program or REPO_ROOT).resolve() / STACKS_DIR.name,
        data_retention_days=args.data_retention_days,
        backup_retention_days=args.backup_retention_days,
        force=args.force,
        reason=args.reason,
        mfa_serial=args.mfa_serial,
        mfa_token=args.mfa_token,
    )
    outcome = offboard(aws_from(args), args.tenant, args.env, options)
    if args.format == "json":
        print(
            json.dumps(
                {"phase": outcome.phase, "steps": outcome.journal.steps, "data": outcome.journal.data},
                indent=2,
                default=str,
            )
        )
    else:
        print(outcome.message)
    return 0
