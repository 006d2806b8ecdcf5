"""Which properties a resource type has, read from the installed Pulumi SDK packages.

The mocks fill only outputs the type really has (a ``BucketVersioning`` gets
no ``arn``), and autoname only types whose ``name`` is an input, as the
provider does. Package SDKs register every resource module with the Pulumi
runtime; the generated class carries each property's wire name, and its
``_internal_init`` takes exactly the input properties.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tenantctl.pulumi_private import property_names, resource_modules, resource_output_types


@dataclass(frozen=True)
class TypeInfo:
    inputs: frozenset[str]
    outputs: frozenset[str]
    # wire name -> the Python type the SDK checks the output against (``str``, ``Sequence[...]``, ...)
    types: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def computed(self) -> frozenset[str]:
        """Outputs the provider computes (not settable as inputs)."""
        return self.outputs - self.inputs


UNKNOWN_TYPE = TypeInfo(frozenset(), frozenset())


def _properties(cls: Any) -> dict[str, str]:
    """Python name -> wire name of every property a generated class declares."""
    return property_names(cls)


def _output_types(cls: Any) -> dict[str, Any]:
    try:
        return dict(resource_output_types(cls))
    except Exception:  # noqa: BLE001 - unresolvable hints: outputs are then returned as given
        return {}


def _input_names(cls: Any, properties: dict[str, str]) -> frozenset[str]:
    # The generated _internal_init takes exactly the input properties (the Args class name is not
    # reliable: it becomes <Name>InitArgs when a nested type already took <Name>Args).
    init = getattr(cls, "_internal_init", None)
    if init is None:
        return frozenset()
    parameters = inspect.signature(init).parameters
    return frozenset(wire for python_name, wire in properties.items() if python_name in parameters)


@functools.cache
def type_info(type_token: str) -> TypeInfo:
    """Input and output property names (and output types) of a resource type; empty for types no loaded SDK
    knows."""
    parts = type_token.split(":")
    if len(parts) != 3:
        return UNKNOWN_TYPE
    try:
        modules = resource_modules(f"{parts[0]}:{parts[1]}")
        for module in modules:
            info = getattr(module, "mod_info", None)
            if not isinstance(info, dict) or type_token not in info.get("classes", {}):
                continue
            python_module = importlib.import_module(info["fqn"])
            cls = getattr(python_module, info["classes"][type_token])
            properties = _properties(cls)
            return TypeInfo(_input_names(cls, properties), frozenset(properties.values()), _output_types(cls))
    except Exception:  # noqa: BLE001 - metadata is best effort; the mocks fall back to generic outputs
        return UNKNOWN_TYPE
    return UNKNOWN_TYPE


@functools.cache
def invoke_result_types(token: str) -> Mapping[str, Any] | None:
    """Wire name -> declared type of each field of a data source's result; None when no SDK declares it.

    ``aws:ec2/getAmi:getAmi`` is ``pulumi_aws.ec2.get_ami`` returning ``pulumi_aws.ec2.GetAmiResult``;
    ``index`` is the package's top level.
    """
    parts = token.split(":")
    if len(parts) != 3 or "/" not in parts[1] or not parts[2]:
        return None
    package, (module, _) = parts[0], parts[1].split("/", 1)
    if keyword.iskeyword(module):
        module += "_"  # ``lambda`` is ``pulumi_aws.lambda_``
    python_module = f"pulumi_{package.replace('-', '_')}" + ("" if module == "index" else f".{module}")
    try:
        from pulumi import _types

        loaded = importlib.import_module(python_module)
        result = getattr(loaded, parts[2][:1].upper() + parts[2][1:] + "Result", None)
        if result is None or not _types.is_output_type(result):
            return None
        return dict(_types.output_type_types(result))
    except Exception:  # noqa: BLE001 - a package not installed, or hints that do not resolve: undeclared
        return None
