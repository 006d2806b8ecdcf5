"""Runtime audit of live tenant accounts, by control ID: assumes the read-only audit role in each tenant
account, checks both Japanese regions, and checks the organization from the management account.

Exit 0 when no mandatory finding, 1 when any, 2 on bad input (same as `check`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from policies.messages import message
from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file, write_stdout

FORMATS = ("text", "json", "sarif", "junit")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tenantctl.lifecycle.options import add_aws_arguments

    parser.add_argument("--tenant", help="tenant ID (with --env)")
    parser.add_argument("--env", help="environment of --tenant (prod, staging, dev)")
    parser.add_argument("--all", action="store_true", help="every tenant stack, and the organization checks")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", type=Path, default=None, help="write the report to this file")
    from tenantctl.lifecycle.audit import DEFAULT_CONCURRENCY

    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"tenants audited at once (default {DEFAULT_CONCURRENCY})",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="worker processes sharing --concurrency (default: one per CPU core, at most --concurrency; "
        "1: threads of this process only)",
    )
    parser.add_argument(
        "--inventory",
        action="store_true",
        help="list where each tenant's data lives instead of auditing (DATA-02)",
    )
    add_aws_arguments(parser)


def _selected(args: argparse.Namespace) -> list[str] | None:
    if args.all and (args.tenant or args.env):
        raise UserError(message("--all", "cannot be combined with --tenant/--env", "one or the other"))
    if not args.all:
        if not (args.tenant and args.env):
            raise UserError(
                message("--tenant/--env", "both are needed (or --all)", "e.g. --tenant acme --env prod")
            )
        return [f"{args.tenant}-{args.env}"]
    return None


def default_processes(concurrency: int) -> int:
    """One worker process per CPU core this process may run on, and never more than tenants at once."""
    from tenantctl.fleet import default_jobs

    return min(default_jobs(), concurrency)


def _processes(args: argparse.Namespace) -> int:
    if args.processes is None:
        return default_processes(int(args.concurrency))
    if args.processes < 1:
        raise UserError(message(f"--processes {args.processes}", "not a positive number", "1 or more"))
    if args.processes > args.concurrency:
        raise UserError(
            message(
                f"--processes {args.processes}",
                f"more worker processes than --concurrency {args.concurrency} tenants at once",
                f"at most {args.concurrency} (or a higher --concurrency)",
            )
        )
    return int(args.processes)


def run(args: argparse.Namespace) -> int:
    from tenantctl.lifecycle.audit import TenantAccount, audit, inventory
    from tenantctl.lifecycle.options import aws_from
    from tenantctl.lifecycle.org import discover
    from tenantctl.lifecycle.tenancy import STACKS_DIR, SpecError, load_tenants
    from tenantctl.report import render
    from tenantctl.report.details import summary_line

    wanted = _selected(args)
    if args.concurrency < 1:
        raise UserError(message(f"--concurrency {args.concurrency}", "not a positive number", "1 or more"))
    processes = _processes(args)
    if args.output is not None:
        check_writable("--output", args.output)
    try:
        entries = load_tenants(STACKS_DIR)
    except SpecError as error:
        raise UserError("; ".join(error.problems)) from None
    registry = {e.stack: e.spec.vpc_cidr for e in entries}
    if wanted is not None:
        known = {e.stack for e in entries}
        if wanted[0] not in known:
            raise UserError(
                message(
                    f"--tenant {args.tenant} --env {args.env}",
                    f"no stack {wanted[0]}",
                    f"one of {', '.join(sorted(known))}",
                )
            )
        entries = [e for e in entries if e.stack == wanted[0]]
    aws = aws_from(args)
    view = discover(aws)
    tenants = [TenantAccount(e.stack, e.spec, (view.account(e.stack) or {}).get("Id")) for e in entries]
    if args.inventory:
        rows = inventory(aws, tenants)
        if args.format == "json":
            text = json.dumps({"locations": rows}, indent=2) + "\n"
        else:
            text = "".join(f"{r['tenant']}\t{r['region']}\t{r['kind']}\t{r['name']}\n" for r in rows)
        write_stdout(text, "--output") if args.output is None else write_file("--output", args.output, text)
        return 0
    result = audit(aws, tenants, view, concurrency=args.concurrency, registry=registry, processes=processes)
    report = render(result, args.format)
    if args.output is not None:
        write_file("--output", args.output, report)
        print(summary_line(result), file=sys.stderr)
    else:
        write_stdout(report, "--output")
    return 0 if result.passed else 1
