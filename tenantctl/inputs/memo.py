"""Parsed input files kept by their content, in this process and, when a cache is in use, on disk.

A fleet check reads the project file and each stack's config several times per stack, and parsing with
the hostile-input reader (YAML 1.2, duplicate keys, line numbers) costs tens of milliseconds per file:
at a hundred stacks that was most of a warm check. A parse is a pure function of the file's bytes and
the reader's sources, so both go into the key; failures are never kept (they are raised again, worded
by the parse). What is kept on disk is JSON only (a shared cache must never hold code to run), with
exact types: a value that would not come back as itself is kept in this process only.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

T = TypeVar("T")

# In this process: by (what, path, content digest).
_PARSED: dict[tuple[str, str, str], Any] = {}
_PARSED_LIMIT = 256
_PARSED_MAX_BYTES = 1 << 20


class ParseStore(Protocol):
    """Where parses outlive the process (``tenantctl.cache.Store``): verified JSON entries by key."""

    def read(self, kind: str, key: str) -> tuple[Any, str] | None: ...

    def write(self, kind: str, key: str, payload: Any) -> str | None: ...


_STORES: list[tuple[ParseStore, str]] = []  # (store, the parser's own fingerprint)


def kept_parses() -> tuple[ParseStore | None, str]:
    """What ``keep_parses_in`` was last given (to restore it)."""
    return _STORES[0] if _STORES else (None, "")


def keep_parses_in(store: ParseStore | None, parser_fingerprint: str = "") -> None:
    """Parses are also kept in ``store`` (None: in this process only), under keys that include
    ``parser_fingerprint`` (the reader's sources: a changed reader never sees an older parse)."""
    _STORES[:] = [(store, parser_fingerprint)] if store is not None else []


def parsed_by_content(path: Path, what: str, parse: Callable[[], T]) -> T:
    """``parse()`` (which reads ``path``), kept by the file's content: a copy of the earlier result when the
    bytes are the same, from this process or from the store ``keep_parses_in`` names. Failures are not
    kept: they are raised again, as the parse words them."""
    try:
        if path.stat().st_size > _PARSED_MAX_BYTES:
            return parse()  # refused by the reader's own size limit, without reading it whole here
        key = (what, str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        return parse()  # reports the problem as usual
    if key not in _PARSED:
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[key] = _stored_parse(key, parse)
    return cast(T, copy.deepcopy(_PARSED[key]))


def _stored_parse(key: tuple[str, str, str], parse: Callable[[], T]) -> T:
    if not _STORES:
        return parse()
    store, fingerprint = _STORES[0]
    name = hashlib.sha256("\0".join((fingerprint, *key)).encode()).hexdigest()
    found = store.read("parse", name)
    if found is not None:
        try:
            return cast(T, _from_json(found[0]))
        except (TypeError, ValueError, KeyError):
            pass  # not what this version writes: parsed again and rewritten
    value = parse()
    try:
        encoded = _to_json(value)
    except TypeError:
        return value  # holds something JSON cannot carry exactly: kept in this process only
    store.write("parse", name, encoded)
    return value


def _to_json(value: Any) -> Any:
    """Parse results as JSON, exactly: tuples tagged, so that they come back as tuples."""
    kind = type(value)  # exact types: a subclass (a YAML library's scalar, say) would not come back as itself
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is tuple:
        return {"t": [_to_json(v) for v in value]}
    if kind is list:
        return [_to_json(v) for v in value]
    if kind is dict and all(type(k) is str for k in value):
        return {"d": {k: _to_json(v) for k, v in value.items()}}
    raise TypeError(f"{type(value).__name__} is not kept")


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"t"} and isinstance(value["t"], list):
            return tuple(_from_json(v) for v in value["t"])
        if set(value) == {"d"} and isinstance(value["d"], dict):
            return {k: _from_json(v) for k, v in value["d"].items()}
        raise ValueError("not a kept parse")
    return value
