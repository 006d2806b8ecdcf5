"""Values of the right shape for outputs nobody computes specifically: every declared output gets one.

The SDK declares each output of a resource (and each field of a data source's
result) with its Python type: ``str``, ``bool``, numbers, ``Sequence[...]``,
``Mapping[str, ...]`` or a generated ``@output_type`` class. A program that
reads an output the fake provider does not return gets ``None`` and fails in
its own code (``api.execution_arn.apply(lambda a: a + "/*")``); the real
provider always returns something. So every output is filled with a value of
its declared type, realistic where the property name tells the pattern (ARNs,
IDs, endpoints and URLs in the resource's region and account), and a
deterministic hash of the resource otherwise.

Lists hold one element (programs index ``[0]``: an EKS cluster's
``identities[0].oidcs[0].issuer``), per-zone lists (subnets, zones) one per
availability zone of the region; maps are empty unless a name is known.
"""

from __future__ import annotations

import base64
import collections.abc
import enum
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from tenantctl.synth import ids
from tenantctl.synth.awsenv import availability_zones

# Nested output classes refer to each other; a cycle ends with an empty object at this depth.
MAX_DEPTH = 6
FIXED_TIME = "2026-01-01T00:00:00Z"

# Maps whose keys the program reads by name, with the AWS documentation of the keys.
KNOWN_MAPS: dict[tuple[str, str], tuple[str, ...]] = {
    # https://docs.aws.amazon.com/appsync/latest/APIReference/API_GraphqlApi.html (uris: GRAPHQL, REALTIME)
    ("aws:appsync/graphQLApi:GraphQLApi", "uris"): ("GRAPHQL", "REALTIME"),
}


@dataclass(frozen=True)
class Where:
    """What a generated value may mention: the resource's identity and place."""

    seed: str  # normally the URN; values are hashes of it
    type: str
    name: str
    region: str
    account: str
    partition: str = "aws"

    @property
    def service(self) -> str:
        parts = self.type.split(":")
        return parts[1].split("/", 1)[0] if len(parts) == 3 else "service"


def _words(prop: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", prop)]


def _text(prop: str, where: Where, path: str) -> str:
    words = _words(prop)
    last = words[-1] if words else ""
    seed = f"{where.seed}/{path}"
    region = where.region or "ap-northeast-1"
    if last == "arn" or last == "arns":
        kind = "-".join(words[:-1]) or where.service
        return (
            f"arn:{where.partition}:{where.service}:{region}:{where.account}:"
            f"{kind}/{where.name}-{ids.hex_id(seed, 8)}"
        )
    host = f"{ids.lower_alnum(seed, 10)}.{where.service}.{region}.amazonaws.com"
    if last in ("endpoint", "url", "uri", "urls", "uris", "issuer"):
        return f"https://{host}"
    if last in ("hostname", "host") or words[-2:] == ["dns", "name"] or last == "domain":
        return host
    if last in ("date", "time", "timestamp") or words[-2:] in (["created", "at"], ["updated", "at"]):
        return FIXED_TIME
    if last == "data" or "certificate" in words:
        return base64.b64encode(f"-----BEGIN CERTIFICATE-----\n{ids.hex_id(seed, 48)}\n".encode()).decode()
    if last == "account" or words[-2:] == ["account", "id"] or words[-2:] == ["owner", "id"]:
        return where.account
    if last == "region":
        return region
    if last == "status" or last == "state":
        return "ACTIVE"
    if last in ("id", "ids"):
        return f"{where.name}-{ids.hex_id(seed, 8)}"
    return f"{where.name}-{ids.lower_alnum(seed, 8)}"


def _list_length(prop: str, where: Where) -> int:
    """Per-zone lists (subnets, zones) have one element per availability zone of the region, others one."""
    words = set(_words(prop))
    if words & {"subnet", "subnets", "zone", "zones", "az", "azs"}:
        return max(1, len(availability_zones(where.region or "ap-northeast-1")))
    return 1


def _strip_optional(typ: Any) -> Any:
    if typing.get_origin(typ) is typing.Union:
        members = [a for a in typing.get_args(typ) if a is not type(None)]
        return members[0] if members else Any
    return typ


def value_of(typ: Any, prop: str, where: Where, path: str = "", depth: int = 0) -> Any:
    """A deterministic value of type ``typ`` for property ``prop`` (``path`` locates it for the seed)."""
    from pulumi import _types

    typ = _strip_optional(typ)
    path = path or prop
    origin = typing.get_origin(typ)
    if typ is str:
        return _text(prop, where, path)
    if isinstance(typ, type) and issubclass(typ, enum.Enum):
        return next(iter(typ)).value
    if isinstance(typ, type) and issubclass(typ, pulumi.Resource):
        # A resource reference needs a registered resource behind it: the output stays unset.
        return None
    if typ is bool:
        return False
    if typ in (int, float):
        return 0
    if origin in (list, collections.abc.Sequence, typing.Sequence):
        (item,) = typing.get_args(typ) or (str,)
        count = _list_length(prop, where)
        elements = [value_of(item, prop, where, f"{path}[{i}]", depth + 1) for i in range(count)]
        return [e for e in elements if e is not None]
    if origin in (dict, collections.abc.Mapping, typing.Mapping):
        args = typing.get_args(typ)
        keys = KNOWN_MAPS.get((where.type, prop), ())
        item = args[1] if len(args) == 2 else str
        # each value named after the map (``uris`` -> URLs)
        return {key: value_of(item, prop, where, f"{path}.{key}", depth + 1) for key in keys}
    if isinstance(typ, type) and _types.is_output_type(typ):
        if depth >= MAX_DEPTH:
            return {}
        return fill(_output_type_types(typ), where, path, depth + 1)
    return _text(prop, where, path)


def _output_type_types(cls: type) -> Mapping[str, Any]:
    from pulumi import _types

    try:
        return _types.output_type_types(cls)
    except Exception:  # noqa: BLE001 - unresolvable hints: the object stays empty
        return {}


def coerce(value: Any, typ: Any) -> Any:
    """``value`` as the provider returns it for a field of type ``typ``; None when it cannot be.

    The provider converts what the program passes into the schema's type (``most_recent="true"`` comes
    back as ``True``), and the SDK rejects a result field of the wrong type.
    """
    typ = _strip_optional(typ)
    if typ is bool:
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        return True if text == "true" else False if text == "false" else None
    if typ in (int, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        try:
            return float(str(value))
        except ValueError:
            return None
    if typ is str:
        return value if isinstance(value, str) else None
    return value


def fill(types: Mapping[str, Any], where: Where, path: str = "", depth: int = 0) -> dict[str, Any]:
    """A value for every property in ``types`` (wire name -> declared Python type)."""
    return {
        prop: value_of(typ, prop, where, f"{path}.{prop}" if path else prop, depth)
        for prop, typ in sorted(types.items())
    }
