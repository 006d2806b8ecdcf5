"""Finding stack files: ``Pulumi.<stack>.yaml`` or ``Pulumi.<stack>.yml`` in a stack config directory.

The one place that knows the naming. The tenant registry (which tenants get an account) and the offline synth
(which stacks the gate checks) both list stacks through :func:`stack_files`, so a stack the gate checks is
always a stack the org program provisions, whatever the file's extension.
"""

from __future__ import annotations

from pathlib import Path

PREFIX = "Pulumi."
# In the order Pulumi looks for them: with both present, ``.yaml`` is the stack's file.
SUFFIXES: tuple[str, ...] = (".yaml", ".yml")


def stack_name(path: Path) -> str | None:
    """The stack a file configures, or None when its name is not ``Pulumi.<stack>.yaml|yml``."""
    name = path.name
    if not name.startswith(PREFIX):
        return None
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            middle = name[len(PREFIX) : -len(suffix)]
            return middle or None
    return None


def stack_file_in(directory: Path, stack: str) -> Path | None:
    """The one stack's config file in ``directory``, as ``stack_files(directory).get(stack)`` finds it,
    without listing the directory (a fleet's check looks up each of a hundred stacks several times)."""
    for suffix in SUFFIXES:
        name = f"{PREFIX}{stack}{suffix}"
        if Path(name).name != name or stack_name(Path(name)) != stack:
            # a name that is not one plain file name in the directory: only the listing can tell
            return stack_files(directory).get(stack)
        path = directory / name
        if path.is_file():
            return path
    return None


def stack_files(directory: Path) -> dict[str, Path]:
    """Stack name -> its config file, for every stack file in ``directory``, sorted by name."""
    if not directory.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(directory.iterdir(), key=lambda p: (p.name.endswith(".yml"), p.name)):
        stack = stack_name(path)
        if stack is not None and stack not in found and path.is_file():
            found[stack] = path
    return dict(sorted(found.items()))
