"""How rule messages show a property value: JSON-like, so ``false`` reads as the program wrote it."""

from __future__ import annotations

import json
from typing import Any


def shown(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool | int | float | str):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
