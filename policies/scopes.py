"""Which kinds of stack a rule judges, and what kind of stack is being judged.

Three kinds of stack reach the gate:

- ``tenant``: a tenant baseline (``<tenant>-<env>``: network, edge, keys, backup, detection, ...);
- ``org``: the organization stack (OUs, SCPs, log archive, organization trail, member accounts);
- ``service``: a service team's program deployed into a tenant account, with no baseline of its own.

Every gate check in the catalog names the kinds it applies to (``layers.gate.scopes``): ``any`` for
rules about one resource whatever program declares it, ``tenant`` for what a tenant baseline must
contain (a backup plan, GuardDuty, patching, ...), ``org`` for what the org stack must contain.

A stack says what it is with the config key ``tenant-zone:stackKind`` (in ``Pulumi.yaml``'s
``config:`` for a whole project, or in one stack file); under the Pulumi CLI the same value is the
stack tag ``tenant-zone:stackKind`` (``pulumi stack tag set``), which the engine hands to every policy.
Without it the kind is inferred from the resources: the tenant-zone baseline or organization
component, or an ``aws:organizations/organization:Organization``. A stack holding markers of both is
ambiguous and must declare its kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TENANT = "tenant"
ORG = "org"
SERVICE = "service"
STACK_KINDS: tuple[str, ...] = (TENANT, ORG, SERVICE)
ANY = "any"
# What a catalog scope may name: a stack kind, or ``any`` for all of them.
SCOPE_VALUES: tuple[str, ...] = (ANY, *STACK_KINDS)

KIND_DESCRIPTIONS: Mapping[str, str] = {
    TENANT: "a tenant baseline",
    ORG: "the org stack",
    SERVICE: "a service program",
}

# The config key (and Pulumi stack tag) a stack declares its kind with.
KIND_KEY = "tenant-zone:stackKind"

TENANT_MARKERS: frozenset[str] = frozenset({"tenant-zone:baseline:TenantBaseline"})
ORG_MARKERS: frozenset[str] = frozenset(
    {"tenant-zone:organization:Organization", "aws:organizations/organization:Organization"}
)


class StackKindError(ValueError):
    """A stack's kind is declared wrongly or cannot be inferred; the message is one line for the user."""


@dataclass(frozen=True)
class StackKind:
    """The kind a stack is judged as, and how that was decided (shown when a rule is skipped)."""

    kind: str
    how: str

    def describe(self) -> str:
        return f"{KIND_DESCRIPTIONS[self.kind]} ({self.how})"


def expand(scope: Iterable[str]) -> frozenset[str]:
    """A catalog scope -> the stack kinds it covers (``any`` covers every kind)."""
    kinds: set[str] = set()
    for value in scope:
        kinds.update(STACK_KINDS if value == ANY else (value,))
    return frozenset(kinds)


def _markers(resource_types: Iterable[str]) -> tuple[list[str], list[str]]:
    types = set(resource_types)
    return sorted(types & TENANT_MARKERS), sorted(types & ORG_MARKERS)


def infer_kind(stack: str, resource_types: Iterable[str]) -> StackKind:
    """The kind from the resources alone; raises ``StackKindError`` when they point both ways."""
    tenant, org = _markers(resource_types)
    if tenant and org:
        raise StackKindError(
            f"stack {stack}: {KIND_KEY} is not set and the stack holds both a tenant baseline ({tenant[0]})"
            f" and an organization ({org[0]}); expected {KIND_KEY} set to one of {', '.join(STACK_KINDS)} (in"
            f" Pulumi.{stack}.yaml, or --set {KIND_KEY}=<kind>)."
        )
    if tenant:
        return StackKind(TENANT, f"inferred from {tenant[0]}")
    if org:
        return StackKind(ORG, f"inferred from {org[0]}")
    return StackKind(SERVICE, f"inferred: no baseline or organization resources; {KIND_KEY} not set")


def resolve_kind(stack: str, declared: str | None, resource_types: Iterable[str]) -> StackKind:
    """The declared kind, checked against the resources, else the inferred one.

    A declared ``service`` stack that holds a baseline or organization component would escape every
    baseline rule while carrying one: that contradiction is refused rather than believed.
    """
    if declared is None or declared == "":
        return infer_kind(stack, resource_types)
    if declared not in STACK_KINDS:
        raise StackKindError(
            f"stack {stack}: {KIND_KEY} is {declared!r}; expected one of {', '.join(STACK_KINDS)} "
            f"({TENANT}: a tenant baseline, {ORG}: the organization stack, {SERVICE}: a service program in a "
            "tenant account)."
        )
    tenant, org = _markers(resource_types)
    if declared == SERVICE and (tenant or org):
        found = (tenant or org)[0]
        raise StackKindError(
            f"stack {stack}: {KIND_KEY} is 'service' but the stack declares {found}; expected "
            f"{TENANT if tenant else ORG} for a stack holding it, or a service program without it."
        )
    return StackKind(declared, f"declared by {KIND_KEY}")


def declared_kind(tags: Mapping[str, str], stack: str) -> str | None:
    """The kind a policy's stack tags declare for ``stack``.

    The engine analyzes one stack and passes its tags; the offline gate's cross-stack run judges
    several stacks with one set of tags, so it adds one ``tenant-zone:stackKind.<stack>`` per stack.
    """
    value = tags.get(f"{KIND_KEY}.{stack}") or tags.get(KIND_KEY)
    return value or None
