"""Nested inputs checked against the installed SDK's input types, as the provider's Check would reject them.

pulumi_aws checks keyword arguments when a resource is constructed, but a plain
dict inside them (``not_statement={"statements": [...]}`` where pulumi-aws 7 has
``statement``) reaches the wire unchanged, and ``pulumi up`` would then fail at
the provider's Check. Each generated ``<Name>Args`` input class names its
properties (wire name -> declared type) and which of them its constructor
requires, so the synth can say what the provider would: an unknown key (with
the known keys closest to it), an object where a list belongs or the reverse,
a required nested field left out. Top-level keywords are the SDK's own check.
"""

from __future__ import annotations

import collections.abc
import difflib
import functools
import importlib
import inspect
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tenantctl.synth import wire

CLOSEST = 3


@dataclass(frozen=True)
class InputProblem:
    path: str  # rules[0].statement.notStatement.statements
    what: str  # is not an input of ...
    expected: str

    def message(self, type_: str, name: str) -> str:
        return f"{type_} {name}: input {self.path} {self.what}; expected {self.expected}."


def _is_input_class(typ: Any) -> bool:
    from pulumi import _types

    return isinstance(typ, type) and _types.is_input_type(typ)


def _members(typ: Any) -> list[Any]:
    """The types an input accepts once ``Input[...]`` (awaitables, outputs) and ``Optional`` are peeled
    off."""
    if typing.get_origin(typ) is not typing.Union:
        return [typ]
    found: list[Any] = []
    for member in typing.get_args(typ):
        if member is type(None) or typing.get_origin(member) is collections.abc.Awaitable:
            continue
        if getattr(typing.get_origin(member) or member, "__name__", "") == "Output":
            continue
        found.extend(_members(member))
    return found or [Any]


def _shape(typ: Any) -> str:
    origin = typing.get_origin(typ)
    if _is_input_class(typ) or origin in (dict, collections.abc.Mapping):
        return "object"
    if origin in (list, collections.abc.Sequence):
        return "list"
    return "scalar"


def _plain(typ: Any, value: Any) -> Any:
    """The accepted type that fits the value's shape (``str`` or ``PolicyDocumentArgs`` for a policy)."""
    members = _members(typ)
    if any(m is Any for m in members):
        return Any
    shape = "object" if isinstance(value, Mapping) else "list" if isinstance(value, list) else "scalar"
    # a JSON document typed ``str`` may be given as an object or a list: the SDK sends it as is
    if str in members:
        return str
    return next((m for m in members if _shape(m) == shape), members[0])


@functools.cache
def _properties(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """(wire name -> type, required wire names) of an input class."""
    from pulumi import _types

    types = dict(_types.input_type_types(cls))
    names = _types.input_type_py_to_pulumi_names(cls)
    try:
        parameters: list[inspect.Parameter] = list(inspect.signature(cls.__init__).parameters.values())  # type: ignore[misc]
    except (TypeError, ValueError):
        parameters = []
    required = frozenset(
        names.get(p.name, p.name)
        for p in parameters
        if p.name != "self" and p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY
    )
    return types, required


@functools.cache
def args_class(type_token: str) -> type | None:
    """The ``<Name>Args`` input class of a resource type, from the SDK module that registers it."""
    parts = type_token.split(":")
    if len(parts) != 3:
        return None
    try:
        from pulumi.runtime import rpc

        for module in rpc._RESOURCE_MODULES.get(f"{parts[0]}:{parts[1]}") or []:
            info = getattr(module, "mod_info", None)
            if not isinstance(info, dict) or type_token not in info.get("classes", {}):
                continue
            python_module = importlib.import_module(info["fqn"])
            class_name = info["classes"][type_token]
            for candidate in (f"{class_name}Args", f"{class_name}InitArgs"):
                found = getattr(python_module, candidate, None)
                if _is_input_class(found):
                    return typing.cast(type, found)
    except Exception:  # noqa: BLE001 - metadata is best effort: an undescribed type is not checked
        return None
    return None


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"the {type(value).__name__} {value!r}"


def _walk(value: Any, typ: Any, path: str, found: list[InputProblem]) -> None:
    value = wire.unwrap(value)
    if value is None or value == wire.UNKNOWN:
        return
    typ = _plain(typ, value)
    origin = typing.get_origin(typ)
    if _is_input_class(typ):
        if not isinstance(value, Mapping):
            found.append(InputProblem(path, f"is {_kind(value)}", f"an object ({typ.__name__})"))
            return
        types, required = _properties(typ)
        for key in sorted(value):
            if key not in types:
                closest = difflib.get_close_matches(key, sorted(types), n=CLOSEST, cutoff=0.0)
                found.append(
                    InputProblem(
                        f"{path}.{key}",
                        f"is not an input of {typ.__name__}",
                        f"one of its keys ({', '.join(closest)} closest)" if closest else "no key here",
                    )
                )
            else:
                _walk(value[key], types[key], f"{path}.{key}", found)
        for key in sorted(required - set(value)):
            found.append(InputProblem(f"{path}.{key}", f"is missing, required by {typ.__name__}", "a value"))
    elif origin in (list, collections.abc.Sequence):
        if isinstance(value, Mapping):
            found.append(InputProblem(path, "is an object", "a list"))
            return
        if isinstance(value, list):
            (item,) = typing.get_args(typ) or (Any,)
            for index, element in enumerate(value):
                _walk(element, item, f"{path}[{index}]", found)
    elif origin in (dict, collections.abc.Mapping):
        if isinstance(value, list):
            found.append(InputProblem(path, "is a list", "an object"))
            return
        if isinstance(value, Mapping):
            args = typing.get_args(typ)
            for key in sorted(value):
                if len(args) == 2:
                    _walk(value[key], args[1], f"{path}.{key}", found)


def check(type_token: str, inputs: Mapping[str, Any]) -> list[InputProblem]:
    """What the provider's Check would reject in the resource's nested inputs (empty when all is well)."""
    cls = args_class(type_token)
    if cls is None:
        return []
    types, _ = _properties(cls)
    found: list[InputProblem] = []
    for key in sorted(inputs):
        if key in types:
            _walk(inputs[key], types[key], key, found)
    return found
