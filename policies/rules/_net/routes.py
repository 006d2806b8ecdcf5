"""VPCs, subnets, route tables and what a subnet's routes reach (NET-01, NET-03, TEN-02).

Our components tag every subnet ``zone`` = public | private | isolated. Raw
programs need not, so a subnet is also classified by its routes, as AWS does:
a route to an internet gateway (or an egress-only one, or a carrier gateway)
makes it public, a route to a public NAT gateway private, neither isolated.
A subnet without an explicit route table association uses its VPC's main route
table: the table of a ``MainRouteTableAssociation``, else the VPC's
``DefaultRouteTable`` when the program manages it, else the untouched main
table, which only has the local route.
Routes to a transit gateway or a peering connection are not followed: where
traffic goes beyond them is another VPC's business (a central egress VPC would
not be seen).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies.framework import ResourceView, StackView, as_list
from policies.rules._common.tags import tag
from policies.rules._common.unknowns import read
from policies.rules._common.values import text
from policies.rules._net.common import Links, links_of

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
DEFAULT_ROUTE_TABLE = "aws:ec2/defaultRouteTable:DefaultRouteTable"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
MAIN_ROUTE_TABLE_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"
INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway"
EGRESS_ONLY_GATEWAY = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
VPN_GATEWAY = "aws:ec2/vpnGateway:VpnGateway"
CIDR_ASSOCIATION = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"

TABLE_TYPES = (ROUTE_TABLE, DEFAULT_ROUTE_TABLE)
ZONES = ("public", "private", "isolated")


@dataclass(frozen=True)
class RouteTarget:
    """Where one route sends traffic: ``internet`` (IGW, egress-only IGW, carrier gateway), ``nat``
    (a public NAT gateway) or ``other``; ``via`` is the gateway resource when it is in the stack."""

    kind: str
    label: str
    destination: str
    table: ResourceView
    via: ResourceView | None = None


class Network:
    """The routing picture of one stack (``network_of`` shares one per stack view)."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self.vpcs = links.of(VPC)
        self.subnets = links.of(SUBNET)
        self._subnet_vpc: dict[str, ResourceView | None] = {
            s.urn: links.one(s, "vpcId", (VPC,)) for s in self.subnets
        }
        self._table_routes: dict[str, list[RouteTarget]] = defaultdict(list)
        for table in links.of(*TABLE_TYPES):
            for index, route in enumerate(as_list(table.props.get("routes"))):
                if isinstance(route, Mapping):
                    target = self._target(table, route, table, "routes", f"routes[{index}]")
                    if target is not None:
                        self._table_routes[table.urn].append(target)
        for route in links.of(ROUTE):
            owner_table = links.one(route, "routeTableId", TABLE_TYPES)
            if owner_table is None:
                continue
            target = self._target(route, route.props, owner_table, None, f"route {route.name}")
            if target is not None:
                self._table_routes[owner_table.urn].append(target)
        self._subnet_table: dict[str, ResourceView] = {}
        for association in links.of(ROUTE_TABLE_ASSOCIATION):
            subnet = links.one(association, "subnetId", (SUBNET,))
            associated = links.one(association, "routeTableId", TABLE_TYPES)
            if subnet is not None and associated is not None:
                self._subnet_table[subnet.urn] = associated
        self._main_table: dict[str, ResourceView] = {}
        for table in links.of(DEFAULT_ROUTE_TABLE):
            owner = links.one(table, "defaultRouteTableId", (VPC,))
            if owner is None:
                wanted = table.props.get("defaultRouteTableId")
                owner = next((v for v in self.vpcs if v.props.get("defaultRouteTableId") == wanted), None)
            if owner is not None:
                self._main_table[owner.urn] = table
        for association in links.of(MAIN_ROUTE_TABLE_ASSOCIATION):
            main_vpc = links.one(association, "vpcId", (VPC,))
            main_table = links.one(association, "routeTableId", TABLE_TYPES)
            if main_vpc is not None and main_table is not None:
                self._main_table[main_vpc.urn] = main_table

    def _target(
        self,
        owner: ResourceView,
        route: Mapping[str, Any],
        table: ResourceView,
        deps_prop: str | None,
        label: str,
    ) -> RouteTarget | None:
        destination = (
            text(route.get("destinationCidrBlock"))
            or text(route.get("cidrBlock"))
            or text(route.get("destinationIpv6CidrBlock"))
            or text(route.get("ipv6CidrBlock"))
            or text(route.get("destinationPrefixListId"))
            or "?"
        )

        def resolve(prop: str, types: tuple[str, ...]) -> ResourceView | None:
            return self.links.one(owner, deps_prop or prop, types, read(route, prop))

        gateway = text(read(route, "gatewayId"))
        if gateway is not None:
            if gateway == "local":
                return None
            via = resolve("gatewayId", (INTERNET_GATEWAY, VPN_GATEWAY))
            if (via is not None and via.type == INTERNET_GATEWAY) or (
                via is None and gateway.startswith("igw-")
            ):
                return RouteTarget(
                    "internet", f"internet gateway {via.name if via else gateway}", destination, table, via
                )
            return RouteTarget("other", f"gateway {via.name if via else gateway}", destination, table, via)
        egress_only = text(read(route, "egressOnlyGatewayId"))
        if egress_only is not None:
            via = resolve("egressOnlyGatewayId", (EGRESS_ONLY_GATEWAY,))
            name = via.name if via else egress_only
            return RouteTarget("internet", f"egress-only internet gateway {name}", destination, table, via)
        carrier = text(read(route, "carrierGatewayId"))
        if carrier is not None:
            return RouteTarget("internet", f"carrier gateway {carrier}", destination, table)
        nat = text(read(route, "natGatewayId"))
        if nat is not None:
            via = resolve("natGatewayId", (NAT_GATEWAY,))
            if via is not None and str(via.props.get("connectivityType") or "public").lower() == "private":
                return RouteTarget("other", f"private NAT gateway {via.name}", destination, table, via)
            return RouteTarget("nat", f"NAT gateway {via.name if via else nat}", destination, table, via)
        return None

    def vpc_of(self, subnet: ResourceView) -> ResourceView | None:
        return self._subnet_vpc.get(subnet.urn)

    def subnets_of(self, vpc: ResourceView) -> list[ResourceView]:
        return [s for s in self.subnets if self._subnet_vpc.get(s.urn) is vpc]

    def table_of(self, subnet: ResourceView) -> ResourceView | None:
        """The subnet's route table when the stack declares it (explicit association, else the VPC's main)."""
        table = self._subnet_table.get(subnet.urn)
        if table is not None:
            return table
        vpc = self.vpc_of(subnet)
        return self._main_table.get(vpc.urn) if vpc is not None else None

    def routes_of(self, subnet: ResourceView) -> list[RouteTarget]:
        table = self.table_of(subnet)
        return list(self._table_routes.get(table.urn, ())) if table is not None else []

    def route_class(self, subnet: ResourceView) -> tuple[str, RouteTarget | None]:
        """``public`` / ``private`` / ``isolated`` by routes, with the route that decided it."""
        routes = self.routes_of(subnet)
        for kind, zone in (("internet", "public"), ("nat", "private")):
            for route in routes:
                if route.kind == kind:
                    return zone, route
        return "isolated", None

    def zone(self, subnet: ResourceView) -> str:
        """The ``zone`` tag when set, else the zone its routes give it."""
        tagged = tag(subnet, "zone")
        return tagged if tagged is not None else self.route_class(subnet)[0]

    def availability_zone(self, subnet: ResourceView) -> str | None:
        return text(subnet.props.get("availabilityZone")) or text(subnet.props.get("availabilityZoneId"))


def describe_route(route: RouteTarget) -> str:
    return f"route table {route.table.name} sends {route.destination} to {route.label}"


def network_of(stack: StackView) -> Network:
    """The stack's routing picture, built once per view and shared by the network rules."""
    return stack.memo("net.network", lambda view: Network(links_of(view)))
