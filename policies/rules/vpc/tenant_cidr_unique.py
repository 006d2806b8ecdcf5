"""Tenant VPC CIDRs do not overlap (TEN-02).

Across stacks (``tenantctl check --all``): no VPC CIDR of one tenant stack
overlaps a VPC CIDR of another, so tenants can never be routed into each other
and each tenant's addresses identify it in logs. Inside one stack, two VPCs may
reuse a range only while they are not connected: overlapping VPCs joined by a
peering connection or by the same (or peered) transit gateways fail.
A VPC's CIDRs are its ``cidrBlock`` and those of its
``VpcIpv4CidrBlockAssociation`` resources; a VPC whose CIDR comes from an IPAM
pool has no literal range to compare. The ``org`` stack is not a tenant.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from policies.framework import Failure, MultiStackRule, NotApplicable, ResourceView, StackView
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.values import text
from policies.rules._net.common import Links, links_of, network
from policies.rules._net.routes import CIDR_ASSOCIATION, VPC
from policies.rules.vpc.vpc_peering_same_tenant import (
    PEERING,
    TGW_PEERING,
    TGW_VPC_ATTACHMENT,
    TRANSIT_GATEWAY,
)


@dataclass(frozen=True)
class Block:
    stack: str
    holder: ResourceView  # the VPC or the CIDR association that declares the range
    vpc: ResourceView
    cidr: str
    net: ipaddress.IPv4Network

    @property
    def order(self) -> tuple[str, str]:
        return (self.stack, self.holder.urn)

    def describe(self) -> str:
        return f"{self.cidr} of VPC {self.vpc.name} in stack {self.stack}"


class _Groups:
    """Union-find over VPCs and transit gateways joined by peering or attachments."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self._parent.setdefault(key, key)
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        self._parent[self.find(a)] = self.find(b)


def _connections(links: Links, groups: _Groups) -> None:
    for peering in links.of(PEERING):
        left = links.one(peering, "vpcId", (VPC,))
        right = links.one(peering, "peerVpcId", (VPC,))
        if left is not None and right is not None:
            groups.join(left.urn, right.urn)
    for attachment in links.of(TGW_VPC_ATTACHMENT):
        vpc = links.one(attachment, "vpcId", (VPC,))
        gateway = links.one(attachment, "transitGatewayId", (TRANSIT_GATEWAY,))
        if vpc is not None and gateway is not None:
            groups.join(vpc.urn, gateway.urn)
    for peering in links.of(TGW_PEERING):
        left = links.one(peering, "transitGatewayId", (TRANSIT_GATEWAY,))
        right = links.one(peering, "peerTransitGatewayId", (TRANSIT_GATEWAY,))
        if left is not None and right is not None:
            groups.join(left.urn, right.urn)


def _blocks(stack: StackView, links: Links) -> Iterator[Block]:
    for vpc in links.of(VPC):
        cidr = text(vpc.props.get("cidrBlock"))
        net = network(cidr)
        if cidr is not None and isinstance(net, ipaddress.IPv4Network):
            yield Block(stack.name, vpc, vpc, cidr, net)
    for association in links.of(CIDR_ASSOCIATION):
        owner = links.one(association, "vpcId", (VPC,))
        cidr = text(association.props.get("cidrBlock"))
        net = network(cidr)
        if owner is not None and cidr is not None and isinstance(net, ipaddress.IPv4Network):
            yield Block(stack.name, association, owner, cidr, net)


class TenantCidrUnique(MultiStackRule):
    id = "tenant_cidr_unique"
    reads = frozenset({VPC, CIDR_ASSOCIATION, PEERING, TGW_PEERING, TGW_VPC_ATTACHMENT, TRANSIT_GATEWAY})
    description = (
        "VPC CIDRs of different tenant stacks do not overlap, and VPCs of one stack that are peered or share "
        "transit gateways do not overlap either."
    )
    remediation = (
        "Give each tenant environment its own VPC range (the tenant spec's CIDR), distinct from every other "
        "tenant's; inside one tenant, use distinct ranges for VPCs that are connected."
    )

    def evaluate(self, stacks: Sequence[StackView]) -> Iterator[Failure]:
        blocks: list[Block] = []
        groups = _Groups()
        for stack in stacks:
            if is_org_stack(stack):
                continue
            links = links_of(stack)
            _connections(links, groups)
            blocks.extend(_blocks(stack, links))
        if not blocks:
            raise NotApplicable("no tenant stack declares a VPC with a literal IPv4 CIDR")
        blocks.sort(key=lambda b: (int(b.net.network_address), b.order))
        for i, first in enumerate(blocks):
            end = int(first.net.broadcast_address)
            for second in blocks[i + 1 :]:
                if int(second.net.network_address) > end:
                    break
                if first.vpc.urn == second.vpc.urn:
                    continue
                earlier, later = sorted((first, second), key=lambda b: b.order)
                if earlier.stack != later.stack:
                    yield Failure(
                        f"cidrBlock {later.cidr} (stack {later.stack}) overlaps {earlier.describe()}",
                        "a CIDR that overlaps no other tenant stack's VPC",
                        later.holder.urn,
                    )
                elif groups.find(earlier.vpc.urn) == groups.find(later.vpc.urn):
                    yield Failure(
                        f"cidrBlock {later.cidr} overlaps {earlier.describe()}, and the two VPCs are"
                        " connected by peering or a transit gateway",
                        "connected VPCs with non-overlapping CIDRs",
                        later.holder.urn,
                    )
