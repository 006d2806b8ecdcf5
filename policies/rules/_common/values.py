"""Scalar inputs as raw programs write them, and how messages show them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from policies.framework import as_list, truthy


def text(value: Any) -> str | None:
    """A non-empty string, else None (absent, empty, or a nested block)."""
    return value if isinstance(value, str) and value.strip() else None


def single(value: Any) -> Mapping[str, Any] | None:
    """A nested block written once: the object itself, or the only item of a one-element list."""
    items = as_list(value)
    return items[0] if len(items) == 1 and isinstance(items[0], Mapping) else None


def strings(value: Any) -> list[str]:
    """The string items of a value written as one string or a list."""
    return [v for v in as_list(value) if isinstance(v, str)]


def number(value: Any) -> float | None:
    """Numbers arrive as ints, floats (the wire) or strings (YAML, raw dicts); None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def shown_number(value: float | None) -> str:
    """``30.0`` -> ``30``; ``None`` -> ``not set``."""
    if value is None:
        return "not set"
    return str(int(value)) if value == int(value) else str(value)


def shown(value: Any) -> str:
    """A property value JSON-like, so ``false`` reads as the program wrote it."""
    if value is None:
        return "not set"
    if isinstance(value, bool | int | float | str):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def is_false(value: Any) -> bool:
    """Explicitly switched off (absent is not false: the caller knows the AWS default)."""
    return value is not None and not truthy(value)
