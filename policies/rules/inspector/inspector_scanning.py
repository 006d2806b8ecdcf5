"""Amazon Inspector scans EC2, ECR and Lambda in both Japanese regions of every tenant account (VUL-01).

Inspector is regional, and Osaka runs the tenant's workloads after a
failover, so each of ap-northeast-1 and ap-northeast-3 needs ``Enabler``
resources whose ``resourceTypes`` together include EC2, ECR and LAMBDA.

Only a stack that enables Inspector itself (an enabler anywhere) is judged: a tenant stack with none leaves
its account to the organization's delegated administrator, which activates members' scans itself
(``inspector_auto_enable`` judges the org stack for that), and a member cannot change them.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list
from policies.parameters import JAPAN_REGIONS
from policies.rules._common.stacks import is_org_stack

ENABLER = "aws:inspector2/enabler:Enabler"
REQUIRED = ("EC2", "ECR", "LAMBDA")


class InspectorScanning(StackRule):
    id = "inspector_scanning"
    description = (
        "A tenant stack that enables Amazon Inspector itself does so for EC2, ECR and LAMBDA in "
        "ap-northeast-1 and ap-northeast-3."
    )
    remediation = (
        "Add an inspector2.Enabler with resourceTypes [EC2, ECR, LAMBDA] and the tenant account ID, "
        "through the provider of each region."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if is_org_stack(stack):
            raise NotApplicable("the org stack does not hold a tenant baseline")
        by_region: dict[str, list[ResourceView]] = {region: [] for region in JAPAN_REGIONS}
        enablers_anywhere = list(stack.of_type(ENABLER))
        if not enablers_anywhere:
            raise NotApplicable(
                "the stack enables no Inspector itself: its organization's administrator does"
            )
        for enabler in enablers_anywhere:
            if enabler.region in by_region:
                by_region[enabler.region].append(enabler)
        for region, enablers in by_region.items():
            if not enablers:
                yield Failure(
                    f"region {region} has no Amazon Inspector enabler",
                    f"an inspector2.Enabler with resourceTypes {', '.join(REQUIRED)} in {region}",
                )
                continue
            covered = {str(t).upper() for e in enablers for t in as_list(e.props.get("resourceTypes"))}
            missing = [t for t in REQUIRED if t not in covered]
            if missing:
                yield Failure(
                    f"resourceTypes in {region} lack {', '.join(missing)}",
                    f"resourceTypes including {', '.join(REQUIRED)}",
                    enablers[0].urn,
                )
