"""Lookups that link resources of one stack by what the program wrote.

Stack rules see every resource's inputs merged with its outputs (``id``, ``arn``,
...). A reference is found through Pulumi's property dependencies when the
program passed an output, and otherwise through the literal value (an ID, an
ARN, a name) that a raw program may have written. ``Links`` indexes those
literals once per stack view (``links_of``), so no rule scans the stack per resource and the
index is shared by every rule that links resources.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from policies.framework import ResourceView, StackView
from policies.rules._common.stacks import PROD, stack_environment
from policies.rules._common.tags import tag
from policies.rules._common.unknowns import UNKNOWN, is_unknown, peek, read, read_items, require_known

# Keys whose literal values other resources use to point at a resource.
_LITERAL_KEYS = ("id", "arn", "name", "bucket", "allocationId")
# ``Links.one``'s default: read the reference from the property itself.
_FROM_PROP: Any = object()


def is_prod_stack(stack: StackView) -> bool:
    """Production: a ``<tenant>-prod`` stack, or resources tagged ``environment=prod`` (raw programs)."""
    if stack_environment(stack) == PROD:
        return True
    return any(tag(r, "environment") == PROD for r in stack.resources if r.package == "aws")


def network(value: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None


class Links:
    """One stack's resources indexed by type and by the literal IDs, ARNs and names they expose."""

    def __init__(self, stack: StackView) -> None:
        self.stack = stack
        self._by_type: dict[str, list[ResourceView]] = defaultdict(list)
        self._by_literal: dict[str, list[ResourceView]] = defaultdict(list)
        for resource in stack.resources:
            self._by_type[resource.type].append(resource)
            seen: set[str] = set()
            for key in _LITERAL_KEYS:
                value = peek(resource.props, key)
                if isinstance(value, str) and value and value not in seen:
                    seen.add(value)
                    self._by_literal[value].append(resource)
                    # CloudWatch reports log group ARNs with a trailing ":*" that references omit.
                    if key == "arn" and value.endswith(":*"):
                        self._by_literal[value[:-2]].append(resource)

    def of(self, *types: str) -> list[ResourceView]:
        found: list[ResourceView] = []
        for resource_type in types:
            found.extend(self._by_type.get(resource_type, ()))
        return found

    def get(self, urn: str) -> ResourceView | None:
        return self.stack.get(urn)

    def by_value(self, value: Any, types: Iterable[str]) -> list[ResourceView]:
        """Resources of ``types`` a literal reference names: by ID, ARN or name, or the name inside an ARN."""
        if not isinstance(value, str) or not value:
            return []
        wanted = set(types)
        for candidate in _literal_forms(value):
            hits = [r for r in self._by_literal.get(candidate, ()) if r.type in wanted]
            if hits:
                return hits
        return []

    def deps(self, resource: ResourceView, prop: str, types: Iterable[str]) -> list[ResourceView]:
        wanted = set(types)
        found = []
        for urn in resource.property_dependencies.get(prop, ()):
            target = self.stack.get(urn)
            if target is not None and target.type in wanted:
                found.append(target)
        return found

    def one(
        self, resource: ResourceView, prop: str, types: Iterable[str], value: Any = _FROM_PROP
    ) -> ResourceView | None:
        """The resource ``resource.<prop>`` (or ``value`` found inside it) points at, if it is in the stack.

        A property whose only dependency of ``types`` is one resource names that
        resource (its value is that resource's output), so the value is not read:
        in a preview it is unknown. Otherwise the literal value decides, and the
        dependency graph breaks a tie; a preview unknown that the graph cannot
        settle raises as the policy proxy does.
        """
        wanted = tuple(types)
        deps = self.deps(resource, prop, wanted)
        if value is _FROM_PROP:
            if len(deps) == 1:
                return deps[0]
            literal = read(resource.props, prop)
        else:
            literal = value
        if is_unknown(literal):
            if len(deps) == 1:
                return deps[0]
            require_known(literal, prop)
        hits = self.by_value(literal, wanted)
        if len(hits) == 1:
            return hits[0]
        if len(deps) == 1:
            return deps[0]
        if hits:
            return hits[0]
        return None

    def many(
        self, resource: ResourceView, prop: str, types: Iterable[str]
    ) -> tuple[list[ResourceView], list[str]]:
        """Targets of a list-valued reference (``subnetIds``, ``securityGroups``...), and the literals
        that name nothing in the stack."""
        wanted = tuple(types)
        deps = self.deps(resource, prop, wanted)
        raw = read(resource.props, prop)
        if is_unknown(raw):
            if deps:
                return list(deps), []
            require_known(raw, prop)
        values = read_items(raw)
        found: list[ResourceView] = []
        missing: list[str] = []
        unknown = False
        for value in values:
            if is_unknown(value):
                unknown = True
                continue
            hits = self.by_value(value, wanted)
            if hits:
                found.extend(h for h in hits[:1] if h not in found)
            elif isinstance(value, str):
                missing.append(value)
        if (missing or unknown) and deps and len(deps) >= len(values):
            # Outputs the synth could not render literally (or unknown in a preview): trust the graph.
            return list(deps), []
        if unknown:
            require_known(UNKNOWN, prop)
        return found, missing


def links_of(stack: StackView) -> Links:
    """The stack's ``Links``, built once per view and shared by every rule that reads it."""
    return stack.memo("net.links", Links)


def _literal_forms(value: str) -> list[str]:
    """The value itself, then the names an ARN carries (S3 bucket, log group, last path part)."""
    forms = [value]
    if value.startswith("arn:"):
        if ":::" in value:  # arn:aws:s3:::bucket[/prefix]
            forms.append(value.split(":::", 1)[1].split("/", 1)[0])
        if ":log-group:" in value:  # arn:aws:logs:r:a:log-group:name[:*]
            name = value.split(":log-group:", 1)[1]
            forms.append(name[:-2] if name.endswith(":*") else name)
        if "/" in value:  # arn:aws:ec2:r:a:eip-allocation/eipalloc-1
            forms.append(value.rsplit("/", 1)[1])
        if value.endswith(":*"):
            forms.append(value[:-2])
    return forms
