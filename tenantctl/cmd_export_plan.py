"""Export a stack as a Terraform plan JSON that checkov's terraform_plan framework scans.

Reads the offline synth of a stack (``--stack``, ``--program``), or a ``pulumi preview --json`` document
(``--from-preview``) or a ``pulumi stack export`` document (``--from-state``). Resource types without a
Terraform equivalent are listed on stderr, never dropped in silence.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from policies.messages import message
from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", help="stack to synthesize (default: the program's only stack)")
    parser.add_argument(
        "--program", type=Path, default=None, help="Pulumi program directory (default: this project)"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--from-preview", type=Path, default=None, metavar="FILE", help="a `pulumi preview --json` document"
    )
    source.add_argument(
        "--from-state", type=Path, default=None, metavar="FILE", help="a `pulumi stack export` document"
    )
    parser.add_argument("--out", type=Path, required=True, help="where to write the plan JSON")


def run(args: argparse.Namespace) -> int:
    from tenantctl.cmd_synth import choose_stack
    from tenantctl.export import export, from_synth, read_document
    from tenantctl.paths import default_program

    check_writable("--out", args.out)
    document_file = args.from_preview or args.from_state
    if document_file is not None and (args.stack or args.program):
        flag = "--from-preview" if args.from_preview else "--from-state"
        raise UserError(
            message(
                f"{flag} {document_file}",
                "reads a recorded document, so --stack/--program do not apply",
                "either the document or --stack/--program",
            )
        )
    if args.from_preview is not None:
        document = read_document(args.from_preview, "preview")
    elif args.from_state is not None:
        document = read_document(args.from_state, "state")
    else:
        from tenantctl.synth import synthesize

        program = args.program if args.program is not None else default_program()
        stack = choose_stack(program, args.stack)
        document = from_synth(synthesize(program, stack))
    result = export(document)
    write_file(
        "--out", args.out, json.dumps(result.plan, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    for item in result.unmapped:
        print(f"export-plan: not exported: {item.type} {item.urn}: {item.reason}", file=sys.stderr)
    for urn, paths in sorted(result.unmatched.items()):
        print(
            f"export-plan: kept under their snake_case names (no Terraform attribute matched): "
            f"{', '.join(paths)} on {urn}",
            file=sys.stderr,
        )
    print(
        f"export-plan: {len(result.urns)} resources exported from the {document.source} of "
        f"{document.project}/{document.stack}, {len(result.unmapped)} not exported -> {args.out}",
        file=sys.stderr,
    )
    return 0
