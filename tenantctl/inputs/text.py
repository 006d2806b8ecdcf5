"""How a value from the user's input is shown in a message: escaped and cut, so one message stays one line.

A value echoed verbatim could carry a newline (the message then reads as two findings), a terminal escape
sequence, or ten thousand characters. Every message that repeats user input shows it through :func:`shown`.
"""

from __future__ import annotations

from typing import Any

# Long enough to recognise any legitimate value (a CIDR, an e-mail address, a hosted zone ID), short enough
# that a hostile value cannot flood a CI log.
MAX_SHOWN = 120


def escape(text: str) -> str:
    """``text`` with every control or non-printable character as a Python escape (``\\n``, ``\\x1b``)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def cut(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` shortened to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """A value for a message: strings quoted, escaped and cut; other values by their repr, cut."""
    if isinstance(value, str):
        return "'" + cut(escape(value), limit) + "'"
    return cut(escape(repr(value)), limit)
