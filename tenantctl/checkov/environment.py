"""Where checkov runs: its own locked environment in ``tools/checkov`` (never the project's venv).

checkov pins ``packaging`` and other libraries at versions that conflict with pulumi's, so it lives in a
second uv project (``tools/checkov/pyproject.toml`` + ``uv.lock``) that ``make setup`` syncs. tenantctl only
runs its ``checkov`` executable, offline (``--skip-download``). ``TENANTCTL_CHECKOV`` names another
executable (it must still be the pinned version).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tenantctl.errors import UserError
from tenantctl.paths import REPO_ROOT

# The one place the checkov version is named in code; tools/checkov/pyproject.toml pins the same.
CHECKOV_VERSION = "3.3.30"
TOOL_DIR = REPO_ROOT / "tools" / "checkov"
INSTALL = "make setup (or: uv sync --frozen --project tools/checkov)"
ENV_VAR = "TENANTCTL_CHECKOV"
VERSION_TIMEOUT = 600


@dataclass(frozen=True)
class Checkov:
    executable: Path
    version: str


def _default_executable() -> Path:
    return TOOL_DIR / ".venv" / "bin" / "checkov"


def _installed_version(executable: Path) -> str | None:
    """The version recorded by the installer beside the executable (``checkov-<version>.dist-info``):
    asking ``checkov --version`` imports every check, which takes minutes on a loaded machine."""
    venv = executable.resolve().parent.parent
    found = sorted(venv.glob("lib/python*/site-packages/checkov-*.dist-info"))
    if len(found) != 1:
        return None
    return found[0].name.removeprefix("checkov-").removesuffix(".dist-info")


def _reported_version(executable: Path, where: str) -> str:
    try:
        done = subprocess.run(
            [str(executable), "--version"],
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UserError(
            f"--with-checkov: {where} did not answer --version within {VERSION_TIMEOUT} s; "
            f"expected checkov {CHECKOV_VERSION}, installed with: {INSTALL}."
        ) from None
    except OSError as error:
        raise UserError(
            f"--with-checkov: {where} does not run ({error}); expected checkov, from: {INSTALL}."
        ) from None
    lines = done.stdout.strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else ""


def locate() -> Checkov:
    """The pinned checkov, or a UserError naming what is missing and the command that installs it.

    The run itself checks again: checkov's report names its version (``runner.run_plans``)."""
    override = os.environ.get(ENV_VAR)
    executable = Path(override) if override else _default_executable()
    where = f"{ENV_VAR}={override}" if override else str(executable)
    if not executable.is_file() or not os.access(executable, os.X_OK):
        raise UserError(
            f"--with-checkov: checkov {CHECKOV_VERSION} not found at {where}; "
            f"expected its own environment, installed with: {INSTALL}."
        )
    version = (None if override else _installed_version(executable)) or _reported_version(executable, where)
    if version != CHECKOV_VERSION:
        raise UserError(
            f"--with-checkov: {where} is checkov {version or '(unknown version)'}; "
            f"expected checkov {CHECKOV_VERSION}, installed with: {INSTALL}."
        )
    return Checkov(executable, version)
