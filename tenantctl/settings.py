"""Project settings for tenantctl: the ``[tool.tenantctl]`` table of the nearest ``pyproject.toml``.

Read from the checked program's directory upwards, so a team's repository decides for its own programs.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tenantctl.errors import UserError

# Each setting and the values it accepts.
KNOWN: dict[str, tuple[str, ...]] = {"with-checkov": ("always", "ci", "never"), "strict": ("true", "false")}


def _table(program: Path) -> tuple[Path | None, dict[str, Any]]:
    for directory in (program, *program.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise UserError(
                    f"{candidate}: not TOML ({error}); expected a valid pyproject.toml."
                ) from None
            table = data.get("tool", {}).get("tenantctl")
            if table is not None:
                return candidate, table
    return None, {}


def project_setting(program: Path, key: str) -> str | None:
    """The setting's value, or None when no pyproject.toml sets it; a UserError for a value it refuses."""
    path, table = _table(program.resolve())
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool):  # a TOML boolean reads as its spelling
        value = "true" if value else "false"
    allowed = KNOWN[key]
    if value not in allowed:
        raise UserError(
            f"{path} [tool.tenantctl] {key}: {value!r} is not allowed; expected one of {', '.join(allowed)}."
        )
    return str(value)
