"""A stack's resources as a Terraform plan JSON that checkov's ``terraform_plan`` framework scans.

What checkov reads (https://developer.hashicorp.com/terraform/internals/json-format):
``planned_values.root_module.resources[]`` (``address``, ``mode``, ``type``, ``name``, ``values``),
``resource_changes[]`` and ``configuration.root_module.resources[].expressions.<attr>.references``, which
its connected-resource checks follow (a bucket to its public access block, encryption, versioning,
logging). Pulumi records which resources a property came from (``propertyDependencies``); each becomes a
reference to the address of that resource, to ``.arn`` when the value is its ARN, else ``.id``.

Each exported resource keeps its Pulumi URN in ``pulumi_urns`` (address -> URN), so findings come back
to the Pulumi resource. Non-AWS custom resources and AWS tokens without a Terraform type are listed in
``unmapped`` of the export result: reported, never dropped in silence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tenantctl.export.names import attribute, names, terraform_type
from tenantctl.export.names import convert as convert_properties
from tenantctl.export.sources import UNKNOWN, Document, Resource

FORMAT_VERSION = "1.2"
# The Terraform version the plan claims; checkov requires the key, not a particular value.
TERRAFORM_VERSION = "1.9.8"
_NAME = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Unmapped:
    urn: str
    type: str
    reason: str


@dataclass
class Export:
    """The plan, where each address came from, and what could not be exported."""

    plan: dict[str, Any]
    urns: dict[str, str]
    unmapped: list[Unmapped] = field(default_factory=list)
    # URN -> property paths that matched no Terraform attribute (kept under their snake_case name)
    unmatched: dict[str, list[str]] = field(default_factory=dict)


def _address_name(name: str, taken: set[str], tf_type: str) -> str:
    base = _NAME.sub("_", name) or "_"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "_" + base
    candidate, n = base, 2
    while f"{tf_type}.{candidate}" in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def _drop_unknown(value: Any) -> Any:
    """Values unknown until deployment are left out, as Terraform leaves them out of planned values."""
    if isinstance(value, dict):
        return {k: _drop_unknown(v) for k, v in value.items() if v != UNKNOWN}
    if isinstance(value, list):
        return [_drop_unknown(v) for v in value if v != UNKNOWN]
    return value


def _reference(resource: Resource, target: Resource, target_address: str, key: str) -> list[str]:
    value = resource.inputs.get(key)
    arn = target.outputs.get("arn")
    suffix = "arn" if isinstance(value, str) and arn is not None and value == arn else "id"
    return [f"{target_address}.{suffix}", target_address]


def export(document: Document) -> Export:
    data = names()
    addresses: dict[str, str] = {}
    by_urn: dict[str, Resource] = {r.urn: r for r in document.resources}
    unmapped: list[Unmapped] = []
    planned: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    config: list[dict[str, Any]] = []
    unmatched: dict[str, list[str]] = {}
    mapped: list[tuple[Resource, str, str]] = []
    taken: set[str] = set()
    for resource in document.resources:
        tf_type = terraform_type(resource.type)
        if tf_type is None:
            if resource.type.startswith("aws:"):
                reason = data.unmapped.get(resource.type, "not a resource token of the installed pulumi_aws")
            else:
                reason = "not an AWS resource (checkov's AWS checks do not apply)"
            unmapped.append(Unmapped(resource.urn, resource.type, reason))
            continue
        address = f"{tf_type}.{_address_name(resource.name, taken, tf_type)}"
        taken.add(address)
        addresses[resource.urn] = address
        mapped.append((resource, tf_type, address))
    for resource, tf_type, address in mapped:
        schema = data.schemas.get(tf_type, {})
        conversion = convert_properties(_drop_unknown(resource.inputs), schema, tf_type)
        values = conversion.values
        if conversion.unmatched:
            unmatched[resource.urn] = conversion.unmatched
        if resource.region and "region" in schema:
            values["region"] = resource.region
        name = address.split(".", 1)[1]
        planned.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0,
                "values": values,
                "sensitive_values": {},
            }
        )
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}},
            }
        )
        expressions: dict[str, Any] = {}
        for key, targets in sorted(resource.property_dependencies.items()):
            attribute_name = attribute(key, schema, tf_type)
            references = [
                ref
                for target in targets
                if target in addresses and target in by_urn
                for ref in _reference(resource, by_urn[target], addresses[target], key)
            ]
            if attribute_name and references:
                expressions[attribute_name] = {"references": references}
        config.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_config_key": "aws",
                "expressions": expressions,
                "schema_version": 0,
            }
        )
    plan = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
            "root_module": {"resources": config},
        },
    }
    urns = {address: urn for urn, address in addresses.items()}
    return Export(plan, urns, sorted(unmapped, key=lambda u: u.urn), unmatched)
