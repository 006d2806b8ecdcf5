"""Small readers the security-operations rules share: tags, numbers, stack kinds, unknowns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from policies.framework import ResourceView, StackView, as_list, dig, truthy

ORG_STACK = "org"
ENVIRONMENTS = ("prod", "staging", "dev")
_TENANT_STACK = re.compile(rf"^(?P<tenant>.+)-(?P<env>{'|'.join(ENVIRONMENTS)})$")

# pulumi_policy.proxy's UNKNOWN_* sentinels. Provider props are decoded from JSON strings by
# ProviderView.prop, which bypasses the unknown-checking proxy, so such values are checked here.
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


def unknown_error() -> type[Exception]:
    """``pulumi_policy``'s UnknownValueError, imported late: rules stay free of pulumi imports at load."""
    from pulumi_policy.proxy import UnknownValueError

    return UnknownValueError


def require_known(value: Any, path: str) -> Any:
    """``value``, or the preview error the policy proxy would raise for it."""
    if isinstance(value, str) and value in _UNKNOWN_SENTINELS:
        raise unknown_error()(value, path.split("."))
    return value


def is_org_stack(stack: StackView | str) -> bool:
    return (stack if isinstance(stack, str) else stack.name) == ORG_STACK


def tenant_of(stack_name: str) -> str | None:
    """``acme-prod`` -> ``acme``; None for a stack name outside the ``<tenant>-<env>`` convention."""
    match = _TENANT_STACK.match(stack_name)
    return match.group("tenant") if match else None


def number(value: Any) -> float | None:
    """Numbers arrive as ints, floats (the wire) or strings (YAML, raw dicts); None when not a number."""
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


def show_number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def is_false(value: Any) -> bool:
    """Explicitly switched off (absent is not false: the caller knows the AWS default)."""
    return value is not None and not truthy(value)


def _tag_map(value: Any, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Tags as a map: a ``{key: value}`` object, or the ``[{key, value}]`` list some resources take.

    With ``keys``, only those tags are read: another tag may be a preview unknown the rule must not touch.
    """
    if isinstance(value, Mapping):
        wanted = [k for k in value if keys is None or k in keys]
        return {str(k): value[k] for k in wanted}
    found: dict[str, Any] = {}
    for item in as_list(value):
        if (
            isinstance(item, Mapping)
            and isinstance(item.get("key"), str)
            and (keys is None or item["key"] in keys)
        ):
            found[item["key"]] = item.get("value")
    return found


def default_tags(resource: ResourceView, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The provider's ``defaultTags.tags`` (the AWS provider adds them to every taggable resource)."""
    if resource.provider is None:
        return {}
    block = require_known(resource.provider.prop("defaultTags"), "defaultTags")
    tags = require_known(dig(block, "tags"), "defaultTags.tags")
    return {k: require_known(v, f"defaultTags.tags.{k}") for k, v in _tag_map(tags, keys).items()}


def takes_default_tags(resource: ResourceView) -> bool:
    """Default tags reach resources whose ``tags`` is a map; list-shaped tags (Auto Scaling) are left alone."""
    raw = resource.props.get("tags")
    return raw is None or isinstance(raw, Mapping)


def effective_tags(resource: ResourceView, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Provider default tags overlaid by the resource's own, as the provider computes ``tagsAll``."""
    own = _tag_map(resource.props.get("tags"), keys)
    return {**default_tags(resource, keys), **own} if takes_default_tags(resource) else own


def tag_value(resource: ResourceView, key: str) -> str | None:
    value = effective_tags(resource, (key,)).get(key)
    return value if isinstance(value, str) else None
