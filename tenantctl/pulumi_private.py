"""Every reach into a private Pulumi internal, in one place.

The offline synth runs Pulumi programs in-process without the engine, so it needs a few things the SDKs do not
export: which transform callbacks a program registered, the wire names of a generated resource class's
properties, the declared output types, and the resource modules an SDK registered. Pulumi may change any of
them in a release without notice. Nothing outside this module names them; a test exercises each one against
the installed SDKs and fails naming the symbol when an upgrade moves it (README, "Upgrading Pulumi")."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

# The versions these reaches were written against (pyproject.toml pins them).
PULUMI_VERSION = "3.272.0"
PULUMI_POLICY_VERSION = "1.21.0"


def engine_not_applicable_error() -> type[Exception]:
    """The exception the engine's policy args raise from ``args.not_applicable()`` (tests of the pack only;
    the gate's own args raise ``tenantctl.gate.adapt.RuleNotApplicable``)."""
    from pulumi_policy import policy

    error: type[Exception] = policy._NotApplicableError
    return error


def find_transform_callback(token: str) -> tuple[Callable[[bytes], Any], asyncio.AbstractEventLoop] | None:
    """The program's callback registered under ``token`` and the loop it runs on, if any servicer has it."""
    from pulumi.runtime._callbacks import _CallbackServicer

    for servicer in list(_CallbackServicer._servicers):
        callback = servicer._callbacks.get(token)
        if callback is not None:
            return callback, servicer._loop
    return None


def property_names(cls: Any) -> dict[str, str]:
    """Python name -> wire name of every property a generated resource or input class declares."""
    from pulumi import _types

    return {python_name: pulumi_name for python_name, pulumi_name, _ in _types._py_properties(cls)}


def resource_output_types(cls: Any) -> Mapping[str, Any]:
    """The declared type of each output of a generated resource class."""
    from pulumi import _types

    return dict(_types.resource_types(cls))


def output_type_fields(output_type: Any) -> Mapping[str, Any]:
    """The declared fields of a generated output type; empty for anything else."""
    from pulumi import _types

    return _types.output_type_types(output_type) if _types.is_output_type(output_type) else {}


def resource_modules(package_and_module: str) -> list[Any]:
    """The resource modules an SDK registered for the first two parts of a type token
    (``aws:s3/bucketV2``)."""
    from pulumi.runtime import rpc

    return list(rpc._RESOURCE_MODULES.get(package_and_module) or [])


def analyzer_servicer(pack_name: str, policies: list[Any], enforcement_level: Any) -> Any:
    """The analyzer servicer ``PolicyPack`` serves over gRPC, built in-process (no server, no port)."""
    from pulumi_policy import policy

    return policy._PolicyAnalyzerServicer(pack_name, "0.0.1", policies, enforcement_level)


def servicer_enforcement(servicer: Any, policy: Any) -> Any:
    """The enforcement level the servicer applies to ``policy`` after ``Configure``."""
    return servicer._get_enforcement_level(policy)


def servicer_policy_config(servicer: Any, name: str) -> dict[str, Any] | None:
    """The properties the servicer hands ``name``'s args (``args.get_config()``) after ``Configure``."""
    config: dict[str, Any] | None = servicer._get_policy_config(name)
    return config


def servicer_stack_tags(servicer: Any) -> Mapping[str, str]:
    """The stack tags the servicer hands every policy's args after ``ConfigureStack``."""
    tags: Mapping[str, str] = servicer._PolicyAnalyzerServicer__stack_tags
    return tags
