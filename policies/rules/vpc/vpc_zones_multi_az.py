"""Every network zone of a VPC spans at least two availability zones (NET-03).

A subnet's zone is its ``zone`` tag, or for untagged subnets the zone its routes
give it (public: internet gateway; private: NAT gateway; isolated: neither).
A subnet without ``availabilityZone`` / ``availabilityZoneId`` gets an AZ AWS
picks, so it cannot count as a second AZ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._net.routes import network_of

MIN_AZS = 2


class VpcZonesMultiAz(StackRule):
    id = "vpc_zones_multi_az"
    description = (
        "In every VPC, the subnets of each zone (public, private, isolated) span at least two availability"
        " zones."
    )
    remediation = (
        "Give each zone one subnet per availability zone in at least two AZs (e.g. ap-northeast-1a and "
        "ap-northeast-1c), each with an explicit `availabilityZone`."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        network = network_of(stack)
        vpcs = [v for v in network.vpcs if network.subnets_of(v)]
        if not vpcs:
            raise NotApplicable("the stack declares no VPC with subnets")
        for vpc in vpcs:
            zones: dict[str, list[ResourceView]] = defaultdict(list)
            for subnet in network.subnets_of(vpc):
                zones[network.zone(subnet)].append(subnet)
            for zone, subnets in sorted(zones.items()):
                azs = sorted({az for s in subnets if (az := network.availability_zone(s)) is not None})
                if len(azs) >= MIN_AZS:
                    continue
                unplaced = [s.name for s in subnets if network.availability_zone(s) is None]
                where = f"only in {azs[0]}" if azs else "in no stated availability zone"
                detail = f" ({', '.join(unplaced)} without availabilityZone)" if unplaced else ""
                yield Failure(
                    f"zone {zone} has subnets {where}{detail}",
                    f"subnets of zone {zone} in at least {MIN_AZS} availability zones",
                    vpc.urn,
                )
