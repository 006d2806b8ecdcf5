"""Where a command's result goes: a file given by a flag, or standard output.

A file is checked before the (possibly long) run, so a bad path fails fast
and nothing is computed for nothing; it is written at the end in one step
(a temporary file in the same directory, then renamed over the target), so a
reader never sees a half-written report and an earlier report is either kept
whole or replaced whole. Directories created for it are removed again if the
write fails.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from tenantctl.errors import UserError

FIX = "expected a writable file path (missing directories are created)"


def _refuse(flag: str, path: Path, problem: str) -> UserError:
    return UserError(f"{flag} {path}: {problem}; {FIX}.")


def _missing_parents(path: Path) -> list[Path]:
    """The target's ancestors that do not exist yet, outermost first."""
    missing: list[Path] = []
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    return list(reversed(missing))


def check_writable(flag: str, path: Path) -> None:
    """A UserError now, before any work, if ``path`` cannot become the output file."""
    if path.is_dir():
        raise _refuse(flag, path, "is a directory")
    missing = _missing_parents(path)
    existing = (missing[0] if missing else path.absolute()).parent
    if not existing.is_dir():
        raise _refuse(flag, path, f"{existing} is not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _refuse(flag, path, f"directory {existing} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise _refuse(flag, path, "the file is not writable")


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_file(flag: str, path: Path, text: str) -> None:
    """Writes ``text`` to ``path`` whole or not at all (see the module doc)."""
    check_writable(flag, path)
    missing = _missing_parents(path)
    created: list[Path] = []
    temporary: str | None = None
    done = False
    try:
        for directory in missing:
            directory.mkdir()
            created.append(directory)
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.absolute().parent
        )
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
        done = True
    except OSError as error:
        raise _refuse(flag, path, f"cannot be written ({error.strerror or error})") from None
    finally:
        if not done:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            for directory in reversed(created):
                with contextlib.suppress(OSError):
                    directory.rmdir()


def write_stdout(text: str, file_flag: str) -> None:
    """``text`` on standard output; a full disk or a closed terminal is reported, not a traceback.

    A reader that stopped early (``| head``) raises BrokenPipeError, which the CLI handles.
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise UserError(
            f"standard output: cannot be written ({error.strerror or error}); "
            f"expected a writable standard output, or write to a file with {file_flag} <path>"
        ) from None
