"""Hand-made synth JSON (the shape ``tenantctl synth`` writes) for gate tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PROJECT = "tenant-zone"
AWS_PROVIDER = "pulumi:providers:aws"
SECRET_SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}


def urn(stack: str, resource_type: str, name: str, parent_type: str | None = None) -> str:
    qualified = f"{parent_type}${resource_type}" if parent_type else resource_type
    return f"urn:pulumi:{stack}::{PROJECT}::{qualified}::{name}"


def secret(value: Any) -> dict[str, Any]:
    return {**SECRET_SIG, "value": value}


class SynthBuilder:
    """Accumulates resources of one stack; ``build()`` returns the synth dict sorted by URN."""

    def __init__(self, stack: str = "acme-prod") -> None:
        self.stack = stack
        self.resources: list[dict[str, Any]] = []

    def provider(self, name: str = "tokyo", region: str | None = "ap-northeast-1", **inputs: Any) -> str:
        props = dict(inputs)
        if region is not None:
            props["region"] = region
        return self.add(AWS_PROVIDER, name, props, provider=None, custom=True)

    def add(
        self,
        resource_type: str,
        name: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        provider: str | None = None,
        outputs: Mapping[str, Any] | None = None,
        parent: str | None = None,
        parent_type: str | None = None,
        prop_deps: Mapping[str, Sequence[str]] | None = None,
        custom: bool = True,
        region: str | None = None,
    ) -> str:
        resource_urn = urn(self.stack, resource_type, name, parent_type)
        deps = sorted({u for us in (prop_deps or {}).values() for u in us})
        self.resources.append(
            {
                "urn": resource_urn,
                "type": resource_type,
                "name": name,
                "custom": custom,
                "parent": parent,
                "provider": provider,
                "region": region,
                "inputs": dict(inputs or {}),
                "dependencies": deps,
                "propertyDependencies": {k: list(v) for k, v in (prop_deps or {}).items()},
                "id": f"{name}-id" if custom else None,
                "outputs": dict(outputs or {}),
            }
        )
        return resource_urn

    def build(self) -> dict[str, Any]:
        return {
            "project": PROJECT,
            "stack": self.stack,
            "resources": sorted(self.resources, key=lambda r: r["urn"]),
            "outputs": {},
        }
