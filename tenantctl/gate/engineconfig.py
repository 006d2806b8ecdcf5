"""The pack's configuration, handed over as the Pulumi engine hands it: ``Configure`` and ``ConfigureStack``.

``pulumi preview --policy-pack DIR --policy-pack-config FILE``: the CLI reads FILE (each key a policy name or
``all``; each value an enforcement level, or an object with an optional ``enforcementLevel`` and the policy's
properties), reconciles it with what the pack's ``GetAnalyzerInfo`` declares (each policy's level and its
config schema's defaults, then the pack's initial config, then the file; an ``all`` level before the policies'
own), and calls the analyzer's ``Configure`` with the result for every policy. Before analysing a stack it
calls ``ConfigureStack`` with the stack, project, organization and stack tags.
Source: https://github.com/pulumi/pulumi/blob/master/pkg/resource/analyzer/config.go
(``parsePolicyPackConfig``, ``ReconcilePolicyPackConfig``, ``applyConfig``).

The gate sends the same requests to the pack's own analyzer servicer (the object ``PolicyPack`` serves), and
runs the policies with the levels, properties and stack tags that servicer then holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel, Policy

from policies.messages import message
from tenantctl import pulumi_private
from tenantctl.errors import UserError

ALL = "all"
LEVELS = tuple(level.value for level in EnforcementLevel)
_WIRE_LEVEL = {
    EnforcementLevel.ADVISORY: analyzer_pb2.ADVISORY,
    EnforcementLevel.MANDATORY: analyzer_pb2.MANDATORY,
    EnforcementLevel.REMEDIATE: analyzer_pb2.REMEDIATE,
    EnforcementLevel.DISABLED: analyzer_pb2.DISABLED,
}
# An organization-less (self-managed) backend: the name the engine and pulumi-policy use then.
ORGANIZATION = "organization"
# Far above any real config file; a larger one is refused before it is parsed.
MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class PolicyConfig:
    """One entry of a policy pack config: an enforcement level (None: unchanged) and properties."""

    level: EnforcementLevel | None
    properties: Mapping[str, Any]


def _level(value: Any, where: str) -> EnforcementLevel:
    if not isinstance(value, str) or value not in LEVELS:
        raise UserError(
            message(where, f"{value!r} is not an enforcement level", f"one of {', '.join(LEVELS)}")
        )
    return EnforcementLevel(value)


def parse(data: Any, source: str) -> dict[str, PolicyConfig]:
    """A ``--policy-pack-config`` document, read as the CLI reads it; bad input names the key and the rule."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise UserError(
            message(source, f"is a JSON {type(data).__name__}", "an object of policy names (or `all`)")
        )
    parsed: dict[str, PolicyConfig] = {}
    for name, value in data.items():
        where = f"{source} {name}"
        if isinstance(value, str):
            parsed[name] = PolicyConfig(_level(value, where), {})
        elif isinstance(value, Mapping):
            properties = {k: v for k, v in value.items() if k != "enforcementLevel"}
            level = (
                _level(value["enforcementLevel"], f"{where}.enforcementLevel")
                if "enforcementLevel" in value
                else None
            )
            if level is None and not properties:
                continue  # the CLI drops empty entries
            parsed[name] = PolicyConfig(level, properties)
        else:
            expected = (
                f"an enforcement level ({', '.join(LEVELS)}) or an object with `enforcementLevel` and the "
                "policy's properties"
            )
            raise UserError(message(where, f"{value!r} is not a valid value", expected))
    return parsed


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def load(path: Path) -> dict[str, PolicyConfig]:
    """``--policy-pack-config FILE``: a JSON file as ``pulumi preview`` takes it."""
    where = f"--policy-pack-config {path}"
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UserError(message(where, f"larger than {MAX_BYTES} bytes", "a policy pack config file"))
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(message(where, f"cannot be read ({error})", "a UTF-8 JSON file")) from None
    if not text.strip():
        return {}  # the CLI accepts an empty file
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except ValueError as error:
        raise UserError(message(where, f"not JSON ({error})", "a JSON object of policy names")) from None
    return parse(data, where)


def canonical(config: Mapping[str, PolicyConfig]) -> str:
    """The parsed config as JSON text in the file's form (a cache key part; ``parse`` reads it back)."""
    document = {
        name: {**entry.properties, **({"enforcementLevel": entry.level.value} if entry.level else {})}
        for name, entry in config.items()
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def reconcile(
    policies: Sequence[Policy], pack_level: EnforcementLevel, config: Mapping[str, PolicyConfig]
) -> dict[str, PolicyConfig]:
    """Every policy's level and properties after the engine's reconciliation
    (``ReconcilePolicyPackConfig``)."""
    result: dict[str, PolicyConfig] = {}
    for policy in policies:
        level = policy.enforcement_level if policy.enforcement_level is not None else pack_level
        schema = policy.config_schema
        defaults = {
            key: spec["default"]
            for key, spec in ((schema.properties or {}) if schema is not None else {}).items()
            if isinstance(spec, Mapping) and "default" in spec
        }
        result[policy.name] = PolicyConfig(level, defaults)
    everything = config.get(ALL)
    if everything is not None and everything.level is not None:
        result = {name: PolicyConfig(everything.level, entry.properties) for name, entry in result.items()}
    for name, given in config.items():
        current = result.get(name, PolicyConfig(None, {}))
        chosen = given.level if given.level is not None else current.level
        result[name] = PolicyConfig(chosen, {**current.properties, **given.properties})
    return result


def configure_request(reconciled: Mapping[str, PolicyConfig]) -> analyzer_pb2.ConfigureAnalyzerRequest:
    config: dict[str, analyzer_pb2.PolicyConfig] = {}
    for name, entry in reconciled.items():
        properties = struct_pb2.Struct()
        properties.update(dict(entry.properties))
        level = _WIRE_LEVEL[entry.level] if entry.level is not None else analyzer_pb2.ADVISORY
        config[name] = analyzer_pb2.PolicyConfig(enforcementLevel=level, properties=properties)
    return analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=config)


def stack_request(
    project: str, stack: str, tags: Mapping[str, str]
) -> analyzer_pb2.AnalyzerStackConfigureRequest:
    return analyzer_pb2.AnalyzerStackConfigureRequest(
        stack=stack, project=project, organization=ORGANIZATION, dry_run=True, tags=dict(tags)
    )


class ConfiguredPack:
    """The pack's analyzer servicer, configured by the engine's requests; what it then holds is what runs."""

    def __init__(
        self,
        pack_name: str,
        policies: Sequence[Policy],
        pack_level: EnforcementLevel,
        config: Mapping[str, PolicyConfig] | None = None,
    ) -> None:
        self._servicer = pulumi_private.analyzer_servicer(pack_name, list(policies), pack_level)
        self._servicer.Configure(configure_request(reconcile(policies, pack_level, config or {})), None)

    def enforcement(self, policy: Policy) -> EnforcementLevel:
        return EnforcementLevel(pulumi_private.servicer_enforcement(self._servicer, policy))

    def config(self, name: str) -> dict[str, Any] | None:
        return pulumi_private.servicer_policy_config(self._servicer, name)

    def configure_stack(self, project: str, stack: str, tags: Mapping[str, str]) -> Mapping[str, str]:
        """``ConfigureStack``; returns the stack tags the policies' args then carry."""
        self._servicer.ConfigureStack(stack_request(project, stack, tags), None)
        return pulumi_private.servicer_stack_tags(self._servicer)
