"""Lookups that link resources of one stack by what the program wrote.

Stack rules see every resource's inputs merged with its outputs (``id``, ``arn``,
...). A reference is found through Pulumi's property dependencies when the
program passed an output, and otherwise through the literal value (an ID, an
ARN, a name) that a raw program may have written. ``Links`` indexes those
literals once per evaluation so a rule never scans the stack per resource.
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from policies.framework import ResourceView, StackView, as_list

ORG_STACK = "org"
PROD_ENV = "prod"

# pulumi_policy.proxy's UNKNOWN_* sentinels: provider props decoded from JSON bypass the proxy.
_UNKNOWN_SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)
_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
# Keys whose literal values other resources use to point at a resource.
_LITERAL_KEYS = ("id", "arn", "name", "bucket", "allocationId")
# ``Links.one``'s default: read the reference from the property itself.
_FROM_PROP: Any = object()


def _is_unknown_error(error: Exception) -> bool:
    # Matched by name: importing pulumi_policy would load the Pulumi SDK whenever a rule is imported.
    return type(error).__name__ == "UnknownValueError"


def peek(props: Mapping[str, Any], key: str) -> Any:
    """``props[key]``, or None when it is a preview unknown.

    Only for indexing: an unknown value can match no literal, and the rule that
    actually needs it reads it with ``.get`` and lets the error propagate.
    """
    try:
        value = props.get(key)
    except Exception as error:
        if _is_unknown_error(error):
            return None
        raise
    return None if isinstance(value, str) and value in _UNKNOWN_SENTINELS else value


# What ``read`` returns for a preview unknown: pulumi_policy's own UNKNOWN_STRING_VALUE sentinel, so that
# ``require_known`` turns it back into the proxy's error when the rule cannot decide without it.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def read(props: Mapping[str, Any], key: str) -> Any:
    """``props[key]``, or ``UNKNOWN`` when it is a preview unknown.

    For references that the dependency graph can resolve without their value:
    the caller tries the graph and only needs the value (``require_known``) when
    the graph is ambiguous.
    """
    try:
        value = props.get(key)
    except Exception as error:
        if _is_unknown_error(error):
            return UNKNOWN
        raise
    return UNKNOWN if isinstance(value, str) and value in _UNKNOWN_SENTINELS else value


def read_items(value: Any) -> list[Any]:
    """A list-valued property's items, each ``UNKNOWN`` where it is a preview unknown."""
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        found = []
        for index in range(len(value)):
            try:
                item = value[index]
            except Exception as error:
                if not _is_unknown_error(error):
                    raise
                item = UNKNOWN
            found.append(UNKNOWN if isinstance(item, str) and item in _UNKNOWN_SENTINELS else item)
        return found
    return [value]


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in _UNKNOWN_SENTINELS


def require_known(value: Any, path: str) -> Any:
    """``value``, or the preview error the policy proxy raises, for values read around the proxy."""
    if isinstance(value, str) and value in _UNKNOWN_SENTINELS:
        from pulumi_policy.proxy import UnknownValueError  # late: keeps rule import free of the SDK

        raise UnknownValueError(value, path.split("."))
    return value


def text(value: Any) -> str | None:
    """A non-empty string, else None (absent, empty, or a nested block)."""
    return value if isinstance(value, str) and value.strip() else None


def number(value: Any) -> float | None:
    """Numbers arrive as ints, floats (the wire) or strings (YAML, raw dicts)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def shown_number(value: float | None) -> str:
    if value is None:
        return "not set"
    return str(int(value)) if value.is_integer() else str(value)


def strings(value: Any) -> list[str]:
    return [v for v in as_list(value) if isinstance(v, str)]


def tags_of(resource: ResourceView) -> dict[str, Any]:
    """The resource's tags over its provider's ``defaultTags`` (merged as the provider does)."""
    merged: dict[str, Any] = {}
    if resource.provider is not None:
        defaults = resource.provider.prop("defaultTags")
        for block in as_list(defaults):
            default_tags = block.get("tags") if isinstance(block, Mapping) else None
            if isinstance(default_tags, Mapping):
                merged.update(default_tags)
    for key in ("tagsAll", "tags"):
        own = resource.props.get(key)
        if isinstance(own, Mapping):
            merged.update(own)
    return merged


def tag(resource: ResourceView, key: str) -> str | None:
    value = tags_of(resource).get(key)
    return str(value).strip().lower() if value is not None and str(value).strip() else None


def is_org_stack(stack: StackView) -> bool:
    return stack.name == ORG_STACK


def is_prod_stack(stack: StackView) -> bool:
    """Production: a ``<tenant>-prod`` stack, or resources tagged ``environment=prod`` (raw programs)."""
    if stack.name.endswith(f"-{PROD_ENV}"):
        return True
    return any(tag(r, "environment") == PROD_ENV for r in stack.resources if r.package == "aws")


def arn_account(value: Any) -> str | None:
    match = _ARN_ACCOUNT.match(value) if isinstance(value, str) else None
    return match.group(1) if match else None


def is_account_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ACCOUNT_ID.match(value))


def own_accounts(stack: StackView) -> list[str]:
    """The accounts this stack deploys into: those its aws providers assume a role in or allow.

    A provider without ``assumeRoles`` runs with the caller's credentials, whose
    account a program does not state; such a stack has no provable account.
    """
    providers = {r.provider.urn: r.provider for r in stack.resources if r.provider is not None}
    found: list[str] = []
    for provider in providers.values():
        if not provider.type.startswith("pulumi:providers:aws"):
            continue
        require_known(provider.props.get("assumeRoles"), "provider.assumeRoles")
        candidates = [arn_account(require_known(arn, "provider.assumeRoles.roleArn")) for arn in provider.assumed_role_arns]
        candidates += [a for a in strings(provider.prop("allowedAccountIds")) if is_account_id(a)]
        for account in candidates:
            if account and account not in found:
                found.append(account)
    return found


def describe_accounts(accounts: Sequence[str]) -> str:
    if not accounts:
        return "none known: no aws provider of the stack assumes a role or sets allowedAccountIds"
    return ", ".join(accounts)


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

    def many(self, resource: ResourceView, prop: str, types: Iterable[str]) -> tuple[list[ResourceView], list[str]]:
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
