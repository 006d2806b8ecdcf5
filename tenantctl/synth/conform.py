"""Outputs in the types the SDK declares: JSON documents given as dicts come back as strings.

pulumi_aws accepts a dict or list for a property typed ``str`` that holds a JSON
document (``aws.iam.Role(assume_role_policy={...})``, ``aws.s3.BucketPolicy(policy={...})``,
``RoleInlinePolicy.policy``...): the SDK sends the object as is and the provider
returns the document as a JSON string. A mock that echoed the object back would
make the SDK reject the output ("Unexpected type; expected a value of type
`<class 'str'>`") and fail a program that works with the real provider. So
wherever the declared output type is ``str`` and the input is an object or a
list, the output is its JSON text, keys sorted so the synth stays deterministic.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from tenantctl.synth import wire


def _contains_unknown(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return bool(value == wire.UNKNOWN)


def _as_json_text(value: Any) -> Any:
    # A document with a value unknown until deployment is unknown as a whole, as the engine has it.
    if _contains_unknown(value):
        return wire.UNKNOWN
    # The wire carries numbers as doubles: 5.0 in the program's dict is 5 in the provider's JSON.
    plain = wire.to_json(wire.unwrap(value))
    text = json.dumps(plain, sort_keys=True, ensure_ascii=False)
    return wire.secret(text) if wire.contains_secret(value) else text


def _fields(output_type: Any) -> Mapping[str, Any]:
    from pulumi import _types

    try:
        return _types.output_type_types(output_type) if _types.is_output_type(output_type) else {}
    except Exception:  # noqa: BLE001 - type hints are best effort; without them the value stays as given
        return {}


def conform(value: Any, declared: Any) -> Any:
    """``value`` in the shape the SDK expects for type ``declared``; the same object when nothing changes."""
    if wire.is_secret(value):
        inner = value.get("value")
        conformed = conform(inner, declared)
        return value if conformed is inner else wire.secret(conformed)
    if declared is str:
        return _as_json_text(value) if isinstance(value, Mapping | list) else value
    origin = typing.get_origin(declared)
    args = typing.get_args(declared)
    if isinstance(value, list) and origin in (list, Sequence) and len(args) == 1:
        items = [conform(item, args[0]) for item in value]
        return items if any(new is not old for new, old in zip(items, value, strict=True)) else value
    if isinstance(value, Mapping) and origin in (dict, Mapping) and len(args) == 2:
        entries = {key: conform(item, args[1]) for key, item in value.items()}
        return entries if any(entries[key] is not value[key] for key in value) else value
    if isinstance(value, Mapping):
        fields = _fields(declared)
        if fields:
            members = {
                key: conform(item, fields[key]) if key in fields else item for key, item in value.items()
            }
            return members if any(members[key] is not value[key] for key in value) else value
    return value


def string_documents(inputs: Mapping[str, Any], types: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs whose declared type asks for JSON text where the inputs hold objects (see module doc)."""
    changed: dict[str, Any] = {}
    for prop, value in inputs.items():
        declared = types.get(prop)
        if declared is None:
            continue
        conformed = conform(value, declared)
        if conformed is not value:
            changed[prop] = conformed
    return changed
