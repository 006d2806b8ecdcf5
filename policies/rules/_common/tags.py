"""A resource's tags as the AWS provider computes ``tagsAll``: the provider's ``defaultTags.tags``
overlaid by the resource's own ``tags``.

Tags arrive as a ``{key: value}`` object, or as the ``[{key, value}]`` list some resources take
(Auto Scaling groups), which receives no default tags. Rules that ask for some tags name them
(``keys``), so that another tag that is a preview unknown is never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policies.framework import ResourceView, as_list, dig
from policies.rules._common.unknowns import require_known


def _tag_map(value: Any, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
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
    """The provider's ``defaultTags.tags`` (decoded by ``ProviderView.prop``, so checked for unknowns
    here)."""
    if resource.provider is None:
        return {}
    block = require_known(resource.provider.prop("defaultTags"), "defaultTags")
    tags = require_known(dig(block, "tags"), "defaultTags.tags")
    return {k: require_known(v, f"defaultTags.tags.{k}") for k, v in _tag_map(tags, keys).items()}


def takes_default_tags(resource: ResourceView) -> bool:
    """Default tags reach resources whose ``tags`` is a map; list-shaped tags are left alone."""
    raw = resource.props.get("tags")
    return raw is None or isinstance(raw, Mapping)


def effective_tags(resource: ResourceView, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    own = _tag_map(resource.props.get("tags"), keys)
    return {**default_tags(resource, keys), **own} if takes_default_tags(resource) else own


def tag_value(resource: ResourceView, key: str) -> str | None:
    """The tag's value exactly as written, when it is a string."""
    value = effective_tags(resource, (key,)).get(key)
    return value if isinstance(value, str) else None


def tag(resource: ResourceView, key: str) -> str | None:
    """The tag's value trimmed and lower-cased (conventions' values are lower-case); None when empty."""
    value = effective_tags(resource, (key,)).get(key)
    shown = str(value).strip().lower() if value is not None else ""
    return shown or None
