"""The default security group of every VPC allows nothing (NET-02).

AWS creates each VPC's default security group with a rule admitting all traffic
from itself and one allowing all egress. Only an ``aws:ec2/defaultSecurityGroup``
with no ``ingress`` and no ``egress`` blocks removes them, so every VPC of the
stack must have one, empty; and no separate rule resource may add permissions
back to the default group (written against the VPC's ``defaultSecurityGroupId``
or the default security group resource).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView, as_list
from policies.rules._common.unknowns import peek
from policies.rules._common.values import text
from policies.rules._net.common import links_of
from policies.rules._net.routes import VPC

DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
RULE_TYPES = (
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
)
EXPECTED_EMPTY = "a default security group with no ingress and no egress rules"


class DefaultSgEmpty(StackRule):
    id = "default_sg_empty"
    description = (
        "Every VPC's default security group is managed by an aws.ec2.DefaultSecurityGroup with no rules."
    )
    remediation = (
        "Declare `aws.ec2.DefaultSecurityGroup(vpc_id=vpc.id)` with no ingress or egress for every VPC "
        "(it strips AWS's allow-all defaults), and attach workloads to purpose-made security groups instead."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        vpcs = links.of(VPC)
        defaults = links.of(DEFAULT_SECURITY_GROUP)
        if not vpcs and not defaults:
            raise NotApplicable("the stack declares no VPC and no default security group")
        managed: set[str] = set()
        for group in defaults:
            vpc = links.one(group, "vpcId", (VPC,))
            if vpc is not None:
                managed.add(vpc.urn)
            for direction in ("ingress", "egress"):
                count = len(as_list(group.props.get(direction)))
                if count:
                    yield Failure(
                        f"has {count} {direction} rule{'s' if count > 1 else ''}", EXPECTED_EMPTY, group.urn
                    )
        for vpc in vpcs:
            if vpc.urn not in managed:
                yield Failure(
                    "has no aws:ec2/defaultSecurityGroup:DefaultSecurityGroup, so AWS's default group keeps"
                    " its allow-all-from-itself ingress and allow-all egress",
                    "an aws:ec2/defaultSecurityGroup:DefaultSecurityGroup for this VPC with no rules",
                    vpc.urn,
                )
        # Unknown in a preview: such a VPC is then recognised through the rules' dependencies only.
        default_ids = {text(peek(v.props, "defaultSecurityGroupId")) for v in vpcs} - {None}
        for rule in links.of(*RULE_TYPES):
            sources = [links.get(u) for u in rule.property_dependencies.get("securityGroupId", ())]
            if sources and all(
                s is not None and s.type not in (VPC, DEFAULT_SECURITY_GROUP) for s in sources
            ):
                continue  # the group is another resource's output: not a default security group
            target = links.one(rule, "securityGroupId", (VPC, DEFAULT_SECURITY_GROUP))
            if target is not None or text(peek(rule.props, "securityGroupId")) in default_ids:
                yield Failure(
                    "adds a rule to a VPC's default security group",
                    "no rules on the default security group; use a purpose-made security group",
                    rule.urn,
                )
