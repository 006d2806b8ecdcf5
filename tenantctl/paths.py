"""Where the project lives, so commands work from any directory."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_program(cwd: Path | None = None) -> Path:
    """The current directory when it holds a Pulumi project, else this repository's project."""
    here = (cwd or Path.cwd()).resolve()
    return here if (here / "Pulumi.yaml").is_file() else REPO_ROOT
