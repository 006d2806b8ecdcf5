"""The synth JSON: one record per registered resource, sorted by URN, and the stack outputs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tenantctl.synth import wire

STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_PREFIX = "pulumi:providers:"


@dataclass
class Record:
    """A resource as the engine would hold it after registration (inputs decoded, secrets still wrapped)."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    provider: str | None
    region: str | None
    inputs: dict[str, Any]
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    id: str | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    position: str | None = None
    # A component of another package (awsx, eks) implemented by its plugin: offline no plugin runs, so
    # none of the resources it would create exists here.
    remote: bool = False

    @property
    def state(self) -> dict[str, Any]:
        """What the provider returns: the inputs with the computed outputs on top."""
        return {**self.inputs, **self.outputs}

    def to_json(self) -> dict[str, Any]:
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "custom": self.custom,
            "parent": self.parent,
            "provider": self.provider,
            "region": self.region,
            "inputs": wire.to_json(self.inputs),
            "dependencies": list(self.dependencies),
            "propertyDependencies": {k: list(v) for k, v in self.property_dependencies.items()},
            "id": self.id or None,
            "outputs": wire.to_json(self.outputs),
            # "<file relative to the project>:<line>" of the code that declared it (the SDK sends it)
            "position": self.position,
        }


def not_analysed(record: Record) -> dict[str, Any]:
    package = record.type.split(":", 1)[0]
    return {
        "urn": record.urn,
        "type": record.type,
        "package": package,
        "position": record.position,
        "reason": (
            f"component {record.type} of package {package} is implemented by its provider plugin, which does "
            "not run offline: the resources it would create are not analysed"
        ),
    }


def build(project: str, stack: str, records: Iterable[Record], outputs: Mapping[str, Any]) -> dict[str, Any]:
    ordered = sorted(records, key=lambda r: r.urn)
    document: dict[str, Any] = {
        "project": project,
        "stack": stack,
        "resources": [record.to_json() for record in ordered],
        "outputs": wire.to_json(dict(outputs)),
    }
    unseen = [not_analysed(record) for record in ordered if record.remote]
    if unseen:
        document["notAnalysed"] = unseen
    return document


def to_text(document: Mapping[str, Any]) -> str:
    """The JSON text written by ``tenantctl synth``: sorted keys, so equal input gives equal bytes."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
