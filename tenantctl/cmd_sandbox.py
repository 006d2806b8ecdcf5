"""Local AWS for the lifecycle commands: a moto server on 127.0.0.1 shaped like the organization.

`start` bootstraps the organization (OUs, SCPs, core accounts, organization trail), creates the shipped
tenants' accounts and seeds each with what the baseline deploys that the audit reads; `stop` ends it;
`status` shows it. Exit 0, 2 on bad use.
"""

from __future__ import annotations

import argparse
import sys

from tenantctl.errors import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tenantctl.lifecycle.seed import DRIFTS

    parser.add_argument("action", choices=("start", "stop", "status", "drift"))
    parser.add_argument("--no-seed", action="store_true", help="create the tenant accounts but no baseline in them")
    parser.add_argument("--stack", help="drift: the tenant stack to break, e.g. acme-prod")
    parser.add_argument("--kind", choices=DRIFTS, help="drift: what to break (for the audit to find)")


def run(args: argparse.Namespace) -> int:
    from tenantctl.lifecycle import sandbox

    if args.action == "start":
        state = sandbox.start(seed=not args.no_seed)
        print(f"sandbox: moto server {state.endpoint_url} (pid {state.pid}); state in {sandbox.state_file()}")
        print(f"sandbox: management account {state.management_account_id}")
        for stack, account in sorted(state.tenants.items()):
            print(f"sandbox: tenant {stack} account {account}{'' if args.no_seed else ' (baseline seeded)'}")
        return 0
    if args.action == "stop":
        stopped = sandbox.stop()
        print("sandbox: stopped" if stopped is not None else "sandbox: not running", file=sys.stderr)
        return 0
    state = sandbox.running_state()
    if state is None:
        raise UserError("sandbox: not running; expected `tenantctl sandbox start` first")
    if args.action == "drift":
        return _drift(args, state)
    print(f"sandbox: running at {state.endpoint_url} (pid {state.pid}), {len(state.tenants)} tenant accounts")
    return 0


def _drift(args: argparse.Namespace, state: object) -> int:
    from tenantctl.lifecycle.aws import Aws
    from tenantctl.lifecycle.sandbox import SandboxState
    from tenantctl.lifecycle.seed import plant_drift

    assert isinstance(state, SandboxState)
    if not args.kind or not args.stack:
        raise UserError("sandbox drift: needs --stack and --kind; expected e.g. --stack acme-prod --kind rotation-off")
    if args.stack not in state.tenants:
        raise UserError(
            f"--stack {args.stack}: not a sandbox tenant; expected one of {', '.join(sorted(state.tenants))}"
        )
    plant_drift(Aws(endpoint_url=state.endpoint_url), args.kind, state.tenants[args.stack], args.stack)
    print(f"sandbox: planted {args.kind} in {args.stack} ({state.tenants[args.stack]})")
    return 0
