"""The three documents a plan is exported from, read into one shape.

- the offline synth (``tenantctl synth``): ``resources[]`` with the effective ``region`` already resolved;
- ``pulumi preview --json``: ``steps[].newState`` (the state each step would leave);
- ``pulumi stack export``: ``deployment.resources[]``.

The CLI documents carry providers as resources and each resource's ``provider`` as ``<provider URN>::<id>``;
the effective region is the resource's own ``region`` input, else its provider's, else the stack's
``aws:region`` config (the default provider). Secrets are masked as ``[secret]`` in every source, so no
secret reaches the plan file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenantctl.errors import UserError

SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
MASK = "[secret]"
PROVIDER_PREFIX = "pulumi:providers:"


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    region: str | None
    inputs: dict[str, Any]
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    id: str | None = None
    outputs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A stack's resources, whatever document they came from."""

    stack: str
    project: str
    source: str
    resources: tuple[Resource, ...]


def mask(value: Any) -> Any:
    """Secrets (plain-text, ciphertext or already masked) become ``[secret]``; unknowns stay the sentinel."""
    if isinstance(value, Mapping):
        if value.get(SIG) == SECRET_SIG:
            return MASK
        return {k: mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


def urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def urn_stack_project(urn: str) -> tuple[str, str]:
    parts = urn.split("::")
    return parts[0].removeprefix("urn:pulumi:"), parts[1]


def from_synth(document: Mapping[str, Any]) -> Document:
    resources = tuple(
        Resource(
            urn=r["urn"],
            type=r["type"],
            name=r["name"],
            region=r.get("region"),
            inputs=mask(r.get("inputs") or {}),
            property_dependencies={k: list(v) for k, v in (r.get("propertyDependencies") or {}).items()},
            id=r.get("id"),
            outputs=mask(r.get("outputs") or {}),
        )
        for r in document["resources"]
        if r.get("custom") and not r["type"].startswith(PROVIDER_PREFIX)
    )
    return Document(document["stack"], document["project"], "synth", resources)


def _from_states(states: list[Mapping[str, Any]], config: Mapping[str, Any], source: str) -> Document:
    providers: dict[str, str | None] = {}
    for state in states:
        if state.get("type", "").startswith(PROVIDER_PREFIX + "aws"):
            region = (state.get("inputs") or {}).get("region")
            providers[state["urn"]] = region if isinstance(region, str) else None
    default_region = config.get("aws:region")
    if isinstance(default_region, Mapping):  # preview --json: {"value": ..., "secret": ...}
        default_region = default_region.get("value")
    resources: list[Resource] = []
    stack = project = ""
    for state in states:
        urn = state["urn"]
        stack, project = urn_stack_project(urn)
        if not state.get("custom") or state["type"].startswith(PROVIDER_PREFIX):
            continue
        inputs = mask(state.get("inputs") or {})
        region = inputs.get("region") if isinstance(inputs.get("region"), str) else None
        provider_urn = (state.get("provider") or "").rsplit("::", 1)[0]
        if region is None:
            region = providers.get(provider_urn) or (
                default_region if isinstance(default_region, str) else None
            )
        if not state["type"].startswith("aws:"):
            region = None
        resources.append(
            Resource(
                urn=urn,
                type=state["type"],
                name=urn_name(urn),
                region=region,
                inputs=inputs,
                property_dependencies={
                    k: list(v or []) for k, v in (state.get("propertyDependencies") or {}).items()
                },
                id=state.get("id") or None,
                outputs=mask(state.get("outputs") or {}),
            )
        )
    return Document(stack, project, source, tuple(sorted(resources, key=lambda r: r.urn)))


def from_preview(document: Mapping[str, Any]) -> Document:
    """``pulumi preview --json``: the new state of every step that leaves one (deletes leave none)."""
    states = [step["newState"] for step in document.get("steps") or [] if step.get("newState")]
    return _from_states(states, document.get("config") or {}, "preview")


def from_state(document: Mapping[str, Any], config: Mapping[str, Any] | None = None) -> Document:
    """``pulumi stack export``: the checkpoint's resources (the default provider records its region)."""
    deployment = document.get("deployment") or {}
    return _from_states(list(deployment.get("resources") or []), config or {}, "state")


def read_document(path: Path, kind: str) -> Document:
    """A preview or state file from disk; a UserError naming the flag and the shape expected."""
    flag = f"--from-{kind}"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{flag} {path}: no such file; expected the output of {_COMMAND[kind]}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(
            f"{flag} {path}: not JSON ({error}); expected the output of {_COMMAND[kind]}."
        ) from None
    if kind == "preview":
        if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
            raise UserError(f"{flag} {path}: no `steps` list; expected the output of {_COMMAND[kind]}.")
        return from_preview(raw)
    if not isinstance(raw, dict) or not isinstance((raw.get("deployment") or {}).get("resources"), list):
        raise UserError(
            f"{flag} {path}: no `deployment.resources` list; expected the output of {_COMMAND[kind]}."
        )
    return from_state(raw)


_COMMAND = {"preview": "`pulumi preview --json`", "state": "`pulumi stack export`"}
