"""No security group admits the internet except HTTPS (and HTTP for the redirect) on load balancers (NET-02).

Ingress is read from every place a program can write it: inline ``ingress``
blocks of ``aws:ec2/securityGroup``, ``aws:ec2/securityGroupRule`` of type
ingress and ``aws:vpc/securityGroupIngressRule``. A permission admits the
internet when a source has prefix length 0 (``0.0.0.0/0``, ``::/0``) or its
sources together cover all addresses (``0.0.0.0/1`` + ``128.0.0.0/1``). Such a permission is
allowed only for TCP on exactly port 443 or 80, and only on a security group
that a load balancer of the stack lists in ``securityGroups``.

Security groups are allow lists whose permissions add up: AWS admits a packet when any rule of any group
attached to the network interface admits it
(https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-group-rules.html). So the ranges are also
added up per protocol and port, over all permissions of one group, and over all groups attached to one
resource (``vpcSecurityGroupIds``, ``securityGroups``, ``securityGroupIds``): several rules or groups that
each admit part of the internet on a port and together admit all of it are a finding, on the group, or on
the resource when no single group of it is open alone.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list
from policies.rules._common.unknowns import peek
from policies.rules._common.values import number, shown_number, strings, text
from policies.rules._net.common import Links, links_of, network
from policies.rules._net.entry import CLASSIC_LB, LOAD_BALANCERS

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

ALLOWED_PUBLIC_PORTS = (443.0, 80.0)
# Properties through which a resource (instance, load balancer, database, function...) lists its groups.
ATTACHMENT_PROPS = ("vpcSecurityGroupIds", "securityGroups", "securityGroupIds")
LOWEST_PORT, HIGHEST_PORT = 0.0, 65535.0
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


def _span(permission: Permission) -> tuple[float, float]:
    """The port range a permission admits, ``-1`` and missing bounds meaning every port."""
    low, high = permission.from_port, permission.to_port
    if permission.protocol == "all" or (low in (None, -1.0) and high in (None, -1.0)):
        return LOWEST_PORT, HIGHEST_PORT
    low = LOWEST_PORT if low in (None, -1.0) else low
    high = low if high is None else (HIGHEST_PORT if high == -1.0 else high)
    return low, high


@dataclass(frozen=True)
class Opening:
    """A protocol and port range that several permissions together open to the whole internet."""

    permission: Permission  # the permissions' sources combined, on this protocol and range
    parts: tuple[Permission, ...]

    def overlaps(self, other: Opening) -> bool:
        if self.permission.protocol != other.permission.protocol:
            return False
        low, high = _span(self.permission)
        other_low, other_high = _span(other.permission)
        return low <= other_high and other_low <= high


def openings(permissions: Sequence[Permission]) -> list[Opening]:
    """Protocol and port ranges on which ``permissions`` together admit all addresses (none alone does).

    Ranges are cut at every bound any permission names, so each piece is admitted by a fixed set of
    permissions whose sources are then added up; adjacent pieces open by the same permissions are merged.
    """
    found: list[Opening] = []
    every = [p for p in permissions if p.protocol == "all"]
    for protocol in ["all", *sorted({p.protocol for p in permissions} - {"all"})]:
        members = every if protocol == "all" else [p for p in permissions if p.protocol == protocol] + every
        spans = [(_span(p), p) for p in members]
        bounds = sorted({low for (low, _), _ in spans} | {high + 1 for (_, high), _ in spans})
        pieces: list[tuple[float, float, tuple[Permission, ...]]] = []
        for low, next_low in zip(bounds, bounds[1:], strict=False):
            parts = tuple(p for (a, b), p in spans if a <= low and next_low - 1 <= b)
            if protocol != "all" and all(p.protocol == "all" for p in parts):
                continue  # already judged as all protocols
            sources = tuple(source for p in parts for source in p.sources)
            probe = Permission(parts[0].owner, "", protocol, low, next_low - 1, sources) if parts else None
            if probe is None or len(parts) < 2 or probe.public_sources is None:
                continue
            if pieces and pieces[-1][2] == parts and pieces[-1][1] == low - 1:
                pieces[-1] = (pieces[-1][0], next_low - 1, parts)
            else:
                pieces.append((low, next_low - 1, parts))
        for low, high, parts in pieces:
            sources = tuple(dict.fromkeys(source for p in parts for source in p.sources))
            if protocol == "all":
                low_port, high_port = None, None
            else:
                low_port, high_port = low, high
            found.append(
                Opening(Permission(parts[0].owner, "", protocol, low_port, high_port, sources), parts)
            )
    return found


def _part_label(permission: Permission) -> str:
    label = permission.label.strip()
    return f"{permission.owner.name} {label}" if label else f"rule {permission.owner.name}"


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
        yield from self._combined(links, permissions, on_load_balancer)

    @staticmethod
    def _combined(
        links: Links, permissions: list[tuple[Permission, ResourceView | None]], on_load_balancer: set[str]
    ) -> Iterator[Failure]:
        by_group: dict[str, list[Permission]] = defaultdict(list)
        for permission, group in permissions:
            # A permission open alone is judged above; only the partial ones add up to something new.
            if group is not None and permission.public_sources is None:
                by_group[group.urn].append(permission)
        alone: dict[str, list[Opening]] = {}
        for urn, members in by_group.items():
            alone[urn] = [
                o for o in openings(members) if not (o.permission.web_only and urn in on_load_balancer)
            ]
            for opening in alone[urn]:
                parts = " and ".join(_part_label(p) for p in opening.parts)
                yield Failure(
                    f"{parts} together allow {opening.permission.public_sources} on "
                    f"{opening.permission.ports()}",
                    EXPECTED,
                    urn,
                )
        for resource in links.stack.resources:
            if resource.type in (SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE):
                continue
            attached: list[ResourceView] = []
            for prop in ATTACHMENT_PROPS:
                if peek(resource.props, prop) is None and prop not in resource.property_dependencies:
                    continue
                found, _ = links.many(resource, prop, (SECURITY_GROUP,))
                attached.extend(g for g in found if g not in attached)
            groups = [g for g in attached if g.urn in by_group]
            if len(groups) < 2:
                continue
            members = [p for g in groups for p in by_group[g.urn]]
            on_lb = all(g.urn in on_load_balancer for g in groups)
            for opening in openings(members):
                if opening.permission.web_only and on_lb:
                    continue
                if any(opening.overlaps(o) for g in groups for o in alone[g.urn]):
                    continue
                names = ", ".join(g.name for g in groups)
                parts = " and ".join(_part_label(p) for p in opening.parts)
                yield Failure(
                    f"security groups {names} together allow {opening.permission.public_sources} on "
                    f"{opening.permission.ports()} ({parts})",
                    EXPECTED,
                    resource.urn,
                )
