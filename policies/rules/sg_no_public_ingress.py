"""No security group admits the internet except HTTPS (and HTTP for the redirect) on load balancers (NET-02).

Ingress is read from every place a program can write it: inline ``ingress``
blocks of ``aws:ec2/securityGroup``, ``aws:ec2/securityGroupRule`` of type
ingress and ``aws:vpc/securityGroupIngressRule``. A permission admits the
internet when a source has prefix length 0 (``0.0.0.0/0``, ``::/0``) or its
sources together cover all addresses (``0.0.0.0/1`` + ``128.0.0.0/1``). Such a permission is
allowed only for TCP on exactly port 443 or 80, and only on a security group
that a load balancer of the stack lists in ``securityGroups``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list
from policies.rules._common.values import number, shown_number, strings, text
from policies.rules._net.common import links_of, network
from policies.rules._net.entry import CLASSIC_LB, LOAD_BALANCERS

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

ALLOWED_PUBLIC_PORTS = (443.0, 80.0)
EXPECTED = (
    "no ingress from 0.0.0.0/0 or ::/0, except TCP port 443 (or 80 for the HTTPS redirect) "
    "on a security group attached to a load balancer"
)
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "-1": "all", "all": "all"}


@dataclass(frozen=True)
class Permission:
    owner: ResourceView
    label: str
    protocol: str
    from_port: float | None
    to_port: float | None
    sources: tuple[str, ...]

    @property
    def public_sources(self) -> str | None:
        """How the permission admits every address: ``0.0.0.0/0`` (and/or ``::/0``), or ranges of one
        permission that together cover one of them (``0.0.0.0/1 and 128.0.0.0/1 (together 0.0.0.0/0)``)."""
        nets = [(source, net) for source in self.sources if (net := network(source)) is not None]
        whole = [source for source, net in nets if net.prefixlen == 0]
        if whole:
            return " and ".join(whole)
        for version in (4, 6):
            parts = [(source, net) for source, net in nets if net.version == version]
            union = list(ipaddress.collapse_addresses(net for _, net in parts))  # type: ignore[type-var]
            if len(union) == 1 and union[0].prefixlen == 0:
                # Name the ranges that make it up, not those inside another one.
                outer = [s for s, n in parts if not any(n != m and n.subnet_of(m) for _, m in parts)]  # type: ignore[arg-type]
                return f"{' and '.join(outer)} (together {union[0]})"
        return None

    def ports(self) -> str:
        if self.protocol == "all":
            return "all protocols and ports"
        if self.from_port is None and self.to_port is None:
            return f"{self.protocol} all ports"
        # -1 is "every port" (and every ICMP type) to AWS, so -1..-1 is no single port.
        if self.from_port in (0.0, -1.0) and self.to_port in (65535.0, -1.0):
            return f"{self.protocol} all ports"
        if self.from_port == self.to_port or self.to_port is None:
            return f"{self.protocol} port {shown_number(self.from_port)}"
        return f"{self.protocol} ports {shown_number(self.from_port)}-{shown_number(self.to_port)}"

    @property
    def web_only(self) -> bool:
        return (
            self.protocol == "tcp"
            and self.from_port == self.to_port
            and self.from_port in ALLOWED_PUBLIC_PORTS
        )


def _protocol(value: Any) -> str:
    raw = (text(str(value)) if value is not None else None) or "all"
    return _PROTOCOL_NAMES.get(raw.lower(), raw.lower())


def _inline(group: ResourceView) -> Iterator[Permission]:
    for index, block in enumerate(as_list(group.props.get("ingress"))):
        if isinstance(block, Mapping):
            yield Permission(
                group,
                f"ingress[{index}] ",
                _protocol(block.get("protocol")),
                number(block.get("fromPort")),
                number(block.get("toPort")),
                tuple(strings(block.get("cidrBlocks")) + strings(block.get("ipv6CidrBlocks"))),
            )


def _rule(rule: ResourceView) -> Permission | None:
    props = rule.props
    if rule.type == SECURITY_GROUP_RULE:
        if str(props.get("type") or "").lower() != "ingress":
            return None
        sources = strings(props.get("cidrBlocks")) + strings(props.get("ipv6CidrBlocks"))
        protocol = props.get("protocol")
    else:
        sources = [s for s in (text(props.get("cidrIpv4")), text(props.get("cidrIpv6"))) if s]
        protocol = props.get("ipProtocol")
    return Permission(
        rule,
        "",
        _protocol(protocol),
        number(props.get("fromPort")),
        number(props.get("toPort")),
        tuple(sources),
    )


class SgNoPublicIngress(StackRule):
    id = "sg_no_public_ingress"
    description = (
        "No security group allows ingress from 0.0.0.0/0 or ::/0, except TCP 443 (and 80 for the redirect) "
        "on a security group attached to a load balancer."
    )
    remediation = (
        "Restrict the source to the networks that need access (or reference another security group); only a "
        "load balancer's security group may accept TCP 443 and 80 from anywhere."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        groups = links.of(SECURITY_GROUP)
        rules = links.of(SECURITY_GROUP_RULE, INGRESS_RULE)
        if not groups and not rules:
            raise NotApplicable("the stack declares no security group or security group rule")
        on_load_balancer: set[str] = set()
        for lb in links.of(*LOAD_BALANCERS, CLASSIC_LB):
            attached, _ = links.many(lb, "securityGroups", (SECURITY_GROUP,))
            on_load_balancer.update(g.urn for g in attached)
        permissions: list[tuple[Permission, ResourceView | None]] = [
            (p, p.owner) for g in groups for p in _inline(g)
        ]
        for rule in rules:
            permission = _rule(rule)
            if permission is not None:
                permissions.append((permission, links.one(rule, "securityGroupId", (SECURITY_GROUP,))))
        for permission, group in permissions:
            public = permission.public_sources
            if public is None:
                continue
            allows = f"{permission.label}allows {public} on {permission.ports()}"
            if not permission.web_only:
                yield Failure(allows, EXPECTED, permission.owner.urn)
            elif group is None or group.urn not in on_load_balancer:
                where = (
                    f"security group {group.name}"
                    if group is not None and group is not permission.owner
                    else "the security group"
                )
                yield Failure(
                    f"{allows}, but {where} is attached to no load balancer", EXPECTED, permission.owner.urn
                )
