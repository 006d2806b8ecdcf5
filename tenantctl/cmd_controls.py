"""Print the control catalog with its checks per layer: a bilingual Markdown traceability matrix or JSON.

`docs/controls.md` is this command's Markdown output (`make docs` regenerates it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tenantctl.errors import UserError

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


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"--output {path}: cannot write ({error.strerror}); expected a writable file path") from None


def run(args: argparse.Namespace) -> int:
    text = render(args.format)
    if args.output is not None:
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
