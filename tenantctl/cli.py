"""``tenantctl``: the command line. Each subcommand lives in its own module.

Exit codes: 0 done (no mandatory violation), 1 mandatory violation, 2 bad input (one message naming
the flag or key, the value, the rule and the fix; no traceback), 3 internal error (traceback, to
report), 130 interrupted, 141 the reader closed the pipe.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import signal
import sys
import textwrap
import traceback
from collections.abc import Sequence

from tenantctl.errors import UserError

# Exit code of a crash: Python's default (1) would read as "mandatory violations" to a CI gate.
INTERNAL_ERROR = 3

# subcommand -> module exposing ``add_arguments(parser)`` and ``run(args) -> int``
SUBCOMMANDS: dict[str, str] = {
    "synth": "tenantctl.cmd_synth",
    "check": "tenantctl.cmd_check",
    "controls": "tenantctl.cmd_controls",
    "demo": "tenantctl.cmd_demo",
    "export-plan": "tenantctl.cmd_export_plan",
    "report": "tenantctl.cmd_report",
    "merge": "tenantctl.cmd_merge",
    "cache": "tenantctl.cmd_cache",
    "sandbox": "tenantctl.cmd_sandbox",
    "audit": "tenantctl.cmd_audit",
    "onboard": "tenantctl.cmd_onboard",
    "offboard": "tenantctl.cmd_offboard",
}


# Every command's help ends with this (a command's own codes are in its description).
EXIT_CODES = (
    "exit codes: 0 done (no mandatory violation), 1 a mandatory violation, 2 bad input (one line naming"
    " the\nkey, the value, the rule and the fix), 3 internal error (a bug in tenantctl or a rule; the"
    " traceback is\nshown), 130 interrupted."
)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written; option help wrapped between words only, never inside a value such as
    ``aws:region=us-east-1`` (argparse's default breaks at hyphens)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False, break_long_words=False)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every subcommand's parser; with ``only``, just that one gets its arguments (``""``: none), so that a
    command does not import what the others' arguments need (the sandbox's pulls in boto3)."""
    # Raw formatting keeps the examples and paragraphs of each description as written: argparse's default
    # formatter re-flows them and splits an example command across lines.
    parser = argparse.ArgumentParser(
        prog="tenantctl",
        description="Per-tenant hardened AWS accounts in Japan: offline synth, policy gate, catalog.",
        epilog=EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        doc = (module.__doc__ or "").strip().splitlines()
        sub_parser = sub.add_parser(
            name,
            help=doc[0] if doc else None,
            description=module.__doc__,
            epilog=EXIT_CODES,
            formatter_class=HelpFormatter,
        )
        if only is None or only == name:
            module.add_arguments(sub_parser)
        sub_parser.set_defaults(_module=module)
    return parser


def _command_of(argv: Sequence[str]) -> str:
    """The subcommand ``argv`` runs ("" when none: the top-level options take no value)."""
    first = next((arg for arg in argv if not arg.startswith("-")), "")
    return first if first in SUBCOMMANDS else ""


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # Importing the SDKs and the gate allocates long-lived objects by the hundred thousand; collecting
    # while they arrive finds nothing and costs a tenth of the start. In the tenantctl process they are
    # then frozen, so that later collections (and forked workers' copies) leave them alone; a caller's
    # process (a test) keeps its own collector as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        parser = build_parser(_command_of(arguments))
        args = parser.parse_args(arguments)
    finally:
        if collecting:
            if argv is None:
                gc.freeze()
            gc.enable()
    try:
        return int(args._module.run(args))
    except UserError as error:
        print(f"tenantctl {args.command}: error: {error}", file=sys.stderr)
        return UserError.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error of ours. Point stdout at /dev/null so
        # the interpreter's final flush does not fail again, and exit as a process killed by SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except Exception:  # noqa: BLE001 - a bug in tenantctl or a rule: shown in full, never taken for a verdict
        traceback.print_exc()
        print(
            f"tenantctl {args.command}: internal error (a bug in tenantctl or a policy rule, not in your"
            " input); the traceback above is what to report",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
