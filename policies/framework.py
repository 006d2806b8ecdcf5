"""The rule model shared by every runner (CrossGuard pack, offline gate, tests).

Rules are pure predicates in the cdk-nag sense: they look at one resource, one
stack or several stacks and say what is wrong and what was expected. They know
nothing about control IDs, severities or frameworks; the catalog attaches
those (see ``policies.catalog``), and the runners format the final message as

    ``<type> <name>: <what is wrong>; expected <what>. [<CONTROL-ID>]``

Properties are read through ``Mapping`` / ``Sequence`` interfaces only: in a
preview the runners wrap them in ``pulumi_policy``'s unknown-checking proxy,
which is a ``Mapping`` but not a ``dict``, and raises ``UnknownValueError``
when a rule touches a value that cannot be known yet. Rules let that error
propagate; the runner turns it into an advisory "cannot decide during preview"
result, exactly as the Pulumi engine does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from policies.messages import message

_T = TypeVar("_T")


class NotApplicable(Exception):
    """Raised by a rule when the resource or stack is outside its scope."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Failure:
    """One finding of a rule: what is wrong and what was expected.

    ``urn`` names the offending resource for stack rules (a resource rule's
    failure always concerns the resource it was given). ``type`` and ``name``
    are filled by the runner from the URN when left empty.
    """

    wrong: str
    expected: str
    urn: str | None = None


@dataclass(frozen=True)
class ProviderView:
    """The provider a resource is registered with (explicit or default)."""

    type: str
    urn: str
    name: str
    props: Mapping[str, Any]

    @property
    def region(self) -> str | None:
        value = self.props.get("region")
        return value if isinstance(value, str) else None

    def prop(self, name: str) -> Any:
        """A provider input, decoded: the SDK JSON-encodes a provider's nested inputs
        (``assumeRoles``, ``defaultTags``, ...) before they reach the engine."""
        value = self.props.get(name)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    @property
    def assumed_role_arns(self) -> list[str]:
        roles = as_list(self.prop("assumeRoles")) or as_list(self.prop("assumeRole"))
        return [r["roleArn"] for r in roles if isinstance(r, Mapping) and isinstance(r.get("roleArn"), str)]


@dataclass(frozen=True)
class ResourceView:
    """One resource as a rule sees it: camelCase input properties."""

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    provider: ProviderView | None = None
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def region(self) -> str | None:
        """The effective region: the resource's own ``region`` input, else its provider's."""
        own = self.props.get("region")
        if isinstance(own, str) and own:
            return own
        return self.provider.region if self.provider is not None else None

    @property
    def package(self) -> str:
        return self.type.split(":", 1)[0]

    @property
    def module(self) -> str:
        """``aws:s3/bucket:Bucket`` -> ``s3``."""
        parts = self.type.split(":")
        return parts[1].split("/", 1)[0] if len(parts) == 3 else ""

    @property
    def stack(self) -> str:
        return stack_of_urn(self.urn)


@dataclass(frozen=True)
class StackConfigView:
    """The entries of a stack's config file as written (``Pulumi.<stack>.yaml``, or ``--config-file``).

    ``values`` holds each full key's value as the file has it (objects and lists as such), with every
    ``secure:`` (encrypted) part replaced by None: what is left is what the file stores in plain text.
    Only the offline gate has it; the Pulumi engine hands policies decrypted config, if any.
    """

    file: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class StackView:
    """Every resource of one stack, in URN order, with lookups for linking; ``config`` is the stack's
    config file when the runner has it (see ``StackConfigView``)."""

    name: str
    resources: tuple[ResourceView, ...]
    _by_urn: Mapping[str, ResourceView] = field(default_factory=dict, repr=False, compare=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    config: StackConfigView | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self._by_urn:
            object.__setattr__(self, "_by_urn", {r.urn: r for r in self.resources})

    def memo(self, key: str, build: Callable[[StackView], _T]) -> _T:
        """``build(self)``, computed once per view and shared by every caller using ``key``.

        The runners hand one view of a stack to every stack policy, so an index that
        several rules need (literal IDs, the routing picture) is built once per stack
        rather than once per rule. Only for pure functions of the view: it never changes.
        """
        if key not in self._memo:
            self._memo[key] = build(self)
        built: _T = self._memo[key]
        return built

    def of_type(self, *types: str) -> Iterator[ResourceView]:
        wanted = set(types)
        return (r for r in self.resources if r.type in wanted)

    def get(self, urn: str) -> ResourceView | None:
        return self._by_urn.get(urn)

    def referenced(self, resource: ResourceView, prop: str, *types: str) -> list[ResourceView]:
        """Resources that ``resource.<prop>`` points at, through Pulumi's property dependencies.

        Falls back to matching the literal value against other resources' ``id``,
        ``arn``, ``name`` and ``bucket`` properties, so that raw programs that
        wrote a physical name instead of passing an output are still linked.
        """
        wanted = set(types)
        found: list[ResourceView] = []
        for urn in resource.property_dependencies.get(prop, ()):
            target = self._by_urn.get(urn)
            if target is not None and (not wanted or target.type in wanted):
                found.append(target)
        if found:
            return found
        value = resource.props.get(prop)
        if isinstance(value, str) and value:
            for other in self.resources:
                if other.urn == resource.urn or (wanted and other.type not in wanted):
                    continue
                if any(other.props.get(key) == value for key in ("id", "arn", "name", "bucket")):
                    found.append(other)
        return found

    def referencing(self, target: ResourceView, prop: str, *types: str) -> list[ResourceView]:
        """Resources of ``types`` whose ``prop`` points at ``target`` (the inverse of ``referenced``)."""
        return [r for r in self.of_type(*types) if target in self.referenced(r, prop)]


STACK_RESOURCE_TYPE = "pulumi:pulumi:Stack"


def stack_root(stack: StackView, default_project: str = "project") -> ResourceView:
    """The stack's root resource, which a stack-level finding (a ``Failure`` without URN) is about.

    The engine always has one (``pulumi:pulumi:Stack <project>-<stack>``); views built by hand
    may not, so it is derived from the stack name and the project named in the resources' URNs.
    """
    for resource in stack.resources:
        if resource.type == STACK_RESOURCE_TYPE and resource.parent is None:
            return resource
    project = next((project_of_urn(r.urn) for r in stack.resources if project_of_urn(r.urn)), default_project)
    name = f"{project}-{stack.name}"
    return ResourceView(
        STACK_RESOURCE_TYPE, name, f"urn:pulumi:{stack.name}::{project}::{STACK_RESOURCE_TYPE}::{name}", {}
    )


def project_of_urn(urn: str) -> str:
    """``urn:pulumi:<stack>::<project>::<type>::<name>`` -> ``<project>``."""
    parts = urn.split("::")
    return parts[1] if len(parts) >= 4 else ""


def stack_of_urn(urn: str) -> str:
    """``urn:pulumi:<stack>::<project>::<type>::<name>`` -> ``<stack>``."""
    try:
        return urn.split("::", 1)[0].split(":", 2)[2]
    except IndexError:
        return ""


class Rule:
    """Base of every rule. Subclasses set ``id`` (== module name) and ``description``.

    ``remediation`` is the rule-specific fix shown next to a violation; the
    catalog's control remediation is the general one.
    """

    id: ClassVar[str]
    description: ClassVar[str]
    remediation: ClassVar[str]


class ResourceRule(Rule):
    """A predicate over one resource.

    ``resource_types``: the Pulumi type tokens the rule looks at; an empty set
    means every resource (the runner skips the rest as not applicable).
    """

    resource_types: ClassVar[frozenset[str]] = frozenset()

    def applies_to(self, resource_type: str) -> bool:
        return not self.resource_types or resource_type in self.resource_types

    def evaluate(self, resource: ResourceView) -> Iterable[Failure]:
        raise NotImplementedError


class StackRule(Rule):
    """A predicate over every resource of one stack (cross-resource relationships)."""

    def evaluate(self, stack: StackView) -> Iterable[Failure]:
        raise NotImplementedError


class MultiStackRule(Rule):
    """A predicate over several stacks at once (``tenantctl check --all`` only).

    CrossGuard sees one stack at a time, so these run in the offline gate; the
    catalog records that in the rule's layer notes.

    ``reads``: the resource types ``evaluate`` looks at (None: any). With every cross-stack rule
    declaring them, ``check --all`` shows these rules each stack's resources of those types only, with
    the stack itself, its providers and the resources that mark its kind: a fleet of a hundred stacks
    is then judged across stacks without converting every resource of every stack again.
    """

    reads: frozenset[str] | None = None

    def evaluate(self, stacks: Sequence[StackView]) -> Iterable[Failure]:
        raise NotImplementedError


def format_message(resource_type: str, name: str, failure: Failure, control: str) -> str:
    return message(f"{resource_type} {name}", failure.wrong, failure.expected, control)


# --- small readers shared by rules -------------------------------------------------


def as_list(value: Any) -> list[Any]:
    """A block that may be written once (object) or repeated (list) -> a list."""
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    return [value]


def dig(value: Any, *path: str | int) -> Any:
    """``dig(props, "rule", 0, "applyServerSideEncryptionByDefault")`` with None for any gap.

    A single block written as an object is accepted where a list index is asked for
    (and index 0 of a list where a key is asked for), because raw programs write
    nested blocks both ways.
    """
    current = value
    for step in path:
        if current is None:
            return None
        if isinstance(step, int):
            items = as_list(current)
            current = items[step] if -len(items) <= step < len(items) else None
        else:
            if isinstance(current, Sequence) and not isinstance(current, str | bytes):
                current = current[0] if len(current) == 1 else None
                if current is None:
                    return None
            current = current.get(step) if isinstance(current, Mapping) else None
    return current


def truthy(value: Any) -> bool:
    """Booleans arrive as bools, or as strings from YAML / raw dicts."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "enabled", "yes", "1"}
    return bool(value)
