"""Synth JSON -> the argument objects the Pulumi engine hands a policy pack.

Mirrors ``pulumi_policy``'s analyzer servicer: properties go through
``deserialize_properties`` (secrets unwrapped) and ``unknown_checking_proxy``
(preview unknowns raise ``UnknownValueError`` when touched); ``Analyze`` sees a
resource's inputs, ``AnalyzeStack`` its outputs, which for the engine include
the inputs, so the synth's inputs are merged with the mock's extra outputs.
Parent, dependencies and property dependencies are linked to the resource
objects by URN, and dropped when the URN is not in the stack, as the servicer does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from tenantctl.errors import UserError
from tenantctl.gate.unseen import UnseenComponent, unseen_components


class RuleNotApplicable(Exception):
    """A policy called ``args.not_applicable(reason)``: out of scope for this resource or stack.

    The engine's args raise an exception private to ``pulumi_policy``; the gate's args raise this one instead,
    through the public ``not_applicable`` method, so the runner never names a private class.
    """

    def __init__(self, reason: str | None) -> None:
        super().__init__(reason)
        self.reason = reason


class GateResourceArgs(ResourceValidationArgs):
    def not_applicable(self, reason: str | None = None) -> None:
        raise RuleNotApplicable(reason)


class GateStackArgs(StackValidationArgs):
    def not_applicable(self, reason: str | None = None) -> None:
        raise RuleNotApplicable(reason)


@dataclass(frozen=True)
class AnalyzedResource:
    """One resource as ``Analyze`` receives it (the args' config is filled per policy)."""

    resource_type: str
    urn: str
    name: str
    props: Mapping[str, Any]
    opts: PolicyResourceOptions
    provider: PolicyProviderResource | None

    def args(self, config: Mapping[str, Any] | None, stack_tags: Mapping[str, str]) -> ResourceValidationArgs:
        return GateResourceArgs(
            self.resource_type, self.props, self.urn, self.name, self.opts, self.provider, config, stack_tags
        )


@dataclass(frozen=True)
class StackInput:
    """One synthesized stack, ready for the policies."""

    project: str
    stack: str
    resources: tuple[AnalyzedResource, ...]
    stack_resources: tuple[PolicyResource, ...]
    # Components whose resources the synth could not create (their package's plugin does not run offline).
    not_analysed: tuple[UnseenComponent, ...] = ()


def _as_wire(value: Any) -> Any:
    """Numbers as the engine delivers them: a protobuf Struct holds every number as a double."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _as_wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_wire(v) for v in value]
    return value


def _deserialized(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise UserError(f"synth resource {where}: properties are {type(raw).__name__}; expected an object")
    return deserialize_properties(_as_wire(raw))


def _props(raw: Any, where: str) -> Mapping[str, Any]:
    return unknown_checking_proxy(_deserialized(raw, where))


def _options(parent: str | None) -> PolicyResourceOptions:
    # The synth records no protect/ignoreChanges/aliases: the engine's defaults for a plain resource.
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], parent or None)


def _require(resource: Mapping[str, Any], key: str, index: int) -> str:
    value = resource.get(key)
    if not isinstance(value, str) or not value:
        raise UserError(f"synth resource #{index}: `{key}` is {value!r}; expected a non-empty string")
    return value


def stack_input(synth: Mapping[str, Any], *, per_resource: bool = True) -> StackInput:
    """Builds both views of a synth: per-resource args for ``Analyze``, linked resources for
    ``AnalyzeStack``; with ``per_resource=False`` the linked view only (``resources`` empty), for the
    cross-stack rules."""
    raw_resources = synth.get("resources")
    if not isinstance(raw_resources, Sequence):
        raise UserError("synth JSON: `resources` is missing; expected the list `tenantctl synth` writes")
    stack = synth.get("stack")
    project = synth.get("project")
    if not isinstance(stack, str) or not stack:
        raise UserError(f"synth JSON: `stack` is {stack!r}; expected the stack name")

    by_urn: dict[str, Mapping[str, Any]] = {}
    for index, raw in enumerate(raw_resources):
        if not isinstance(raw, Mapping):
            raise UserError(f"synth resource #{index}: {type(raw).__name__}; expected an object")
        by_urn[_require(raw, "urn", index)] = raw

    providers: dict[str, PolicyProviderResource] = {}

    def provider_for(urn: str | None) -> PolicyProviderResource | None:
        # The engine sends the provider's inputs; a reference may carry `::<id>` after the URN.
        if not urn:
            return None
        key = urn.split("::")[:4]
        provider_urn = "::".join(key)
        if provider_urn not in providers:
            raw = by_urn.get(provider_urn)
            if raw is None:
                return None
            providers[provider_urn] = PolicyProviderResource(
                str(raw.get("type")),
                _props(raw.get("inputs"), provider_urn),
                provider_urn,
                str(raw.get("name")),
            )
        return providers[provider_urn]

    analyzed: list[AnalyzedResource] = []
    linked: list[tuple[PolicyResource, Mapping[str, Any]]] = []
    for index, raw in enumerate(sorted(by_urn.values(), key=lambda r: str(r["urn"]))):
        urn = str(raw["urn"])
        resource_type = _require(raw, "type", index)
        name = _require(raw, "name", index)
        parent = raw.get("parent") or None
        opts = _options(parent)
        provider = provider_for(raw.get("provider"))
        inputs = {} if raw.get("inputs") is None else raw["inputs"]
        outputs = {} if raw.get("outputs") is None else raw["outputs"]
        if not isinstance(inputs, Mapping) or not isinstance(outputs, Mapping):
            raise UserError(
                f"synth resource {urn}: `inputs` and `outputs` are not both objects; expected objects"
            )
        # Deserialized once; each view gets its own proxy (the proxy copies the containers it wraps).
        plain_inputs = _deserialized(inputs, urn)
        if per_resource:
            analyzed.append(
                AnalyzedResource(
                    resource_type, urn, name, unknown_checking_proxy(plain_inputs), opts, provider
                )
            )
        state = unknown_checking_proxy({**plain_inputs, **_deserialized(outputs, urn)})
        linked.append((PolicyResource(resource_type, state, urn, name, opts, provider, None, [], {}), raw))

    resources_by_urn = {resource.urn: resource for resource, _ in linked}
    for resource, raw in linked:
        parent = raw.get("parent")
        if parent and parent in resources_by_urn:
            resource.parent = resources_by_urn[parent]
        for dependency in raw.get("dependencies") or ():
            if dependency in resources_by_urn:
                resource.dependencies.append(resources_by_urn[dependency])
        for prop, urns in (raw.get("propertyDependencies") or {}).items():
            resource.property_dependencies[prop] = [
                resources_by_urn[u] for u in urns if u in resources_by_urn
            ]

    return StackInput(
        project=str(project or ""),
        stack=stack,
        resources=tuple(analyzed),
        stack_resources=tuple(resource for resource, _ in linked),
        not_analysed=unseen_components(synth),
    )
