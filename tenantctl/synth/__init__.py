"""Offline synth: run a Pulumi Python program under mocks, in-process, and return its resource graph.

``synthesize(program, stack, config_file=None, overrides=())`` returns the synth
JSON (``project``, ``stack``, ``resources`` sorted by URN, ``outputs``);
``list_stacks(program)`` the stack names of a program. Both raise
``tenantctl.errors.UserError`` on bad input or a failing program. Importing
this package is cheap; the Pulumi SDK is loaded on the first synthesis.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def synthesize(
    program: Path,
    stack: str,
    *,
    config_file: Path | None = None,
    overrides: Sequence[str] = (),
) -> dict[str, Any]:
    """The synth JSON of ``stack`` of the Pulumi program in ``program`` (a directory with a Pulumi.yaml)."""
    from tenantctl.synth.engine import synthesize as run

    return run(Path(program), stack, config_file=config_file, overrides=overrides)


def list_stacks(program: Path) -> list[str]:
    """Stack names from the ``Pulumi.<stack>.yaml`` files in the program's stackConfigDir, sorted."""
    from tenantctl.synth.project import list_stacks as stacks

    return stacks(Path(program))


def to_text(synth: dict[str, Any]) -> str:
    """The JSON text ``tenantctl synth`` writes (sorted keys, two-space indent, trailing newline)."""
    from tenantctl.synth.document import to_text as text

    return text(synth)


__all__ = ["list_stacks", "synthesize", "to_text"]
