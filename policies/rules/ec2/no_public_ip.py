"""No instance gets a public IP address (NET-01): public subnets are for load balancers only."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from policies.framework import Failure, ResourceRule, ResourceView, as_list, truthy
from policies.rules._common.unknowns import is_unknown, read
from policies.rules._common.values import text

SUBNET = "aws:ec2/subnet:Subnet"
INSTANCE = "aws:ec2/instance:Instance"
SPOT_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration"
EIP = "aws:ec2/eip:Eip"
EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation"

NO_PUBLIC_IP = "associatePublicIpAddress false or unset"


class NoPublicIp(ResourceRule):
    id = "no_public_ip"
    description = (
        "Subnets do not map public IPs on launch, instances, launch templates and launch configurations "
        "do not associate public IPs, and no Elastic IP is attached to an instance or network interface."
    )
    remediation = (
        "Set `mapPublicIpOnLaunch=False` on every subnet and leave `associatePublicIpAddress` unset or false;"
        " reach instances through a load balancer in the public zone or Session Manager, and give outbound"
        " traffic a NAT gateway instead of an Elastic IP."
    )
    resource_types = frozenset(
        {SUBNET, INSTANCE, SPOT_REQUEST, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION, EIP, EIP_ASSOCIATION}
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        if resource.type == SUBNET:
            if truthy(props.get("mapPublicIpOnLaunch")):
                yield Failure(
                    "mapPublicIpOnLaunch is true (every instance launched here gets a public IP)",
                    "mapPublicIpOnLaunch false",
                )
        elif resource.type in (INSTANCE, SPOT_REQUEST, LAUNCH_CONFIGURATION):
            if truthy(props.get("associatePublicIpAddress")):
                yield Failure("associatePublicIpAddress is true", NO_PUBLIC_IP)
        elif resource.type == LAUNCH_TEMPLATE:
            for index, interface in enumerate(as_list(props.get("networkInterfaces"))):
                if isinstance(interface, Mapping) and truthy(interface.get("associatePublicIpAddress")):
                    yield Failure(
                        f"networkInterfaces[{index}].associatePublicIpAddress is true", NO_PUBLIC_IP
                    )
        elif resource.type == EIP:
            for prop, what in (("instance", "instance"), ("networkInterface", "network interface")):
                # Presence decides: an unknown (preview) value is still an instance or interface to attach to.
                value = read(props, prop)
                target = "(known after deployment)" if is_unknown(value) else text(value)
                if target is not None:
                    yield Failure(
                        f"is attached to {what} {target} ({prop})",
                        "Elastic IPs only on NAT gateways and network load balancers",
                    )
        else:
            for prop, what in (("instanceId", "instance"), ("networkInterfaceId", "network interface")):
                target = text(props.get(prop))
                if target is not None:
                    yield Failure(
                        f"attaches an Elastic IP to {what} {target} ({prop})",
                        "Elastic IPs only on NAT gateways and network load balancers",
                    )
