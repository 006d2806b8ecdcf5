"""``--set KEY[.path]=VALUE``: config overrides with ``pulumi config set --path`` semantics.

Pure functions, no I/O. A key without a namespace belongs to the project
(``tenant.vpcCidr`` is ``<project>:tenant.vpcCidr``); the rest of the key is a
property path as the Pulumi CLI parses it: ``.name``, ``[0]`` and ``["quoted.name"]``.
Values are YAML, so ``400`` is a number, ``true`` a boolean and ``[a, b]`` a list;
an integer written with a leading zero stays a string, as the CLI keeps it
(``0123`` would otherwise silently lose its zero).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tenantctl.errors import UserError
from tenantctl.inputs import DEFAULT_LIMITS, InputError, parse_yaml_text, shown

Segment = str | int

EXAMPLE = "tenant-zone:tenant.vpcCidr=10.9.0.0/16"
_LEADING_ZERO_INT = re.compile(r"[-+]?0[0-9]+")
# A namespace is a package name (``aws``, ``tenant-zone``): a space or a control character would make a key
# the program never reads, so the value would be silently ignored.
_NAMESPACE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Override:
    """One ``--set``: the full config key, the path inside its value and the new value."""

    text: str
    key: str
    path: tuple[Segment, ...]
    value: Any
    raw: str


def _bad(text: str, why: str) -> UserError:
    return UserError(
        f"--set {shown(text)}: {why}; expected KEY=VALUE where KEY is a config key with an optional "
        f"path, e.g. --set '{EXAMPLE}' or --set aws:region=ap-northeast-1."
    )


def parse_path(text: str) -> list[Segment]:
    """Split a property path (``a.b[0]["c.d"]``) into names and indexes; ValueError on bad syntax."""
    segments: list[Segment] = []
    rest = text
    if not rest:
        raise ValueError("the key is empty")
    while rest:
        if rest[0] == ".":
            raise ValueError("a path element is empty (two dots, or a dot at the start)")
        if rest[0] == "[":
            if rest[1:2] == '"':
                name_chars: list[str] = []
                i = 2
                while True:
                    if i >= len(rest):
                        raise ValueError("a quoted name has no closing quote")
                    if rest[i] == "\\" and rest[i + 1 : i + 2] == '"':
                        name_chars.append('"')
                        i += 2
                    elif rest[i] == '"':
                        i += 1
                        break
                    else:
                        name_chars.append(rest[i])
                        i += 1
                if rest[i : i + 1] != "]":
                    raise ValueError("a quoted name is not followed by ']'")
                segments.append("".join(name_chars))
                rest = rest[i + 1 :]
            else:
                close = rest.find("]")
                if close == -1:
                    raise ValueError("an index has no closing ']'")
                index_text = rest[1:close]
                if not index_text.isdigit():
                    raise ValueError(f"index [{index_text}] is not a non-negative integer")
                segments.append(int(index_text))
                rest = rest[close + 1 :]
        else:
            end = len(rest)
            for stop in (".", "["):
                found = rest.find(stop)
                if found != -1:
                    end = min(end, found)
            segments.append(rest[:end])
            rest = rest[end:]
        if rest:
            if rest[0] == ".":
                rest = rest[1:]
                if not rest:
                    raise ValueError("the path ends with a dot")
            elif rest[0] != "[":
                raise ValueError(f"expected '.' or '[' before {shown(rest)}")
    return segments


def parse_value(raw: str, source: str = "--set") -> Any:
    """A ``--set`` value: YAML, except that the empty value is the empty string (InputError when
    malformed)."""
    if raw == "":
        return ""
    value = parse_yaml_text(raw, source).to_python()
    if isinstance(value, int) and not isinstance(value, bool) and _LEADING_ZERO_INT.fullmatch(raw.strip()):
        return raw
    return value


def parse_override(text: str, project_name: str) -> Override:
    """``KEY[.path]=VALUE`` -> Override (UserError with the fix on bad syntax)."""
    key_text, sep, raw = text.partition("=")
    if not sep:
        raise _bad(text, "there is no '='")
    if not key_text:
        raise _bad(text, "the key before '=' is empty")
    if key_text != key_text.strip():
        raise _bad(text, f"the key {shown(key_text)} starts or ends with a space")
    head_end = min((i for i in (key_text.find("."), key_text.find("[")) if i != -1), default=len(key_text))
    head = key_text[:head_end]
    if ":" in head:
        namespace, _, name_and_path = key_text.partition(":")
        if not namespace:
            raise _bad(text, "the namespace before ':' is empty")
        if not _NAMESPACE.fullmatch(namespace):
            raise _bad(
                text,
                f"the namespace {shown(namespace)} is not a package name (letters, digits, '-', '_', '.'), "
                "so no program would read the key",
            )
        if name_and_path.startswith("config:"):
            # the CLI still accepts the old <namespace>:config:<name> form
            name_and_path = name_and_path[len("config:") :]
    else:
        namespace, name_and_path = project_name, key_text
    try:
        segments = parse_path(name_and_path)
    except ValueError as error:
        raise _bad(text, f"the path {shown(name_and_path)} is malformed: {error}") from None
    if len(segments) > DEFAULT_LIMITS.max_depth:
        raise _bad(
            text,
            f"the path has {len(segments)} elements, more than the {DEFAULT_LIMITS.max_depth} levels of"
            " nesting a config value may have",
        )
    unreadable = next((s for s in segments if isinstance(s, str) and not s.isprintable()), None)
    if unreadable is not None:
        raise _bad(
            text,
            f"the path element {shown(unreadable)} has a control or non-printable character, so a reviewer "
            "cannot read the key",
        )
    first = segments[0]
    if (
        not isinstance(first, str)
        or not first
        or ":" in first
        or not first.isprintable()
        or first != first.strip()
    ):
        raise _bad(text, f"the config key {shown(first)} is not a name")
    try:
        value = parse_value(raw, f"--set {shown(text)}")
    except InputError as error:
        joint = " " if error.problem.startswith("is ") else ": "
        at = f" (at column {error.column})" if error.column is not None and error.line == 1 else ""
        raise UserError(
            f"--set {shown(text)}: the value {shown(raw)}{joint}{error.problem}{at}; expected {error.fix}."
        ) from None
    return Override(text, f"{namespace}:{first}", tuple(segments[1:]), value, raw)


def _describe(path: tuple[Segment, ...]) -> str:
    out = ""
    for segment in path:
        out += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
    return out


def apply_override(current: Any, override: Override) -> Any:
    """The key's new value after the override (``current`` is None when the key is unset).

    A top-level override of a scalar keeps the text as typed (the CLI stores it
    verbatim); a mapping or list becomes an object. Inside an object the YAML
    value is used. Missing objects and lists along the path are created, a list
    index may be at most the list's length (which appends), and a path cannot go
    through a scalar.
    """
    if not override.path:
        if isinstance(override.value, Mapping | list):
            return copy.deepcopy(override.value)
        return override.raw
    root = copy.deepcopy(current)
    if isinstance(root, str) and root == "":
        root = None
    if root is not None and not isinstance(root, Mapping | list):
        raise UserError(
            f"--set {shown(override.text)}: config key {override.key} holds the {type(root).__name__}"
            f" {shown(root)}; expected an object to set {_describe(override.path)} inside it (set the whole"
            " key instead)."
        )
    return _set(root, list(override.path), override.value, override, ())


def _set(node: Any, path: list[Segment], value: Any, override: Override, where: tuple[Segment, ...]) -> Any:
    if not path:
        return copy.deepcopy(value)
    segment, rest = path[0], path[1:]
    here = (*where, segment)
    if node is None:
        node = [] if isinstance(segment, int) else {}
    if isinstance(segment, int):
        if not isinstance(node, list):
            raise UserError(
                f"--set {shown(override.text)}: {override.key}{_describe(where)} is an object; "
                f"expected a list for the index [{segment}] (use .name for object keys)."
            )
        if segment > len(node):
            raise UserError(
                f"--set {shown(override.text)}: index [{segment}] is out of range for"
                f" {override.key}{_describe(where)} with {len(node)} items; expected at most {len(node)}"
                " (which appends)."
            )
        if segment == len(node):
            node.append(_set(None, rest, value, override, here))
        else:
            node[segment] = _set(
                _descendable(node[segment], rest, override, here), rest, value, override, here
            )
        return node
    if not isinstance(node, dict):
        raise UserError(
            f"--set {shown(override.text)}: {override.key}{_describe(where)} is a list; "
            f"expected an object for the key .{segment} (use [index] for list items)."
        )
    node[segment] = _set(_descendable(node.get(segment), rest, override, here), rest, value, override, here)
    return node


def _descendable(child: Any, rest: list[Segment], override: Override, where: tuple[Segment, ...]) -> Any:
    if rest and child is not None and not isinstance(child, dict | list):
        raise UserError(
            f"--set {shown(override.text)}: {override.key}{_describe(where)} holds the {type(child).__name__}"
            f" {shown(child)}; expected an object or list to set {_describe(tuple(rest))} inside it."
        )
    return child
