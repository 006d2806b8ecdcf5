"""Local AWS for the lifecycle commands: a moto server on 127.0.0.1 shaped like the organization.

`start` bootstraps the organization (OUs, SCPs, core accounts, organization trail), creates the shipped
tenants' accounts and seeds each with what the baseline deploys that the audit reads; `stop` ends it;
`status` shows it. Exit 0, 2 on bad use.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from policies.messages import message
from tenantctl.errors import UserError

if TYPE_CHECKING:
    from tenantctl.lifecycle.sandbox import SandboxState


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tenantctl.lifecycle.seed import DRIFTS

    parser.add_argument("action", choices=("start", "stop", "status", "drift"))
    parser.add_argument(
        "--no-seed", action="store_true", help="create the tenant accounts but no baseline in them"
    )
    parser.add_argument(
        "--seed",
        dest="seed_only",
        action="append",
        default=[],
        metavar="STACK",
        help="seed only these tenant stacks (repeatable; default: every tenant)",
    )
    parser.add_argument("--stack", help="drift: the tenant stack to break, e.g. acme-prod")
    parser.add_argument("--kind", choices=DRIFTS, help="drift: what to break (for the audit to find)")


def run(args: argparse.Namespace) -> int:
    from tenantctl.lifecycle import sandbox

    if args.action == "start":
        state = sandbox.start(seed=not args.no_seed, only=args.seed_only or None)
        print(f"sandbox: moto server {state.endpoint_url} (pid {state.pid}); state in {sandbox.state_file()}")
        print(f"sandbox: management account {state.management_account_id}")
        for stack, account in sorted(state.tenants.items()):
            seeded = not args.no_seed and (not args.seed_only or stack in args.seed_only)
            print(f"sandbox: tenant {stack} account {account}{' (baseline seeded)' if seeded else ''}")
        return 0
    if args.action == "stop":
        stopped = sandbox.stop()
        print("sandbox: stopped" if stopped is not None else "sandbox: not running", file=sys.stderr)
        return 0
    running = sandbox.running_state()
    if running is None:
        raise UserError(message("sandbox", "not running", "`tenantctl sandbox start` first"))
    if args.action == "drift":
        return _drift(args, running)
    print(
        f"sandbox: running at {running.endpoint_url} (pid {running.pid}), {len(running.tenants)} tenant"
        " accounts"
    )
    return 0


def _drift(args: argparse.Namespace, state: SandboxState) -> int:
    from tenantctl.lifecycle.aws import Aws
    from tenantctl.lifecycle.seed import plant_drift

    if not args.kind or not args.stack:
        raise UserError(
            message("sandbox drift", "needs --stack and --kind", "e.g. --stack acme-prod --kind rotation-off")
        )
    if args.stack not in state.tenants:
        raise UserError(
            message(
                f"--stack {args.stack}", "not a sandbox tenant", f"one of {', '.join(sorted(state.tenants))}"
            )
        )
    plant_drift(Aws(endpoint_url=state.endpoint_url), args.kind, state.tenants[args.stack], args.stack)
    print(f"sandbox: planted {args.kind} in {args.stack} ({state.tenants[args.stack]})")
    return 0
