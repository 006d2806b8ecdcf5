"""Print the control catalog with its checks per layer: a bilingual Markdown traceability matrix or JSON.

`docs/controls.md` is this command's Markdown output (`make docs` regenerates it).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file, write_stdout

FORMATS = ("md", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    parser.add_argument("--output", type=Path, default=None, help="write to this file instead of stdout")


def render(fmt: str) -> str:
    """The catalog document in ``fmt``; a broken catalog or rule module is the user's input error."""
    from policies.catalog import CatalogError, load_catalog
    from policies.registry import RuleLoadError, all_rules
    from tenantctl.catalog_view import build_document
    from tenantctl.docs import render_markdown

    try:
        document = build_document(load_catalog(), all_rules())
    except CatalogError as error:
        raise UserError(str(error)) from None
    except RuleLoadError as error:
        raise UserError(f"{error}; fix the rule module before rendering the catalog") from None
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return render_markdown(document)


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_writable("--output", args.output)
    text = render(args.format)
    if args.output is not None:
        write_file("--output", args.output, text)
    else:
        write_stdout(text, "--output")
    return 0
