"""``tenantctl``: the command line. Each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tenantctl.errors import UserError

# subcommand -> module exposing ``add_arguments(parser)`` and ``run(args) -> int``
SUBCOMMANDS: dict[str, str] = {
    "synth": "tenantctl.cmd_synth",
    "check": "tenantctl.cmd_check",
    "controls": "tenantctl.cmd_controls",
    "demo": "tenantctl.cmd_demo",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tenantctl",
        description="Per-tenant hardened AWS accounts in Japan: offline synth, policy gate, catalog.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        doc = (module.__doc__ or "").strip().splitlines()
        sub_parser = sub.add_parser(name, help=doc[0] if doc else None, description=module.__doc__)
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._module.run(args))
    except UserError as error:
        print(f"tenantctl {args.command}: error: {error}", file=sys.stderr)
        return UserError.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
