"""Preview unknowns as rules meet them.

In a preview the runners wrap resource props in ``pulumi_policy``'s unknown-checking proxy, which
raises ``UnknownValueError`` when a rule touches a value that is not known yet; the rule lets it
propagate and the runner reports "cannot decide". Values that reach a rule around the proxy
(provider props decoded from JSON strings by ``ProviderView.prop``, items fetched for indexing)
still carry the proxy's sentinel strings, so they are checked here.

``pulumi_policy`` is imported only when an error must be raised: it loads the Pulumi SDK, which
rules must not do at import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# pulumi_policy.proxy's UNKNOWN_* values (boolean, number, string, array, asset, archive, object), copied so
# that rules stay plain Python; a test pins them to the installed pulumi_policy.
SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)
# What ``read`` returns for a preview unknown: the proxy's own UNKNOWN_STRING_VALUE, so that
# ``require_known`` turns it back into the proxy's error when the rule cannot decide without it.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in SENTINELS


def unknown_error() -> type[Exception]:
    """``pulumi_policy``'s UnknownValueError (imported late: see the module docstring)."""
    from pulumi_policy.proxy import UnknownValueError

    return UnknownValueError


def is_unknown_error(error: BaseException) -> bool:
    # Matched by name so that catching it does not import the Pulumi SDK.
    return type(error).__name__ == "UnknownValueError"


def require_known(value: Any, path: str) -> Any:
    """``value``, or the error the policy proxy raises for it when it is a preview unknown."""
    if is_unknown(value):
        raise unknown_error()(value, path.split("."))
    return value


def undecidable(reason: str, path: str) -> Exception:
    """The error that makes the runners report the rule as undecided, for a value that is known but that the
    gate cannot judge (a figure AWS publishes that is not recorded here): never a pass on a guess."""
    error = unknown_error()(UNKNOWN, path.split("."))
    error.message = reason  # type: ignore[attr-defined]
    return error


def peek(props: Mapping[str, Any], key: str) -> Any:
    """``props[key]``, or None when it is a preview unknown.

    Only for indexing and exemptions: an unknown value can match no literal, and a rule that
    actually needs the value reads it with ``.get`` and lets the error propagate.
    """
    try:
        value = props.get(key)
    except Exception as error:
        if is_unknown_error(error):
            return None
        raise
    return None if is_unknown(value) else value


def read(props: Mapping[str, Any], key: str) -> Any:
    """``props[key]``, or ``UNKNOWN`` when it is a preview unknown.

    For references the dependency graph can resolve without their value: the caller tries the
    graph and needs the value (``require_known``) only when the graph is ambiguous.
    """
    try:
        value = props.get(key)
    except Exception as error:
        if is_unknown_error(error):
            return UNKNOWN
        raise
    return UNKNOWN if is_unknown(value) else value


def read_items(value: Any) -> list[Any]:
    """A list-valued property's items, each ``UNKNOWN`` where it is a preview unknown."""
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        found = []
        for index in range(len(value)):
            try:
                item = value[index]
            except Exception as error:
                if not is_unknown_error(error):
                    raise
                item = UNKNOWN
            found.append(UNKNOWN if is_unknown(item) else item)
        return found
    return [value]
