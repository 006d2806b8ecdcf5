"""The synth's Pulumi mocks: realistic IDs and outputs for resources, answers for data sources.

``SynthMocks.resource`` and ``SynthMocks.invoke`` take what the synth monitor
knows (URN, resolved provider inputs, effective region). ``SynthMocks`` is also
a plain ``pulumi.runtime.Mocks``, the one fake AWS provider of the component
tests too (``tests/pulumi_mocks.py``): providers are then remembered by ID and
resources without an explicit provider use the ``aws:*`` config (else
``default_region``), as a default provider would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.runtime import Mocks

from tenantctl.synth import aws_invokes, aws_resources, awsx, check_defaults, conform, ids, shapes, wire
from tenantctl.synth.awsenv import MANAGEMENT_ACCOUNT, PACKAGE, ProviderEnv
from tenantctl.synth.typeinfo import TypeInfo, type_info

AUDIT_MARKER = "<not mocked>"


def package_of(type_token: str) -> str:
    """``aws:s3/bucket:Bucket`` -> ``aws``; ``pulumi:providers:aws`` -> ``aws``."""
    if type_token.startswith("pulumi:providers:"):
        return type_token.rsplit(":", 1)[-1]
    return type_token.split(":", 1)[0]


def effective_region(inputs: Mapping[str, Any], provider_inputs: Mapping[str, Any] | None) -> str | None:
    """The resource's own ``region`` input, else its provider's, else None."""
    for source in (inputs, provider_inputs or {}):
        value = wire.unwrap(source.get("region"))
        if isinstance(value, str) and value and value != wire.UNKNOWN:
            return value
    return None


class SynthMocks(Mocks):
    def __init__(
        self,
        *,
        preview: bool = False,
        project: str = "project",
        stack: str = "stack",
        audit: bool = False,
        invoke_fixtures: Mapping[str, Any] | None = None,
        default_account: str = MANAGEMENT_ACCOUNT,
        default_region: str | None = None,
    ) -> None:
        self.default_account = default_account
        self.default_region = default_region
        self.preview = preview
        self.invoke_fixtures = dict(invoke_fixtures or {})
        self.audit = audit
        self.project = project
        self.stack = stack
        self._standalone_providers: dict[str, dict[str, Any]] = {}

    # --- used by the synth monitor ---------------------------------------------------------------

    def _env(self, provider_inputs: Mapping[str, Any] | None) -> ProviderEnv:
        return ProviderEnv.of(provider_inputs or {}, default_account=self.default_account)

    def check(
        self,
        *,
        urn: str,
        type_: str,
        name: str,
        inputs: Mapping[str, Any],
        provider_inputs: Mapping[str, Any] | None,
        region: str | None,
    ) -> dict[str, Any]:
        """The inputs after the provider's Check: auto-names and the provider's defaults filled in
        (``check_defaults``), as the engine hands them to policies."""
        if package_of(type_) != PACKAGE or type_.startswith("pulumi:providers:"):
            return dict(inputs)
        draft = aws_resources.Draft(
            type=type_, name=name, urn=urn, inputs=inputs, env=self._env(provider_inputs),
            region=region, info=type_info(type_), preview=self.preview,
        )  # fmt: skip
        return check_defaults.apply(type_, {**inputs, **aws_resources.autoname(draft)})

    def resource(
        self,
        *,
        urn: str,
        type_: str,
        name: str,
        inputs: Mapping[str, Any],
        provider_inputs: Mapping[str, Any] | None,
        region: str | None,
    ) -> tuple[str, dict[str, Any]]:
        """(id, outputs added beyond the inputs) for one custom resource."""
        if type_.startswith("pulumi:providers:"):
            return ("" if self.preview else ids.uuid(urn, "provider")), {}
        info = type_info(type_)
        if package_of(type_) == PACKAGE:
            draft = aws_resources.Draft(
                type=type_,
                name=name,
                urn=urn,
                inputs=inputs,
                env=self._env(provider_inputs),
                region=region,
                info=info,
                preview=self.preview,
            )
            resource_id, outputs = aws_resources.compute(draft)
        else:
            resource_id, outputs = ("" if self.preview else f"{name}-{ids.hex_id(urn, 8, 'id')}"), {}
            if not self.preview:  # in preview the engine knows none of a component's outputs either
                outputs = awsx.outputs(type_, urn, inputs)
        if not self.preview:
            env = self._env(provider_inputs)
            place = shapes.Where(
                seed=urn, type=type_, name=name, region=region or "", account=env.account,
                partition=env.partition,
            )  # fmt: skip
            self._fill_declared(info, place, inputs, outputs)
        # What the provider echoes back, it returns in its declared types (JSON documents as text).
        for prop, value in conform.string_documents(inputs, info.types).items():
            outputs.setdefault(prop, value)
        return resource_id, outputs

    def _fill_declared(
        self, info: TypeInfo, place: shapes.Where, inputs: Mapping[str, Any], outputs: dict[str, Any]
    ) -> None:
        """Every computed output the type declares gets a value of its declared type.

        Only outputs that are not also inputs: an optional input the program left out stays absent, as the
        provider leaves it, so a rule never sees a made-up setting. In audit mode these generic values are
        markers instead: a marker in another resource's inputs means the program depends on an attribute
        only the generic filler knows.
        """
        for prop in sorted(info.computed - set(outputs) - set(inputs)):
            if self.audit:
                outputs[prop] = f"{AUDIT_MARKER}{place.type}.{prop}"
            elif prop in info.types:
                value = shapes.value_of(info.types[prop], prop, place)
                if value is not None:
                    outputs[prop] = value

    def invoke(
        self,
        token: str,
        args: Mapping[str, Any],
        provider_inputs: Mapping[str, Any] | None,
        where: str | None = None,
    ) -> dict[str, Any]:
        """The data source's result (raises ``aws_invokes.UnknownDataSource`` when it cannot be known)."""
        return aws_invokes.answer(
            token, wire.unwrap(dict(args)), self._env(provider_inputs), self.invoke_fixtures, where
        )

    # --- pulumi.runtime.Mocks, for plain set_mocks use ------------------------------------------

    def _config_provider(self) -> dict[str, Any]:
        config = pulumi.Config(PACKAGE)
        region = config.get("region") or self.default_region
        return {"region": region} if region else {}

    def _provider_inputs(self, provider_ref: str | None) -> dict[str, Any]:
        if provider_ref:
            known = self._standalone_providers.get(provider_ref.rsplit("::", 1)[-1])
            if known is not None:
                return known
        return self._config_provider()

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        urn = f"urn:pulumi:{self.stack}::{self.project}::{args.typ}::{args.name}"
        provider_inputs = (
            None if args.typ.startswith("pulumi:providers:") else self._provider_inputs(args.provider)
        )
        region = effective_region(args.inputs, provider_inputs)
        inputs = self.check(
            urn=urn, type_=args.typ, name=args.name, inputs=dict(args.inputs),
            provider_inputs=provider_inputs, region=region,
        )  # fmt: skip
        resource_id, outputs = self.resource(
            urn=urn,
            type_=args.typ,
            name=args.name,
            inputs=inputs,
            provider_inputs=provider_inputs,
            region=region,
        )
        if args.typ.startswith("pulumi:providers:"):
            self._standalone_providers[resource_id] = inputs
        return resource_id, {**inputs, **outputs}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        # MockMonitor iterates the failures: an empty list, never None
        return self.invoke(args.token, args.args, self._provider_inputs(args.provider)), []
