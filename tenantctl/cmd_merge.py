"""Merge the JSON reports of sharded runs (check --all --shard I/N) into one report.

Exit codes: 0 no mandatory violation in the merged report, 1 a mandatory violation, 2 bad input (a
file that is missing or is not a check JSON report), 3 internal error.

examples:
  tenantctl merge shard-1.json shard-2.json --format sarif --output gate.sarif
  tenantctl merge shard-*.json cross.json --format html --output report.html
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from policies.messages import message
from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file, write_stdout

if TYPE_CHECKING:
    from tenantctl.gate.model import GateResult

FORMATS = ("text", "json", "sarif", "junit", "html")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reports", nargs="+", type=Path, metavar="REPORT", help="JSON reports of `check`")
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default: json)")
    parser.add_argument("--output", type=Path, default=None, help="write here instead of stdout")


def read_report(path: Path) -> GateResult:
    from tenantctl.report.json_report import from_dict

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(
            message(str(path), f"cannot be read ({error.strerror})", "a JSON report of `check`")
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(
            message(str(path), f"is not JSON ({error})", "a JSON report of `check --format json`")
        ) from None
    try:
        return from_dict(data)
    except ValueError as error:
        raise UserError(
            message(str(path), str(error), "a report of `tenantctl check --format json`")
        ) from None


def run(args: argparse.Namespace) -> int:
    from tenantctl.gate.model import GateResult
    from tenantctl.report import render
    from tenantctl.report.details import summary_line

    if args.output is not None:
        check_writable("--output", args.output)
    merged = GateResult.combine(read_report(path) for path in args.reports)
    if args.format == "html":
        from tenantctl.report.html import render as render_html

        text = render_html(merged)
    else:
        text = render(merged, args.format)
    if args.output is not None:
        write_file("--output", args.output, text)
        print(summary_line(merged), file=sys.stderr)
    else:
        write_stdout(text, "--output")
    return 0 if merged.passed else 1
