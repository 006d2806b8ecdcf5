"""The pre-commit hook: gate the stacks a commit changes (``tenantctl-precommit FILE...``).

A changed ``Pulumi.<stack>.yaml`` is checked alone (``tenantctl check --stack <stack>``); any other changed
file of the program (components, the program itself, the catalog or the rules) can change every stack, so it
checks them all (``tenantctl check --all``). checkov joins as the project setting says (``[tool.tenantctl]
with-checkov``). The exit code is the worst of the checks: 0 clean, 1 mandatory violation, 2 bad input.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from tenantctl.cli import main as tenantctl

STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^/]+)\.ya?ml$")


def commands(files: Sequence[str]) -> list[list[str]]:
    """The ``tenantctl`` invocations that gate these changed files."""
    stacks: list[str] = []
    for name in files:
        path = Path(name)
        found = STACK_FILE.match(path.name)
        if found is None or path.parent.name != "stacks":
            return [["check", "--all"]]
        if found["stack"] not in stacks:
            stacks.append(found["stack"])
    return [["check", "--stack", stack] for stack in stacks]


def main(argv: Sequence[str] | None = None) -> int:
    files = list(sys.argv[1:] if argv is None else argv)
    worst = 0
    for command in commands(files):
        code = tenantctl(command)
        # 3 (internal error) outranks 2 (bad input), which outranks 1 (violation).
        worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main())
