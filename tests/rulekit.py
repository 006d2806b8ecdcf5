"""Helpers for rule tests: build views by hand and get the exact messages a runner would print."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from policies.catalog import control_for_rule
from policies.framework import (
    Failure,
    MultiStackRule,
    NotApplicable,
    ProviderView,
    ResourceRule,
    ResourceView,
    StackRule,
    StackView,
    format_message,
    stack_root,
)
from policies.pack import subject_of
from policies.registry import get_rule

STACK = "acme-prod"
PROJECT = "tenant-zone"


def urn(resource_type: str, name: str, stack: str = STACK) -> str:
    return f"urn:pulumi:{stack}::{PROJECT}::{resource_type}::{name}"


def provider(
    region: str = "ap-northeast-1", name: str = "tokyo", stack: str = STACK, **props: Any
) -> ProviderView:
    return ProviderView(
        "pulumi:providers:aws", urn("pulumi:providers:aws", name, stack), name, {"region": region, **props}
    )


def resource(
    resource_type: str,
    name: str,
    props: Mapping[str, Any] | None = None,
    *,
    region: str | None = "ap-northeast-1",
    stack: str = STACK,
    prop_deps: Mapping[str, Sequence[str]] | None = None,
    parent: str | None = None,
    preview: bool = False,
) -> ResourceView:
    """A resource on a provider in ``region`` (None: a provider without region)."""
    raw = dict(props or {})
    return ResourceView(
        type=resource_type,
        name=name,
        urn=urn(resource_type, name, stack),
        props=unknown_checking_proxy(raw) if preview else raw,
        provider=provider(region, stack=stack) if region is not None else provider(stack=stack, region=None),  # type: ignore[arg-type]
        parent=parent,
        dependencies=tuple(sorted({u for us in (prop_deps or {}).values() for u in us})),
        property_dependencies=dict(prop_deps or {}),
    )


def stack(*resources: ResourceView, name: str = STACK) -> StackView:
    return StackView(name=name, resources=tuple(sorted(resources, key=lambda r: r.urn)))


def _format(
    failures: Iterable[Failure], rule_id: str, views: Mapping[str, ResourceView], default: ResourceView | None
):
    control = control_for_rule(rule_id).id
    out = []
    for failure in failures:
        # The pack's own attribution, so a test pins exactly what the runners print.
        rtype, rname = subject_of(failure.urn, views, default)
        out.append(format_message(rtype, rname, failure, control))
    return out


def messages(rule_id: str, subject: ResourceView | StackView | Sequence[StackView]) -> list[str]:
    """The formatted messages of one rule, as the runners print them.

    Raises ``NotApplicable`` when the rule says so, and ``UnknownValueError``
    when it touched an unknown value (preview).
    """
    rule = get_rule(rule_id)
    if isinstance(rule, ResourceRule):
        assert isinstance(subject, ResourceView)
        if not rule.applies_to(subject.type):
            raise NotApplicable(f"{rule_id} does not look at {subject.type}")
        return _format(rule.evaluate(subject), rule_id, {}, subject)
    if isinstance(rule, StackRule):
        assert isinstance(subject, StackView)
        return _format(
            rule.evaluate(subject),
            rule_id,
            {r.urn: r for r in subject.resources},
            stack_root(subject, PROJECT),
        )
    assert isinstance(rule, MultiStackRule)
    stacks = list(subject)  # type: ignore[arg-type]
    views = {r.urn: r for s in stacks for r in s.resources}
    return _format(rule.evaluate(stacks), rule_id, views, None)


def outcome(rule_id: str, subject: Any) -> str:
    """'pass', 'fail', 'n/a' or 'unknown' for one rule over one subject."""
    try:
        found = messages(rule_id, subject)
    except NotApplicable:
        return "n/a"
    except UnknownValueError:
        return "unknown"
    return "fail" if found else "pass"
