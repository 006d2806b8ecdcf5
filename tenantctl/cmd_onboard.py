"""Onboard a tenant environment: validate, preflight against the live organization, register its stack
file, gate, vend the account, wait for it, deploy the baseline, audit it and write the evidence.

Journaled and resumable: rerun the same command after a failure or a kill. `--plan-only` validates and
preflights (read-only) and prints the plan. Exit 0 done, 1 gate or audit violation, 2 bad request.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tenantctl.arguments import add_overrides, add_program


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tenantctl.lifecycle.options import add_aws_arguments

    parser.add_argument(
        "request", type=Path, help="the request: a tenant stack file (Pulumi.<tenant>-<env>.yaml shape)"
    )
    parser.add_argument(
        "--plan-only", action="store_true", help="validate and preflight only; change nothing"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_overrides(parser, "override one config key (as in check)")
    add_program(
        parser, "the Pulumi project whose stacks/ directory registers tenants (default: this repository)"
    )
    parser.add_argument(
        "--deployer",
        choices=("auto", "pulumi", "sandbox"),
        default="auto",
        help=(
            "pulumi: Automation API (needs the Pulumi CLI); sandbox: boto3 against the local sandbox; "
            "auto: sandbox when the endpoint is the sandbox's, else pulumi"
        ),
    )
    add_aws_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from tenantctl.lifecycle.deploy import Deployer, PulumiDeployer, SandboxDeployer
    from tenantctl.lifecycle.onboard import Context, onboard, plan_only
    from tenantctl.lifecycle.options import aws_from
    from tenantctl.lifecycle.tenancy import STACKS_DIR
    from tenantctl.paths import REPO_ROOT

    aws = aws_from(args)
    deployer: Deployer
    sandbox = args.deployer == "sandbox" or (args.deployer == "auto" and aws.endpoint_url is not None)
    deployer = SandboxDeployer(aws) if sandbox else PulumiDeployer((args.program or REPO_ROOT).resolve())
    program = (args.program or REPO_ROOT).resolve()
    ctx = Context(aws=aws, stacks_dir=program / STACKS_DIR.name, deployer=deployer, program=program)
    outcome = (
        plan_only(ctx, args.request, args.overrides)
        if args.plan_only
        else onboard(ctx, args.request, args.overrides)
    )
    document: dict[str, Any] = {"stack": outcome.stack, "plan": outcome.plan}
    if outcome.journal is not None:
        document["steps"] = outcome.journal.steps
        document["account"] = outcome.journal.data.get("account_id")
    if args.format == "json":
        print(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    else:
        print(f"onboard {outcome.stack}: {'plan (nothing changed)' if args.plan_only else 'journal'}")
        for line in (outcome.plan or {}).get("plan", []) if args.plan_only else []:
            print(f"  - {line}")
        for warning in (outcome.plan or {}).get("warnings", []):
            print(f"  warning: {warning}", file=sys.stderr)
        for name, entry in outcome.journal.steps.items() if outcome.journal else []:
            print(
                f"  {name}: {entry.get('status')} ({entry.get('seconds', 0)}s, attempts"
                f" {entry.get('attempts', 1)})"
            )
        if outcome.journal is not None and outcome.journal.data.get("account_id"):
            print(f"  account: {outcome.journal.data['account_id']}")
    return outcome.exit_code
