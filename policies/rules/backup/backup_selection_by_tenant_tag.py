"""Backups select the tenant's resources by the ``tenant`` tag (BAK-01).

A tenant stack needs a backup plan with a ``Selection`` (``planId`` pointing at
it) that selects by tag key ``tenant``: a ``selectionTags`` entry, or a
``conditions`` ``stringEquals`` / ``stringLike`` on ``aws:ResourceTag/tenant``.
When the stack name follows ``<tenant>-<env>``, the selected value must be the
tenant's name, or the plan backs up someone else's resources (none, in the
tenant's own account).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list, dig
from policies.rules._common.stacks import is_org_stack, stack_tenant
from policies.rules._secops.backup import PLAN, SELECTION

TAG_KEY = "tenant"
CONDITION_KEY = "aws:ResourceTag/tenant"


def _tenant_values(selection: ResourceView) -> list[Any]:
    """The values this selection matches the tenant tag against (empty: it does not select by it)."""
    values = [
        tag.get("value")
        for tag in as_list(selection.props.get("selectionTags"))
        if isinstance(tag, Mapping) and tag.get("key") == TAG_KEY
    ]
    conditions = selection.props.get("conditions")
    for operator in ("stringEquals", "stringLikes"):
        for condition in as_list(dig(conditions, operator)):
            if isinstance(condition, Mapping) and condition.get("key") == CONDITION_KEY:
                values.append(condition.get("value"))
    return values


class BackupSelectionByTenantTag(StackRule):
    id = "backup_selection_by_tenant_tag"
    description = "A tenant stack has a backup plan whose selection picks resources by the tenant tag."
    remediation = (
        "Add a backup.Selection for the plan with selectionTags [{type: STRINGEQUALS, key: tenant, "
        "value: <tenant>}] (or conditions.stringEquals on aws:ResourceTag/tenant)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if is_org_stack(stack):
            raise NotApplicable("the org stack does not hold tenant data")
        plans = list(stack.of_type(PLAN))
        if not plans:
            yield Failure("has no AWS Backup plan", "a backup.Plan with a selection by the tenant tag")
            return
        tenant = stack_tenant(stack.name)
        selected: dict[str, list[tuple[ResourceView, list[Any]]]] = {plan.urn: [] for plan in plans}
        for selection in stack.of_type(SELECTION):
            values = _tenant_values(selection)
            for plan in stack.referenced(selection, "planId", PLAN):
                if values:
                    selected[plan.urn].append((selection, values))
        right = [
            plan
            for plan in plans
            if any(tenant is None or tenant in values for _, values in selected[plan.urn])
        ]
        if right:
            return
        for plan in plans:
            if not selected[plan.urn]:
                yield Failure(
                    f"has no selection by tag {TAG_KEY}",
                    f"a backup.Selection with selectionTags key {TAG_KEY} (value {tenant or '<tenant>'})",
                    plan.urn,
                )
            for selection, values in selected[plan.urn]:
                yield Failure(
                    f"selects tag {TAG_KEY} = {', '.join(repr(v) for v in values)}, not this stack's tenant",
                    f"tag {TAG_KEY} = {tenant!r}",
                    selection.urn,
                )
