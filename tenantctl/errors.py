"""User-facing errors: printed without a traceback, exit code 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user (a flag, a file, a config value).

    The message names the key, the value, the rule (control ID where there is
    one) and the fix. The CLI prints it and exits 2; nothing is half-done.
    """

    exit_code = 2
