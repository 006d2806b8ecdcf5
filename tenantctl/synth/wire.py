"""Property values on the Pulumi wire (protobuf ``Struct``) and in the synth JSON.

The SDK marks special values with a signature key: secrets, resource
references, output values, assets. Decoded values keep secrets wrapped; the
synth JSON keeps them so too, plaintext inside the secret wrapper, because
that is what the engine sends an analyzer (it starts policy packs with
secrets kept): a rule must see offline what it would see in ``pulumi
preview``. Integral numbers are written as integers (the wire only has
doubles). Unknown values travel as the SDK's unknown
sentinel string, which is pulumi_policy's ``UNKNOWN_STRING_VALUE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2

SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def secret(value: Any) -> dict[str, Any]:
    return {SIG: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get(SIG) == SECRET_SIG


def unwrap(value: Any) -> Any:
    """The plain value: secret wrappers removed, at any depth."""
    if isinstance(value, Mapping):
        if value.get(SIG) == SECRET_SIG:
            return unwrap(value.get("value"))
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


REDACTED = "[secret]"


def redact(value: Any) -> Any:
    """The value with each secret's plaintext replaced by ``[secret]``, the wrapper kept: what a file
    written for people and CI artifacts may hold (as ``pulumi stack export`` without ``--show-secrets``)."""
    if isinstance(value, Mapping):
        if value.get(SIG) == SECRET_SIG:
            return secret(REDACTED)
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def contains_secret(value: Any) -> bool:
    if isinstance(value, Mapping):
        return value.get(SIG) == SECRET_SIG or any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False


def decode_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        return value.number_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return _decode_special(decode_struct(value.struct_value))
    if kind == "list_value":
        return [decode_value(item) for item in value.list_value.values]
    return None


def decode_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return {key: decode_value(item) for key, item in struct.fields.items()}


def _decode_special(obj: dict[str, Any]) -> Any:
    sig = obj.get(SIG)
    if sig is None or sig == SECRET_SIG:
        return obj
    if sig == OUTPUT_SIG:
        inner = obj.get("value", UNKNOWN)
        return secret(inner) if obj.get("secret") else inner
    if sig == RESOURCE_SIG:
        # A resource passed as a property: the engine hands providers and policies its ID, else its URN.
        return obj.get("id") or obj.get("urn")
    return obj  # assets and archives stay as the SDK wrote them


def encode_struct(obj: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(obj))
    return struct


def to_json(value: Any) -> Any:
    """A decoded value as it appears in the synth JSON: secrets wrapped, integral numbers as integers."""
    if isinstance(value, Mapping):
        if value.get(SIG) == SECRET_SIG:
            return {SIG: SECRET_SIG, "value": to_json(unwrap(value.get("value")))}
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
