"""A failed program, told in one paragraph: what was raised and where in the user's code."""

from __future__ import annotations

import sysconfig
import traceback
from collections.abc import Sequence
from pathlib import Path

import pulumi

from tenantctl.errors import UserError
from tenantctl.inputs import shown

_SYNTH_DIR = Path(__file__).resolve().parent
_LIBRARY_DIRS = tuple(
    Path(p).resolve()
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
    if (p := sysconfig.get_paths().get(key))
)


def is_user_file(filename: str) -> bool:
    if filename.startswith("<"):
        return False
    path = Path(filename).resolve()
    if path.is_relative_to(_SYNTH_DIR):
        return False
    return not any(path.is_relative_to(directory) for directory in _LIBRARY_DIRS)


def _innermost_user_frame(error: BaseException) -> traceback.FrameSummary | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = [f for f in traceback.extract_tb(current.__traceback__) if is_user_file(f.filename)]
        if frames:
            return frames[-1]
        current = current.__cause__ or current.__context__
    return None


def shown_path(filename: str, root: Path) -> str:
    path = Path(filename).resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def location(error: BaseException, root: Path) -> str | None:
    """``file:line`` of the innermost frame in the user's code (not the SDK, stdlib or the synth)."""
    frame = _innermost_user_frame(error)
    return f"{shown_path(frame.filename, root)}:{frame.lineno}" if frame else None


def describe(
    error: BaseException, *, stack: str, root: Path, unmodelled: Sequence[str] = (), origin: str = ""
) -> UserError:
    """The UserError for a program that raised ``error``.

    A ``pulumi.RunError`` is the program's own message to its user (e.g. a spec
    validation naming key, value and fix): it is shown as is, after ``origin``
    (``--config-file <path>``) when that file replaced the stack's own, so the
    problem is not looked for in the wrong file. Anything else is a bug or a
    bad call in the program: its type, message and location.
    """
    config_file = origin or f"Pulumi.{stack}.yaml"
    if isinstance(error, UserError):
        return error
    # The SDK's own config errors tell the user to run `pulumi config set`; offline, the fix is elsewhere.
    if isinstance(error, pulumi.config.ConfigMissingError):
        return UserError(
            f"stack {stack}: config key {error.key} is not set; expected a value in {config_file} "
            f"(or --set {error.key}=<value>)."
        )
    if isinstance(error, pulumi.config.ConfigTypeError):
        return UserError(
            f"stack {stack}: config key {error.key} is {shown(error.value)}, which is not a valid"
            f" {error.expect_type}; expected a value of type {error.expect_type} in {config_file} (or --set"
            f" {error.key}=<value>)."
        )
    if isinstance(error, pulumi.RunError):
        text = str(error).strip()
        return UserError(f"{origin}: {text}" if origin else text)
    if isinstance(error, SystemExit):
        return UserError(
            f"stack {stack}: the program called sys.exit({error.code!r}); expected it to return normally."
        )
    message = " ".join(str(error).split()) or "(no message)"
    where = location(error, root)
    at = f" at {where}" if where else ""
    if unmodelled:
        # The program read outputs of components no plugin ran for: the values were placeholders.
        return UserError(
            f"stack {stack}: the program raised {type(error).__name__}: {message}{at}; it uses components the"
            f" offline synth cannot run ({', '.join(unmodelled)}), whose outputs are placeholders: most"
            " likely a gap of the synth, not of the program."
        )
    return UserError(
        f"stack {stack}: the program raised {type(error).__name__}: {message}{at}; "
        "fix the program or its configuration and run the synth again."
    )
