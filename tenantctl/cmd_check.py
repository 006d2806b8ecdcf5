"""Synthesize stacks offline and run every gate rule (the CrossGuard pack's policies) over them.

Exit 0 when no mandatory violation, 1 when any, 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file, write_stdout
from tenantctl.paths import default_program

FORMATS = ("text", "json", "sarif", "junit")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--stack", help="check one stack (its Pulumi.<stack>.yaml)")
    which.add_argument(
        "--all",
        action="store_true",
        help="check every stack of the program and the cross-stack rules (the default without --stack)",
    )
    parser.add_argument(
        "--program", type=Path, default=None, help="Pulumi program directory (default: this project)"
    )
    parser.add_argument(
        "--config-file", type=Path, default=None, help="stack config file to use instead of the stack's own"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="K=V",
        help="override one config key, e.g. --set aws:region=us-east-1 (repeatable)",
    )
    parser.add_argument(
        "--waivers",
        type=Path,
        default=None,
        help="waiver file (default: waivers.yaml beside the program's Pulumi.yaml, when there is one)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--output", type=Path, default=None, help="write the report to this file instead of stdout"
    )


def _validate(args: argparse.Namespace, program: Path) -> None:
    """Everything that can be refused before the first (slow) synthesis, with the synth's own messages."""
    from tenantctl.synth.configpath import parse_override
    from tenantctl.synth.project import load_project

    project = load_project(program)
    if args.config_file is not None and not args.stack:
        raise UserError(
            f"--config-file {args.config_file}: only applies to one stack; add --stack <name> (it cannot be used with --all)"
        )
    if args.config_file is not None and not args.config_file.is_file():
        raise UserError(f"--config-file {args.config_file}: no such file; expected a Pulumi.<stack>.yaml")
    for override in args.overrides:
        parse_override(override, project.name)
    if args.output is not None:
        check_writable("--output", args.output)


def run(args: argparse.Namespace) -> int:
    from tenantctl.gate import check_all, check_program
    from tenantctl.report import render
    from tenantctl.report.details import summary_line

    program = (args.program or default_program()).resolve()
    _validate(args, program)
    if args.stack:
        result = check_program(
            program,
            args.stack,
            config_file=args.config_file,
            overrides=args.overrides,
            waivers_file=args.waivers,
        )
    else:
        result = check_all(program, overrides=args.overrides, waivers_file=args.waivers)
    report = render(result, args.format)
    if args.output is not None:
        write_file("--output", args.output, report)
        print(summary_line(result), file=sys.stderr)
    else:
        write_stdout(report, "--output")
    return 0 if result.passed else 1
