"""Pulumi AWS names to Terraform names, driven by the generated data in ``data/terraform_aws.json``.

The data (from ``tools/gen/terraform_names.py``) maps every ``aws:`` resource token of the installed
pulumi_aws to its Terraform type, lists the tokens no Terraform type matches, and holds each Terraform
type's attribute tree (which names are blocks, lists of blocks or nested objects). Property names are
resolved against that tree: camelCase to snake_case, then Pulumi's plural list names back to Terraform's
singular block names (``rules`` -> ``rule``, ``defaultActions`` -> ``default_action``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "terraform_aws.json"

# A Terraform attribute tree: name -> 0 (a value) or [shape, subtree], shape one of LIST, BLOCK, OBJECT.
Schema = dict[str, Any]
LIST = "list"
BLOCK = "block"
OBJECT = "object"
# Nested blocks the schema leaves untyped (wafv2 rule statements nest without limit).
ANY = "any"

_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


@dataclass(frozen=True)
class Names:
    """The loaded mapping data."""

    resources: dict[str, str]
    unmapped: dict[str, str]
    schemas: dict[str, Schema]
    sources: dict[str, str] = field(default_factory=dict)


@cache
def names() -> Names:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return Names(raw["resources"], raw["unmapped"], raw["schemas"], raw["sources"])


def snake(name: str) -> str:
    """``serverSideEncryptionConfiguration`` -> ``server_side_encryption_configuration``."""
    return _CAMEL.sub(r"_\1", _ACRONYM.sub(r"\1_\2", name)).lower()


def terraform_type(token: str) -> str | None:
    """The Terraform type of a Pulumi AWS resource token, or None when there is none."""
    return names().resources.get(token)


def _singulars(name: str) -> list[str]:
    """Terraform singular candidates for a Pulumi plural name (the bridge pluralizes list blocks)."""
    out: list[str] = []
    if name.endswith("ies"):
        out.append(name[:-3] + "y")
    if name.endswith("es"):
        out.append(name[:-2])
    if name.endswith("s"):
        out.append(name[:-1])
    return out


def attribute(pulumi_name: str, schema: Schema, terraform: str | None = None) -> str | None:
    """The Terraform attribute a Pulumi property is, or None when the tree has none that matches."""
    base = snake(pulumi_name)
    if base in schema:
        return base
    for candidate in _singulars(base):
        if candidate in schema:
            return candidate
    for suffix in ("_arn", "_id"):
        # The bridge drops these suffixes from some references (aws_sns_topic_subscription.topic_arn is
        # ``topic``).
        if base + suffix in schema:
            return base + suffix
    if base == "name" and terraform:
        # The bridge renames ``<noun>_name`` to ``name`` (aws_lambda_function.function_name is ``name``).
        parts = terraform.split("_")[1:]
        for start in range(len(parts)):
            candidate = "_".join(parts[start:]) + "_name"
            if candidate in schema:
                return candidate
    return None


@dataclass
class Conversion:
    """Converted values and the property paths that matched no Terraform attribute."""

    values: dict[str, Any]
    unmatched: list[str] = field(default_factory=list)


def convert(properties: dict[str, Any], schema: Schema, terraform: str | None = None) -> Conversion:
    """Pulumi properties (camelCase, plural lists, single blocks as objects) as Terraform values.

    Blocks become lists as in a Terraform plan; map attributes (tags) keep their keys as written; a
    property matching no attribute keeps its snake_case name and is listed in ``unmatched``.
    """
    unmatched: list[str] = []
    values = _convert_object(properties, schema, terraform, "", unmatched)
    return Conversion(values, unmatched)


def _convert_object(
    properties: dict[str, Any], schema: Schema, terraform: str | None, path: str, unmatched: list[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in properties.items():
        name = attribute(key, schema, terraform)
        if name is None:
            unmatched.append(f"{path}{key}")
            out[snake(key)] = value
            continue
        spec = schema[name]
        if spec == ANY:
            out[name] = [_untyped(value)] if isinstance(value, dict) else _untyped(value)
            continue
        if spec == 0 or value is None:
            out[name] = value
            continue
        shape, subtree = spec
        where = f"{path}{key}."
        if isinstance(value, list):
            out[name] = [
                _convert_object(item, subtree, None, where, unmatched) if isinstance(item, dict) else item
                for item in value
            ]
        elif isinstance(value, dict):
            converted = _convert_object(value, subtree, None, where, unmatched)
            out[name] = converted if shape == OBJECT else [converted]
        else:
            out[name] = value
    return out


def _untyped(value: Any) -> Any:
    """Blocks without a schema, converted by the bridge's own rules: snake_case names, plural names of
    lists of blocks made singular, each block a list (as Terraform writes blocks in a plan)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = snake(key)
            if isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
                singular = _singulars(name)
                out[singular[-1] if singular else name] = [_untyped(i) for i in item]
            elif isinstance(item, dict):
                out[name] = [_untyped(item)]
            else:
                out[name] = item
        return out
    if isinstance(value, list):
        return [_untyped(v) for v in value]
    return value
