"""EventBridge event patterns, matched against sample events the way EventBridge matches them.

Supports what routing rules use: literal values, ``prefix``, ``suffix``,
``equals-ignore-case``, ``wildcard``, ``anything-but``, ``exists``, ``numeric``
and ``$or``. A pattern field missing from the event matches only
``{"exists": false}``; an array in the event matches when any element does.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any

from policies.framework import as_list
from policies.rules._common.policy_documents import PolicyDocumentError, decode_json

_MISSING = object()
_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


class PatternError(ValueError):
    pass


def load(value: Any) -> Mapping[str, Any] | None:
    try:
        value = decode_json(value)
    except PolicyDocumentError as error:
        raise PatternError(str(error)) from None
    if value is None:
        return None
    if not isinstance(value, Mapping) or not value:
        raise PatternError("is not a non-empty JSON object")
    return value


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    for key in pattern:
        spec = pattern[key]
        if key == "$or":
            if not any(isinstance(alt, Mapping) and matches(alt, event) for alt in as_list(spec)):
                return False
            continue
        value = event.get(key, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(spec, Mapping):
            candidates = value if isinstance(value, list) else [value]
            if not any(isinstance(v, Mapping) and matches(spec, v) for v in candidates):
                return False
        elif not any(_leaf(matcher, value) for matcher in as_list(spec)):
            return False
    return True


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _leaf(matcher: Any, value: Any) -> bool:
    if isinstance(matcher, Mapping):
        if "exists" in matcher:
            return (value is not _MISSING) == bool(matcher["exists"])
        if value is _MISSING:
            return False
        if isinstance(value, list):
            return any(_leaf(matcher, v) for v in value)
        return _content(matcher, value)
    if value is _MISSING:
        return False
    if isinstance(value, list):
        return any(_leaf(matcher, v) for v in value)
    left, right = _number(matcher), _number(value)
    if left is not None and right is not None:
        return left == right
    return bool(matcher == value)


def _content(matcher: Mapping[str, Any], value: Any) -> bool:
    text = value if isinstance(value, str) else None
    if "numeric" in matcher:
        number = _number(value)
        terms = list(as_list(matcher["numeric"]))
        if number is None or len(terms) % 2:
            return False
        return all(
            isinstance(op, str)
            and op in _COMPARE
            and _number(bound) is not None
            and _COMPARE[op](number, float(bound))
            for op, bound in zip(terms[::2], terms[1::2], strict=True)
        )
    if "prefix" in matcher:
        prefix = matcher["prefix"]
        if isinstance(prefix, Mapping) and "equals-ignore-case" in prefix:
            return text is not None and text.lower().startswith(str(prefix["equals-ignore-case"]).lower())
        return text is not None and text.startswith(str(prefix))
    if "suffix" in matcher:
        return text is not None and text.endswith(str(matcher["suffix"]))
    if "equals-ignore-case" in matcher:
        return text is not None and text.lower() == str(matcher["equals-ignore-case"]).lower()
    if "wildcard" in matcher:
        return text is not None and fnmatch.fnmatchcase(text, str(matcher["wildcard"]).replace("?", "[?]"))
    if "anything-but" in matcher:
        excluded = matcher["anything-but"]
        if isinstance(excluded, Mapping):
            return not _content(excluded, value)
        return not any(_leaf(item, value) for item in as_list(excluded))
    return False


def accepts_all(pattern: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> bool:
    return all(matches(pattern, event) for event in events)
