"""Every VPC has the three network zones: public, private and isolated subnets (NET-01).

A zone is a subnet's ``zone`` tag, else what its routes make it (``policies.rules._net.routes``): public
with a route to an internet gateway, private with a route to a NAT gateway, isolated with neither. Load
balancers need the public zone, applications the private one (egress through NAT only) and data stores
the isolated one; a VPC missing one puts something in a zone meant for another. A program that declares no
VPC (a service deployed into the tenant's network) has nothing to judge.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules._net.routes import VPC, ZONES, network_of

EXPECTED = "subnets in each of the zones " + ", ".join(ZONES)


class VpcThreeZones(StackRule):
    id = "vpc_three_zones"
    description = "Every VPC has public, private and isolated subnets (the three network zones)."
    remediation = (
        "Add the missing zone's subnets: public ones routed to the internet gateway (load balancers only), "
        "private ones routed to a NAT gateway (applications), isolated ones with neither (data stores); tag "
        "each subnet `zone` with its zone."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        vpcs = list(stack.of_type(VPC))
        if not vpcs:
            raise NotApplicable("the stack declares no VPC")
        network = network_of(stack)
        for vpc in vpcs:
            present = {network.zone(subnet) for subnet in network.subnets_of(vpc)}
            missing = [zone for zone in ZONES if zone not in present]
            if not missing:
                continue
            if not present:
                wrong = "has no subnets"
            else:
                has = ", ".join(zone for zone in ZONES if zone in present)
                wrong = f"has no {' or '.join(missing)} subnets (only {has})"
            yield Failure(wrong, EXPECTED, vpc.urn)
