"""The tenant-zone Pulumi program: the ``org`` stack, or a tenant baseline for any other stack.

Pulumi runs this directory as the program (``main: stacks/``); the offline synth runs the same file
in-process. Either way the repository root must be importable for ``components`` and ``stacks``, so it is put
on the path first, whatever the working directory."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import pulumi  # noqa: E402 - after the path fix above

ORG_STACK = "org"


def main() -> None:
    if pulumi.get_stack() == ORG_STACK:
        from stacks.org import build_org_stack

        build_org_stack()
    else:
        from stacks.tenant import build_tenant_stack

        build_tenant_stack()


main()
