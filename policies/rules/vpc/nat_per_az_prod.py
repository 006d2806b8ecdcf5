"""Production VPCs have one NAT gateway per availability zone, used by that AZ's private subnets (NET-03).

Production is a ``<tenant>-prod`` stack, or resources tagged ``environment=prod``.
A private subnet is one tagged ``zone=private``, or untagged with a route to a NAT
gateway. Each AZ holding private subnets needs a public NAT gateway in a subnet
of the same AZ, and each private subnet must route to the NAT gateway of its
own AZ, so that losing one AZ does not cut the others off. A regional NAT
gateway (``availabilityMode regional``) spans the VPC's AZs by itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.tags import tag
from policies.rules._common.values import text
from policies.rules._net.common import is_prod_stack, links_of
from policies.rules._net.routes import NAT_GATEWAY, SUBNET, VPC, Network, describe_route, network_of


def _is_regional(nat: ResourceView) -> bool:
    return (text(nat.props.get("availabilityMode")) or "zonal").lower() == "regional"


def _is_public(nat: ResourceView) -> bool:
    return (text(nat.props.get("connectivityType")) or "public").lower() == "public"


class NatPerAzProd(StackRule):
    id = "nat_per_az_prod"
    description = (
        "In production, every availability zone with private subnets has its own NAT gateway, and each "
        "private subnet routes to the NAT gateway of its own AZ."
    )
    remediation = (
        "Create one public NAT gateway in a public subnet of each AZ and give each AZ's private subnets a "
        "route table whose 0.0.0.0/0 route targets that AZ's NAT gateway (or use a regional NAT gateway)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if not is_prod_stack(stack):
            raise NotApplicable("not a production stack (name <tenant>-prod or tag environment=prod)")
        links = links_of(stack)
        network = network_of(stack)
        private = [s for s in network.subnets if _is_private(network, s)]
        if not private:
            raise NotApplicable("the stack declares no private subnet")
        nat_az: dict[str, str | None] = {}
        regional_vpcs: set[str] = set()
        zonal: dict[tuple[str, str], list[ResourceView]] = defaultdict(list)
        for nat in links.of(NAT_GATEWAY):
            if not _is_public(nat):
                continue
            if _is_regional(nat):
                vpc = links.one(nat, "vpcId", (VPC,))
                if vpc is not None:
                    regional_vpcs.add(vpc.urn)
                continue
            subnet = links.one(nat, "subnetId", (SUBNET,))
            vpc = network.vpc_of(subnet) if subnet is not None else None
            az = network.availability_zone(subnet) if subnet is not None else None
            nat_az[nat.urn] = az
            if vpc is not None and az is not None:
                zonal[(vpc.urn, az)].append(nat)
        reported_azs: set[tuple[str, str]] = set()
        for subnet in private:
            vpc = network.vpc_of(subnet)
            if vpc is not None and vpc.urn in regional_vpcs:
                continue
            az = network.availability_zone(subnet)
            if az is None:
                yield Failure(
                    "is a private subnet without availabilityZone, so no NAT gateway can be matched to"
                    " its AZ",
                    "an explicit availabilityZone and a route to the NAT gateway of that AZ",
                    subnet.urn,
                )
                continue
            if vpc is not None and (vpc.urn, az) not in zonal and (vpc.urn, az) not in reported_azs:
                reported_azs.add((vpc.urn, az))
                yield Failure(
                    f"has private subnets in {az} but no NAT gateway in {az}",
                    f"a public NAT gateway in a public subnet of {az}",
                    vpc.urn,
                )
            nat_routes = [r for r in network.routes_of(subnet) if r.kind == "nat"]
            if not nat_routes:
                yield Failure(
                    "is a private subnet with no route to a NAT gateway",
                    f"a 0.0.0.0/0 route to the NAT gateway in {az}",
                    subnet.urn,
                )
                continue
            for route in nat_routes:
                if route.via is None:
                    yield Failure(
                        f"{describe_route(route)}, which is not declared in this stack, so its AZ is unknown",
                        f"a route to the NAT gateway in {az}",
                        subnet.urn,
                    )
                elif not _is_regional(route.via) and nat_az.get(route.via.urn) != az:
                    other = nat_az.get(route.via.urn) or "an unknown AZ"
                    yield Failure(
                        f"is in {az} but {describe_route(route)} in {other}",
                        f"a route to the NAT gateway in {az}",
                        subnet.urn,
                    )


def _is_private(network: Network, subnet: ResourceView) -> bool:
    zone = tag(subnet, "zone")
    if zone is not None:
        return zone == "private"
    return network.route_class(subnet)[0] == "private"
