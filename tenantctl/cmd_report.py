"""The fleet's compliance as one self-contained HTML page (tenant x control matrix, findings, sources).

Checks every stack as `check --all` does (same cache, --jobs and flags), or renders JSON reports of
earlier runs (--from, e.g. the shards of a CI matrix).

Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad input, 3 internal error.

examples:
  tenantctl report --all --out report.html
  tenantctl report --from shard-1.json --from shard-2.json --out report.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policies.messages import message
from tenantctl.arguments import add_overrides, add_program
from tenantctl.cmd_check import add_fleet_arguments, fleet_settings
from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file
from tenantctl.paths import default_program


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="every stack of the program (the default)")
    parser.add_argument(
        "--from",
        dest="reports",
        action="append",
        type=Path,
        default=[],
        metavar="REPORT",
        help="render these `check --format json` reports instead of checking (repeatable)",
    )
    add_program(parser)
    add_overrides(parser, "override one config key in every stack (repeatable)")
    parser.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    add_fleet_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from tenantctl.cmd_merge import read_report
    from tenantctl.fleet import check_all
    from tenantctl.gate.model import GateResult
    from tenantctl.progress import StackProgress
    from tenantctl.report.details import summary_line
    from tenantctl.report.html import render

    check_writable("--out", args.out)
    if args.reports and (args.all or args.overrides):
        raise UserError(
            message(
                "--from",
                "renders existing reports, so --all and --set do not apply",
                "--from without --all and --set, or no --from to check now",
            )
        )
    if args.reports:
        result = GateResult.combine(read_report(path) for path in args.reports)
    else:
        program = (args.program or default_program()).resolve()
        from tenantctl.synth.configpath import parse_override
        from tenantctl.synth.project import load_project

        project = load_project(program)
        for override in args.overrides:
            parse_override(override, project.name)
        settings, shard = fleet_settings(args, program)
        with StackProgress("report") as progress:
            result = check_all(settings, shard=shard, progress=progress)
    write_file("--out", args.out, render(result))
    print(summary_line(result), file=sys.stderr)
    return 0 if result.passed else 1
