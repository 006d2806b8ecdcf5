"""Stable fake identifiers: every value is a hash of a seed (normally the resource's URN).

Never time or randomness, so the same program and config give byte-identical
synth output; different seeds give different values, so IDs stay unique.
"""

from __future__ import annotations

import hashlib

_ALNUM_LOWER = "0123456789abcdefghijklmnopqrstuvwxyz"
_ALNUM_UPPER = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _digest(seed: str, purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}\0{seed}".encode()).digest()


def _number(seed: str, purpose: str) -> int:
    return int.from_bytes(_digest(seed, purpose), "big")


def hex_id(seed: str, length: int, purpose: str = "") -> str:
    return _digest(seed, purpose).hex()[:length]


def _base(seed: str, length: int, purpose: str, alphabet: str) -> str:
    number = _number(seed, purpose)
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def lower_alnum(seed: str, length: int, purpose: str = "") -> str:
    return _base(seed, length, purpose, _ALNUM_LOWER)


def upper_alnum(seed: str, length: int, purpose: str = "") -> str:
    return _base(seed, length, purpose, _ALNUM_UPPER)


def digits(seed: str, length: int, purpose: str = "") -> str:
    """``length`` decimal digits, the first never 0 (an AWS account ID keeps all 12)."""
    number = _number(seed, purpose)
    first = 1 + number % 9
    rest = str(number // 9).zfill(length)[-(length - 1) :] if length > 1 else ""
    return f"{first}{rest}"


def uuid(seed: str, purpose: str = "") -> str:
    """A version-4-shaped UUID."""
    h = hex_id(seed, 32, purpose)
    variant = "89ab"[int(h[16], 16) % 4]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def account_id(seed: str, avoid: str = "") -> str:
    """A 12-digit account ID, distinct from ``avoid`` (the management account)."""
    candidate = digits(seed, 12, "account")
    return candidate if candidate != avoid else digits(seed, 12, "account-2")
