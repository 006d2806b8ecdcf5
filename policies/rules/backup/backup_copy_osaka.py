"""Every backup rule copies its recovery points to the other Japanese region, and never out of Japan (BAK-02).

A plan in Tokyo (or anywhere but Osaka) must copy to a vault in
ap-northeast-3; a plan in Osaka copies to ap-northeast-1, so that losing one
region never loses both copies. The destination region comes from the
``destinationVaultArn`` (``arn:aws:backup:<region>:<account>:backup-vault:<name>``);
when that is not a literal ARN (an output still unknown in a preview, or a
name), it is resolved through the plan's property dependencies to the vault
resource and that vault's region.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list
from policies.parameters import JAPAN_REGIONS, PRIMARY_REGION, SECONDARY_REGION
from policies.rules._common.arns import arn_region
from policies.rules._common.unknowns import unknown_error
from policies.rules._secops.backup import PLAN, VAULT, plan_rules


def _dependency_vaults(stack: StackView, plan: ResourceView) -> list[ResourceView]:
    vaults = [stack.get(urn) for urn in plan.property_dependencies.get("rules", ())]
    return [v for v in vaults if v is not None and v.type == VAULT]


def _destination_region(
    stack: StackView, plan: ResourceView, rule: Mapping[str, Any], copy: Mapping[str, Any]
) -> str | None:
    """The destination vault's region; None when it cannot be told. Re-raises a preview unknown
    that the property dependencies cannot resolve either."""
    unknown = unknown_error()
    try:
        value = copy.get("destinationVaultArn")
    except unknown:
        value, pending = None, True
    else:
        pending = False
    region = arn_region(value)
    if region is not None:
        return region
    try:
        target = rule.get("targetVaultName")
    except unknown:
        target = None
    vaults = _dependency_vaults(stack, plan)
    if isinstance(target, str):
        candidates = [v for v in vaults if v.props.get("name") != target]
    else:  # the rule's own (target) vault is in the plan's region; a copy vault normally is not
        candidates = [v for v in vaults if v.region != plan.region]
    if isinstance(value, str) and value:
        named = [v for v in stack.of_type(VAULT) if value in (v.props.get("name"), v.props.get("arn"))]
        candidates = named or candidates
    regions = {v.region for v in candidates}
    if len(regions) == 1:
        return regions.pop()
    if pending:
        copy.get("destinationVaultArn")  # let the preview unknown propagate: the rule cannot decide
    return None


class BackupCopyOsaka(StackRule):
    id = "backup_copy_osaka"
    description = (
        "Every AWS Backup plan rule copies to a vault in ap-northeast-3 (ap-northeast-1 for a plan in Osaka),"
        " and no copy goes to a vault outside Japan."
    )
    remediation = (
        "Add to each plan rule a copyAction whose destinationVaultArn is a backup vault created through the "
        "ap-northeast-3 provider; remove copy actions to vaults outside ap-northeast-1 and ap-northeast-3."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        plans = list(stack.of_type(PLAN))
        if not plans:
            raise NotApplicable("the stack has no AWS Backup plan")
        for plan in plans:
            wanted = PRIMARY_REGION if plan.region == SECONDARY_REGION else SECONDARY_REGION
            expected = f"a copyAction to a backup vault in {wanted}"
            for label, rule in plan_rules(plan):
                copies = [c for c in as_list(rule.get("copyActions")) if isinstance(c, Mapping)]
                if not copies:
                    yield Failure(f"{label} has no copyAction", expected, plan.urn)
                    continue
                regions = []
                for index, copy in enumerate(copies):
                    region = _destination_region(stack, plan, rule, copy)
                    regions.append(region)
                    if region is None:
                        yield Failure(
                            f"{label} copyActions[{index}].destinationVaultArn "
                            f"{copy.get('destinationVaultArn')!r} names no vault whose region can be told",
                            f"destinationVaultArn of a backup vault in {wanted}",
                            plan.urn,
                        )
                    elif region not in JAPAN_REGIONS:
                        yield Failure(
                            f"{label} copyActions[{index}] copies to a vault in {region}, outside Japan",
                            f"copies only to vaults in {' or '.join(JAPAN_REGIONS)}",
                            plan.urn,
                        )
                if wanted not in regions and any(r in JAPAN_REGIONS for r in regions):
                    shown = ", ".join(sorted({r for r in regions if r}))
                    yield Failure(f"{label} copies only to {shown}", expected, plan.urn)
