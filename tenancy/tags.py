"""Required tags on every taggable resource of a stack (TEN-04), through one stack transformation.

The tags go on each resource's own ``tags`` input rather than the provider's ``defaultTags``: the policy gate
and checkov read resource inputs, where provider default tags never appear (the engine merges them into
``tagsAll`` after the provider's Check, which does not run under mocks).

The legacy ``register_stack_transformation`` is used on purpose: it runs in the program itself, so it behaves
the same under ``pulumi up``, the Pulumi mocks and the offline synth; the newer
``register_resource_transform`` is executed by the engine, which the mock monitor does not do.

Tags a resource sets itself are never overridden: the transformation only adds the required keys it lacks, so
a component can tag a bucket ``purpose`` or refine ``data-classification``, and a required key can't go
missing."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import pulumi

MANAGED_BY = "tenant-zone"
PLATFORM_TENANT = "platform"  # the tenant tag of org-stack resources
REQUIRED_TAG_KEYS: tuple[str, ...] = ("tenant", "environment", "data-classification", "managed-by")


def required_tags(tenant: str, environment: str, data_classification: str) -> dict[str, str]:
    return {
        "tenant": tenant,
        "environment": environment,
        "data-classification": data_classification,
        "managed-by": MANAGED_BY,
    }


def is_taggable(resource_class: type) -> bool:
    """True when the class is a custom resource whose ``tags`` input is an AWS tag map.

    Decided from the generated constructor's signature: pulumi_aws declares ``tags`` only on resources that
    support tagging, and a few (autoscaling groups) use a list of tag blocks instead of a map, which a map
    merge would corrupt."""
    if not issubclass(resource_class, pulumi.CustomResource) or issubclass(
        resource_class, pulumi.ProviderResource
    ):
        return False
    if resource_class not in _TAG_MAP_CACHE:
        _TAG_MAP_CACHE[resource_class] = _has_tag_map(resource_class)
    return _TAG_MAP_CACHE[resource_class]


_TAG_MAP_CACHE: dict[type, bool] = {}


def _has_tag_map(resource_class: type) -> bool:
    init = getattr(resource_class, "_internal_init", None)
    if init is None:
        return False
    parameter = inspect.signature(init).parameters.get("tags")
    return parameter is not None and "Mapping[str" in str(parameter.annotation)


def merge_tags(existing: Any, tags: Mapping[str, str]) -> Any:
    """``tags`` under ``existing`` (a dict, an Output of one, or None): keys the resource set win."""
    if existing is None:
        return dict(tags)
    if isinstance(existing, Mapping):
        return {**tags, **{k: v for k, v in existing.items() if v is not None}}
    return pulumi.Output.from_input(existing).apply(lambda value: {**tags, **(value or {})})


def tag_transformation(tags: Mapping[str, str]) -> pulumi.ResourceTransformation:
    """A transformation that adds ``tags`` to every taggable resource below it."""
    fixed = dict(tags)

    def transform(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
        if not is_taggable(type(args.resource)) or not isinstance(args.props, dict):
            return None
        props = dict(args.props)
        props["tags"] = merge_tags(props.get("tags"), fixed)
        return pulumi.ResourceTransformationResult(props, args.opts)

    return transform


def register_required_tags(tenant: str, environment: str, data_classification: str) -> dict[str, str]:
    """Register the transformation for the whole stack; call it before the first resource. Returns the
    tags."""
    tags = required_tags(tenant, environment, data_classification)
    pulumi.runtime.register_stack_transformation(tag_transformation(tags))
    return tags
