"""No network ACL lets the internet reach a remote administration port (NET-02).

A network ACL is the subnet's stateless firewall. AWS evaluates its inbound rules in rule-number order and
the first rule that matches a packet decides; an address no rule matches is denied
(https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html). For each remote administration port
(SSH and RDP, the ports CIS AWS Foundations 5.1 names; NET-02's parameters), the rules that decide it are
walked in that order: an ``allow`` rule counts unless earlier rules for the port already took its whole range,
and the port is open to the internet when the counted allow ranges, with the deny rules ahead of them, cover
all addresses (``0.0.0.0/0`` or ``::/0``, or ranges that add up to it). A deny list in front of an allow-all
still lets the rest of the internet in, and is a finding.

Rules are read from the ``ingress`` blocks of ``aws:ec2/networkAcl`` and ``aws:ec2/defaultNetworkAcl`` and
from ``aws:ec2/networkAclRule`` resources (``egress`` false). A subnet routed to the internet (public) that no
network ACL of the stack covers uses its VPC's default network ACL, which AWS creates allowing all inbound
traffic (https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html): such a subnet is a
finding unless the stack manages that default ACL (``aws:ec2/defaultNetworkAcl``), whose rules are then
judged like any other.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, as_list
from policies.parameters import ADMIN_PORTS
from policies.rules._common.unknowns import peek
from policies.rules._common.values import number, shown_number, text
from policies.rules._net.common import links_of, network
from policies.rules._net.routes import SUBNET, VPC, network_of

NETWORK_ACL = "aws:ec2/networkAcl:NetworkAcl"
DEFAULT_NETWORK_ACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"
NETWORK_ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule"
NETWORK_ACL_ASSOCIATION = "aws:ec2/networkAclAssociation:NetworkAclAssociation"
ACL_TYPES = (NETWORK_ACL, DEFAULT_NETWORK_ACL)

PORTS = " or ".join(f"{service} ({port})" for port, service in ADMIN_PORTS.items())
EXPECTED = (
    f"no network ACL rule allowing the internet (0.0.0.0/0 or ::/0) in to {PORTS}, and public subnets on a "
    "network ACL the stack manages"
)
_TCP = ("6", "tcp")
_EVERY = ("-1", "all")

Net = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class AclRule:
    number: float
    allow: bool
    protocol: str
    from_port: float | None
    to_port: float | None
    source: Net | None
    label: str

    def decides(self, port: int) -> bool:
        if self.protocol in _EVERY:
            return True
        if self.protocol not in _TCP:
            return False
        low = self.from_port if self.from_port is not None else 0.0
        high = self.to_port if self.to_port is not None else low
        return low <= port <= high


def _rule(block: Mapping[str, Any], label: str, *, resource: bool) -> AclRule | None:
    number_key, action_key = ("ruleNumber", "ruleAction") if resource else ("ruleNo", "action")
    rule_number = number(block.get(number_key))
    action = (text(block.get(action_key)) or "").lower()
    source = text(block.get("cidrBlock")) or text(block.get("ipv6CidrBlock"))
    if rule_number is None or action not in ("allow", "deny"):
        return None
    return AclRule(
        rule_number,
        action == "allow",
        (text(str(block.get("protocol"))) or "-1").lower(),
        number(block.get("fromPort")),
        number(block.get("toPort")),
        network(source),
        label,
    )


def _open_from_internet(rules: list[AclRule], port: int) -> tuple[str, list[AclRule]] | None:
    """The whole address space (``0.0.0.0/0``, ``::/0``) the port is open to, with the rules allowing it.

    Open: the allow rules that decide the port for some address, with the deny rules ahead of the last of
    them, together cover every address (what the denies take out is a deny list, not a boundary).
    """
    for version, everything in ((4, ipaddress.ip_network("0.0.0.0/0")), (6, ipaddress.ip_network("::/0"))):
        taken: list[Net] = []
        denied: list[Net] = []
        allowed: list[AclRule] = []
        denied_before_last_allow: list[Net] = []
        for rule in sorted(rules, key=lambda r: r.number):
            source = rule.source
            if source is None or source.version != version or not rule.decides(port):
                continue
            if rule.allow:
                if not any(source.subnet_of(t) for t in taken):  # type: ignore[arg-type]
                    allowed.append(rule)
                    denied_before_last_allow = list(denied)
            else:
                denied.append(source)
            taken.append(source)
        if not allowed:
            continue
        nets = [r.source for r in allowed if r.source is not None] + denied_before_last_allow
        union = list(ipaddress.collapse_addresses(nets))  # type: ignore[type-var]
        if len(union) == 1 and union[0] == everything:
            return str(everything), allowed
    return None


class NaclNoPublicAdminPorts(StackRule):
    id = "nacl_no_public_admin_ports"
    description = (
        f"No network ACL allows the internet in to {PORTS}, and no public subnet is left on the allow-all "
        "default network ACL."
    )
    remediation = (
        f"Put a deny rule for {PORTS} from 0.0.0.0/0 and ::/0 before any allow rule of the network "
        "ACL (or allow those ports only from the administrators' ranges), and give public subnets a network "
        "ACL the stack manages (aws.ec2.NetworkAcl, or the VPC's aws.ec2.DefaultNetworkAcl with such rules)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        acls = links.of(*ACL_TYPES)
        rule_resources = links.of(NETWORK_ACL_RULE)
        subnets = links.of(SUBNET)
        if not acls and not rule_resources and not subnets:
            raise NotApplicable("the stack declares no network ACL and no subnet")
        rules: dict[str, list[AclRule]] = defaultdict(list)
        owners: dict[str, ResourceView] = {acl.urn: acl for acl in acls}
        for acl in acls:
            for index, block in enumerate(as_list(acl.props.get("ingress"))):
                if isinstance(block, Mapping):
                    parsed = _rule(
                        block,
                        f"ingress[{index}] (rule {shown_number(number(block.get('ruleNo')))})",
                        resource=False,
                    )
                    if parsed is not None:
                        rules[acl.urn].append(parsed)
        for resource in rule_resources:
            if str(resource.props.get("egress")).lower() == "true":
                continue
            target = links.one(resource, "networkAclId", ACL_TYPES)
            key = target.urn if target is not None else resource.urn
            owners.setdefault(key, resource)
            parsed = _rule(resource.props, f"rule {resource.name}", resource=True)
            if parsed is not None:
                rules[key].append(parsed)
        for key, acl_rules in rules.items():
            for port, service in ADMIN_PORTS.items():
                found = _open_from_internet(acl_rules, port)
                if found is None:
                    continue
                everything, deciding = found
                labels = " and ".join(rule.label for rule in deciding)
                yield Failure(
                    f"{labels} allow {everything} in to TCP port {port} ({service})",
                    EXPECTED,
                    owners[key].urn,
                )
        yield from self._default_acl_subnets(stack, acls)

    @staticmethod
    def _default_acl_subnets(stack: StackView, acls: list[ResourceView]) -> Iterator[Failure]:
        links = links_of(stack)
        covered: set[str] = set()
        managed_default_vpcs: set[str] = set()
        for acl in acls:
            found, _ = links.many(acl, "subnetIds", (SUBNET,))
            covered.update(s.urn for s in found)
            if acl.type == DEFAULT_NETWORK_ACL:
                vpc = links.one(acl, "defaultNetworkAclId", (VPC,))
                acl_id = peek(acl.props, "defaultNetworkAclId")
                for candidate in links.of(VPC):
                    if candidate is vpc or (
                        acl_id and peek(candidate.props, "defaultNetworkAclId") == acl_id
                    ):
                        managed_default_vpcs.add(candidate.urn)
        for association in links.of(NETWORK_ACL_ASSOCIATION):
            subnet = links.one(association, "subnetId", (SUBNET,))
            if subnet is not None:
                covered.add(subnet.urn)
        routes = network_of(stack)
        for subnet in links.of(SUBNET):
            if subnet.urn in covered:
                continue
            vpc = routes.vpc_of(subnet)
            if vpc is not None and vpc.urn in managed_default_vpcs:
                continue
            zone, _ = routes.route_class(subnet)
            if zone != "public":
                continue
            yield Failure(
                "is routed to the internet but uses its VPC's default network ACL, which AWS creates "
                f"allowing all inbound traffic ({PORTS} included)",
                EXPECTED,
                subnet.urn,
            )
