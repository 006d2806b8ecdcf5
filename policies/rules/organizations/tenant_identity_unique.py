"""Tenant identities do not collide (TEN-01): one account per tenant environment.

Evidence visible in the synth: the org stack declares every tenant account
(``aws:organizations/account:Account``, with its ``email``, ``name`` and
``tenant`` / ``environment`` tags), and the tenant stacks are named
``<tenant>-<env>``. Two accounts with one e-mail address cannot both exist
(AWS rejects the second), two accounts for one tenant environment would split
its resources, and two stack names equal but for case name one tenant twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policies.framework import Failure, MultiStackRule, NotApplicable, ResourceView, StackView, stack_root
from policies.rules._common.stacks import is_org_stack, stack_environment
from policies.rules._common.tags import effective_tags

ACCOUNT = "aws:organizations/account:Account"
PLATFORM_TENANT = "platform"


def _group(items: list[tuple[str, ResourceView]]) -> dict[str, list[ResourceView]]:
    groups: dict[str, list[ResourceView]] = {}
    for key, resource in items:
        groups.setdefault(key, []).append(resource)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _others(resource: ResourceView, group: list[ResourceView]) -> str:
    return ", ".join(
        f"{r.type} {r.name}" + (f" (stack {r.stack})" if r.stack != resource.stack else "")
        for r in group
        if r is not resource
    )


def _collisions(keyed: list[tuple[str, ResourceView]], wrong: str, expected: str) -> Iterator[Failure]:
    """One failure per resource sharing its key with another (``wrong`` formats ``key`` and ``others``)."""
    for key, group in sorted(_group(keyed).items()):
        for resource in group:
            yield Failure(wrong.format(key=key, others=_others(resource, group)), expected, resource.urn)


class TenantIdentityUnique(MultiStackRule):
    id = "tenant_identity_unique"
    reads = frozenset({ACCOUNT})
    description = (
        "Across the organization, every tenant environment has exactly one account: no two accounts share an"
        " e-mail address, a name or a tenant/environment pair, and no two tenant stacks share a name but for"
        " case."
    )
    remediation = (
        "Give each tenant environment its own stacks/Pulumi.<tenant>-<env>.yaml with a unique tenant ID and a"
        " unique account e-mail; remove the duplicate."
    )

    def evaluate(self, stacks: Sequence[StackView]) -> Iterator[Failure]:
        accounts = [r for stack in stacks for r in stack.of_type(ACCOUNT)]
        tenant_stacks = [s for s in stacks if not is_org_stack(s.name)]
        if not accounts and len(tenant_stacks) < 2:
            raise NotApplicable("no organization accounts and fewer than two tenant stacks to compare")

        emails = [(str(r.props.get("email")).strip().lower(), r) for r in accounts if r.props.get("email")]
        yield from _collisions(
            emails,
            "uses e-mail {key}, as does {others}",
            "a unique account e-mail address per tenant environment",
        )
        names = [(str(r.props.get("name")).strip().lower(), r) for r in accounts if r.props.get("name")]
        yield from _collisions(
            names, "has account name {key}, as does {others}", "a unique account name per tenant environment"
        )
        environments: list[tuple[str, ResourceView]] = []
        for resource in accounts:
            tags = effective_tags(resource, ("tenant", "environment"))
            tenant, environment = tags.get("tenant"), tags.get("environment")
            if tenant and environment and str(tenant) != PLATFORM_TENANT:
                environments.append((f"{tenant}-{environment}".lower(), resource))
        yield from _collisions(
            environments,
            "is a second account for tenant environment {key}, as is {others}",
            "exactly one account per tenant environment",
        )
        by_folded_name: dict[str, list[StackView]] = {}
        for stack in tenant_stacks:
            by_folded_name.setdefault(stack.name.lower(), []).append(stack)
        for folded, group in sorted(by_folded_name.items()):
            if len(group) < 2:
                continue
            names_listed = ", ".join(s.name for s in group)
            for stack in group:
                yield Failure(
                    f"stack {stack.name} names tenant environment {folded} like {names_listed}"
                    + ("" if stack_environment(stack.name) else " (not a <tenant>-<env> name)"),
                    "one stack per tenant environment, with a unique lower-case <tenant>-<env> name",
                    stack_root(stack).urn if stack.resources else None,
                )
