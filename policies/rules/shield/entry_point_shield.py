"""Every internet-facing entry point and Elastic IP is protected by Shield Advanced (EDGE-03).

Protected resources are named by an ``aws:shield/protection:Protection``'s
``resourceArn``: internet-facing application and classic load balancers,
CloudFront distributions and every Elastic IP. Shield Advanced protects an
internet-facing network load balancer only through its Elastic IPs, so such an
NLB must take one through ``subnetMappings[].allocationId`` in every subnet,
each of them protected.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.framework import Failure, NotApplicable, StackRule, StackView, as_list
from policies.rules._common.unknowns import is_unknown, read
from policies.rules._common.values import text
from policies.rules._net.common import links_of
from policies.rules._net.entry import (
    DISTRIBUTION,
    EIP,
    SHIELD_PROTECTION,
    public_albs,
    public_classic_lbs,
    public_nlbs,
    refers_to,
)

EXPECTED_PROTECTION = "an aws:shield/protection:Protection whose resourceArn is this resource's ARN"
EXPECTED_NLB = (
    "subnetMappings with an Elastic IP (allocationId) in every subnet, each protected by Shield Advanced"
)


class EntryPointShield(StackRule):
    id = "entry_point_shield"
    description = (
        "Internet-facing ALBs, classic load balancers, CloudFront distributions and all Elastic IPs have a"
        " Shield Advanced protection; internet-facing NLBs are reachable only through protected Elastic IPs."
    )
    remediation = (
        "Create an aws.shield.Protection for each internet-facing load balancer, distribution and Elastic IP "
        "(resource_arn = its ARN); give network load balancers subnet_mappings with allocation_id so their "
        "addresses can be protected."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        targets = [*public_albs(links), *public_classic_lbs(links), *links.of(DISTRIBUTION), *links.of(EIP)]
        nlbs = public_nlbs(links)
        if not targets and not nlbs:
            raise NotApplicable("the stack declares no internet-facing entry point or Elastic IP")
        protected: set[str] = set()
        for protection in links.of(SHIELD_PROTECTION):
            protected.update(t.urn for t in refers_to(links, protection, "resourceArn", targets))
        for target in targets:
            if target.urn not in protected:
                yield Failure("has no Shield Advanced protection", EXPECTED_PROTECTION, target.urn)
        for nlb in nlbs:
            mappings = [m for m in as_list(nlb.props.get("subnetMappings")) if isinstance(m, Mapping)]
            if not mappings:
                yield Failure(
                    "is internet-facing with AWS-assigned addresses (no subnetMappings), which Shield"
                    " Advanced cannot protect",
                    EXPECTED_NLB,
                    nlb.urn,
                )
                continue
            for index, mapping in enumerate(mappings):
                allocation = text(read(mapping, "allocationId"))
                if allocation is None:
                    yield Failure(
                        f"subnetMappings[{index}] has no allocationId, so its address cannot be protected",
                        EXPECTED_NLB,
                        nlb.urn,
                    )
                elif is_unknown(allocation) and links.deps(nlb, "subnetMappings", (EIP,)):
                    continue  # a preview: the Elastic IPs of the stack behind the mappings are checked above
                elif links.one(nlb, "subnetMappings", (EIP,), allocation) is None:
                    yield Failure(
                        f"subnetMappings[{index}] uses Elastic IP {allocation}, which is not declared in this"
                        " stack, so its protection cannot be verified",
                        EXPECTED_NLB,
                        nlb.urn,
                    )
