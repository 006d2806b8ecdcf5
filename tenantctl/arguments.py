"""Command-line arguments that several tenantctl commands share, defined once.

Each command keeps its own help text (what the flag means for that command); the flag, its destination and
its parsing live here so that ``args.program`` and ``args.overrides`` mean the same everywhere.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PROGRAM_HELP = "Pulumi program directory (default: this project)"


def add_program(parser: argparse.ArgumentParser, help: str = PROGRAM_HELP) -> None:
    """``--program DIR`` as ``args.program`` (a Path, or None for this project)."""
    parser.add_argument("--program", type=Path, default=None, help=help)


def add_overrides(parser: argparse.ArgumentParser, help: str) -> None:
    """``--set K=V`` (repeatable) as ``args.overrides``, a list of the raw ``K=V`` strings."""
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="K=V", help=help)
