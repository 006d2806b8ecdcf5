"""Synthesize stacks offline and run every gate rule (the CrossGuard pack's policies) over them.

Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad input (the report file, when
asked for, still says why), 3 internal error (a bug in tenantctl or a rule).

Synth and gate results are cached by content (see --cache-dir): a second run re-synthesizes only
the stacks whose program, stack file, overrides or referenced stack outputs changed.

examples:
  tenantctl check --stack acme-prod
  tenantctl check --all --jobs 2 --format sarif --output gate.sarif
  tenantctl check --all --shard 2/4 --format json --output shard-2.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policies.messages import message
from tenantctl.arguments import add_overrides, add_program
from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file, write_stdout
from tenantctl.paths import default_program

if TYPE_CHECKING:
    from tenantctl.fleet import Settings, Shard
    from tenantctl.report.failed import Refusal

FORMATS = ("text", "json", "sarif", "junit")
# Set (to anything) to turn the cache off without a flag, as the test suite does.
NO_CACHE_ENV = "TENANTCTL_NO_CACHE"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--stack", help="check one stack (its Pulumi.<stack>.yaml)")
    which.add_argument(
        "--all",
        action="store_true",
        help="check every stack of the program and the cross-stack rules (the default without --stack)",
    )
    add_program(parser)
    parser.add_argument(
        "--config-file", type=Path, default=None, help="stack config file to use instead of the stack's own"
    )
    add_overrides(parser, "override one config key, e.g. --set aws:region=us-east-1 (repeatable)")
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
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help=(
            "also write the report in another format to FILE, from the same run (repeatable), "
            "e.g. --also sarif=gate.sarif --also junit=gate.xml"
        ),
    )
    parser.add_argument(
        "--with-checkov",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=(
            "also run checkov's AWS checks on the exported plans, in the same report (default: the "
            "project's `[tool.tenantctl] with-checkov` setting, or TENANTCTL_WITH_CHECKOV)"
        ),
    )
    parser.add_argument(
        "--policy-pack-config",
        type=Path,
        default=None,
        metavar="FILE",
        help=(
            "policy pack config JSON, as `pulumi preview --policy-pack-config` takes it: per policy (or "
            "`all`) an enforcement level, or an object with `enforcementLevel` and the policy's properties"
        ),
    )
    parser.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=(
            "fail (exit 1) when a component of another package (awsx, eks) could not be analysed offline "
            "(default: the project's `[tool.tenantctl] strict` setting, else report it as not analysed)"
        ),
    )
    add_fleet_arguments(parser)


def add_fleet_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of every command that checks the fleet (check, report)."""
    from tenantctl.cache import default_dir
    from tenantctl.fleet import default_jobs

    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help=f"stacks synthesized in parallel processes (default: every core, here {default_jobs()})",
    )
    parser.add_argument(
        "--shard",
        default=None,
        metavar="I/N",
        help=(
            "with --all: check only the I-th of N deterministic shares of the stacks (a CI job matrix); "
            "cross-stack rules are left to an unsharded run"
        ),
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help=f"synth and gate cache (default: $TENANTCTL_CACHE_DIR, else {default_dir()})",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument(
        "--cross-stack-only",
        action="store_true",
        help=(
            "with --all: report the stacks and the cross-stack rules only (the final job after --shard runs)"
        ),
    )


def fleet_settings(args: argparse.Namespace, program: Path) -> tuple[Settings, Shard | None]:
    """(Settings, Shard | None) from the fleet flags, refusing bad values before any work."""
    from tenantctl.cache import default_dir
    from tenantctl.fleet import Settings, Shard, default_jobs

    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise UserError(
            message(f"--jobs {args.jobs}", "must be at least 1", "a process count, e.g. --jobs 2")
        )
    shard = Shard.parse(args.shard) if args.shard is not None else None
    if shard is not None and getattr(args, "stack", None):
        raise UserError(
            message(
                f"--shard {args.shard}",
                "shares out the stacks of --all, so it cannot be combined with --stack",
                "--stack or --shard, not both",
            )
        )
    if args.cross_stack_only and (shard is not None or getattr(args, "stack", None)):
        raise UserError(
            message("--cross-stack-only", "needs every stack", "--all, without --stack and --shard")
        )
    cache_dir: Path | None = None
    if not args.no_cache and not os.environ.get(NO_CACHE_ENV):
        cache_dir = (args.cache_dir or default_dir()).absolute()
        if cache_dir.exists() and not cache_dir.is_dir():
            raise UserError(message(f"--cache-dir {cache_dir}", "is not a directory", "a directory path"))
    policy_config = ""
    if getattr(args, "policy_pack_config", None) is not None:
        from tenantctl.gate.engineconfig import canonical, load

        policy_config = canonical(load(args.policy_pack_config))
    return Settings(program, tuple(args.overrides), cache_dir, jobs, policy_config), shard


def _validate(args: argparse.Namespace, program: Path) -> None:
    """Everything that can be refused before the first (slow) synthesis, with the synth's own messages."""
    from tenantctl.synth.configpath import parse_override
    from tenantctl.synth.project import load_project

    project = load_project(program)
    if args.config_file is not None and not args.stack:
        raise UserError(
            message(
                f"--config-file {args.config_file}",
                "only applies to one stack (it cannot be used with --all)",
                "--stack <name> as well",
            )
        )
    if args.config_file is not None and not args.config_file.is_file():
        raise UserError(message(f"--config-file {args.config_file}", "no such file", "a Pulumi.<stack>.yaml"))
    for override in args.overrides:
        parse_override(override, project.name)
    if args.output is not None:
        check_writable("--output", args.output)
    for fmt, path in _also(args):
        check_writable(f"--also {fmt}", path)


def _also(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """The extra reports asked for with --also FORMAT=FILE; a UserError for a malformed one."""
    extra: list[tuple[str, Path]] = []
    for item in args.also:
        fmt, sep, file = item.partition("=")
        if not sep or fmt not in FORMATS or not file:
            raise UserError(
                message(
                    f"--also {item}",
                    "not FORMAT=FILE with a known format",
                    f"one of {', '.join(f + '=FILE' for f in FORMATS)}",
                )
            )
        extra.append((fmt, Path(file)))
    return extra


def _refusals(error: UserError, args: argparse.Namespace, program: Path) -> list[Refusal]:
    from tenantctl.fleet import StackFailures
    from tenantctl.report.failed import Refusal

    if isinstance(error, StackFailures):
        return [Refusal(message, file, stack) for stack, file, message in error.failures]
    file: str | None = None
    if args.stack:
        from tenantctl.gate.program import stack_file

        try:
            file = stack_file(program, args.stack, args.config_file)
        except UserError:
            file = None
    return [Refusal(str(error), file, args.stack)]


def run(args: argparse.Namespace) -> int:
    from tenantctl.fleet import check_all, check_one, waived_cells
    from tenantctl.gate.program import file_waivers
    from tenantctl.gate.waivers import apply_waivers, inline_waivers
    from tenantctl.progress import StackProgress
    from tenantctl.report import render
    from tenantctl.report.details import summary_line

    program = (args.program or default_program()).resolve()
    try:
        _validate(args, program)
        strict_mode = _strict(args, program)
        settings, shard = fleet_settings(args, program)
        scan = _checkov_scan(args, program)
        if args.stack:
            outcome = check_one(settings, args.stack, config_file=args.config_file)
            day = dt.date.today()
            waivers = file_waivers(program, args.waivers, day) + inline_waivers(outcome.document, day)
            result = waived_cells(apply_waivers(outcome.result, waivers, day))
            if scan is not None:
                scan.observe(outcome.document)
        else:
            with StackProgress("check") as progress:
                result = check_all(
                    settings,
                    shard=shard,
                    progress=progress,
                    cross_stack_only=args.cross_stack_only,
                    waivers_file=args.waivers,
                    observe=scan.observe if scan is not None else None,
                )
    except UserError as error:
        _write_refusal(args, program, error)
        raise
    if scan is not None:
        result, checkov_summary, _ = scan.finish(result)
        print(checkov_summary.line(), file=sys.stderr)
    if strict_mode:
        from tenantctl.gate.unseen import strict

        result = strict(result)
    for fmt, path in _also(args):
        write_file(f"--also {fmt}", path, render(result, fmt))
    report = render(result, args.format)
    if args.output is not None:
        write_file("--output", args.output, report)
        print(summary_line(result), file=sys.stderr)
    else:
        write_stdout(report, "--output")
    return 0 if result.passed else 1


def _strict(args: argparse.Namespace, program: Path) -> bool:
    """--strict / --no-strict, else the project's `[tool.tenantctl] strict` setting."""
    from tenantctl.settings import project_setting

    if args.strict is not None:
        return bool(args.strict)
    return project_setting(program, "strict") == "true"


def _checkov_scan(args: argparse.Namespace, program: Path) -> Any:
    """The checkov scan when it is on (flag, environment or project setting), started before any synth
    so a missing checkov fails fast."""
    from tenantctl.checkov import Scan, enabled
    from tenantctl.settings import project_setting

    if not enabled(args.with_checkov, project_setting(program, "with-checkov")):
        return None
    return Scan.start()


def _write_refusal(args: argparse.Namespace, program: Path, error: UserError) -> None:
    """With --output and a machine format, the report file says why the run was refused."""
    from tenantctl.report.failed import RENDERERS

    renderer = RENDERERS.get(args.format)
    if args.output is None or renderer is None:
        return
    try:
        check_writable("--output", args.output)
    except UserError:
        return  # the refusal is about the output path itself: nothing can be written there
    write_file("--output", args.output, renderer(_refusals(error, args, program)))
