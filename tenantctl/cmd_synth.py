"""Synthesize a stack offline: run the Pulumi program under mocks and write its resource graph as JSON.

No Pulumi CLI and no cloud credentials: the program runs in-process with mocks that return realistic IDs and
ARNs. The JSON lists every resource (sorted by URN) with its type, parent, provider, effective region, inputs,
dependencies and mocked outputs, plus the stack outputs; the same input always gives the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policies.messages import message
from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file, write_stdout
from tenantctl.paths import default_program


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stack", help="stack to synthesize (default: the program's only stack, if it has one)"
    )
    parser.add_argument(
        "--program",
        type=Path,
        default=None,
        help=(
            "Pulumi program directory with a Pulumi.yaml (default: the current directory if it has one, else"
            " this project)"
        ),
    )
    parser.add_argument(
        "--config-file",
        type=Path,
        default=None,
        help="stack config file to use instead of Pulumi.<stack>.yaml",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=(
            "override one config value; KEY may be a path as in `pulumi config set --path` "
            "(e.g. --set 'tenant-zone:tenant.vpcCidr=10.9.0.0/16'); VALUE is YAML; repeatable"
        ),
    )
    parser.add_argument("--out", type=Path, default=None, help="write the JSON here instead of stdout")
    parser.add_argument(
        "--show-secrets",
        action="store_true",
        help=(
            "write secrets' plaintext (the gate sees it, as the engine's analyzer does); by default each "
            "secret is written as [secret] inside its wrapper"
        ),
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 2) when a component of another package (awsx, eks) could not be analysed offline",
    )


def choose_stack(program: Path, requested: str | None) -> str:
    """The requested stack, or the program's only stack; a UserError listing the stacks otherwise."""
    if requested:
        return requested
    from tenantctl.synth import list_stacks

    stacks = list_stacks(program)
    if len(stacks) == 1:
        return stacks[0]
    listing = ", ".join(stacks) if stacks else "none"
    raise UserError(
        message(
            "--stack", f"not given and the program has {len(stacks)} stacks ({listing})", "--stack <name>"
        )
    )


def run(args: argparse.Namespace) -> int:
    from tenantctl.synth import synthesize, to_text

    if args.out is not None:
        check_writable("--out", args.out)
    program = args.program if args.program is not None else default_program()
    stack = choose_stack(program, args.stack)
    synth = synthesize(program, stack, config_file=args.config_file, overrides=tuple(args.overrides))
    unseen = synth.get("notAnalysed", [])
    if unseen:
        listed = ", ".join(f"{u['type']} ({u['urn'].rsplit('::', 1)[-1]})" for u in unseen)
        summary = (
            f"stack {stack}: {len(unseen)} component(s) not analysed, their plugins do not run offline:"
            f" {listed}"
        )
        if args.strict:
            raise UserError(f"{summary}; expected none with --strict (drop --strict to accept the gap).")
        print(f"tenantctl synth: warning: {summary}.", file=sys.stderr)
    from tenantctl.synth import wire

    text = to_text(synth if args.show_secrets else wire.redact(synth))
    if args.out is None:
        write_stdout(text, "--out")
    else:
        write_file("--out", args.out, text)
    return 0
