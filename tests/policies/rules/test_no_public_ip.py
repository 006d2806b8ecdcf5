import pytest
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "no_public_ip"
SUBNET = "aws:ec2/subnet:Subnet"
INSTANCE = "aws:ec2/instance:Instance"
TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
EIP = "aws:ec2/eip:Eip"
EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation"


@pytest.mark.parametrize(
    "resource_type, props",
    [
        (SUBNET, {"vpcId": "vpc-1", "mapPublicIpOnLaunch": False}),
        (SUBNET, {"vpcId": "vpc-1"}),
        (INSTANCE, {"subnetId": "subnet-1", "associatePublicIpAddress": False}),
        (INSTANCE, {"subnetId": "subnet-1"}),
        ("aws:ec2/spotInstanceRequest:SpotInstanceRequest", {"associatePublicIpAddress": "false"}),
        ("aws:ec2/launchConfiguration:LaunchConfiguration", {}),
        (TEMPLATE, {"networkInterfaces": [{"associatePublicIpAddress": "false", "subnetId": "subnet-1"}]}),
        (TEMPLATE, {"networkInterfaces": {"deviceIndex": 0}}),
        (EIP, {"domain": "vpc"}),
        (EIP_ASSOCIATION, {"allocationId": "eipalloc-1"}),
    ],
)
def test_pass_private_only(resource_type, props):
    assert outcome(RULE, resource(resource_type, "r", props)) == "pass"


@pytest.mark.parametrize("value", [True, "true", "True"])
def test_fail_subnet_maps_public_ip(value):
    assert messages(RULE, resource(SUBNET, "public-a", {"mapPublicIpOnLaunch": value})) == [
        f"{SUBNET} public-a: mapPublicIpOnLaunch is true (every instance launched here gets a public IP); "
        "expected mapPublicIpOnLaunch false. [NET-01]"
    ]


@pytest.mark.parametrize(
    "resource_type",
    [
        INSTANCE,
        "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ],
)
def test_fail_instance_public_ip(resource_type):
    assert messages(RULE, resource(resource_type, "web", {"associatePublicIpAddress": True})) == [
        f"{resource_type} web: associatePublicIpAddress is true; "
        "expected associatePublicIpAddress false or unset. [NET-01]"
    ]


def test_fail_launch_template_interface_as_args_string():
    # LaunchTemplateNetworkInterfaceArgs.associate_public_ip_address is a string on the wire.
    template = resource(
        TEMPLATE, "lt", {"networkInterfaces": [{"deviceIndex": 0}, {"associatePublicIpAddress": "true"}]}
    )
    assert messages(RULE, template) == [
        f"{TEMPLATE} lt: networkInterfaces[1].associatePublicIpAddress is true; "
        "expected associatePublicIpAddress false or unset. [NET-01]"
    ]


def test_fail_launch_template_single_block_as_dict():
    template = resource(TEMPLATE, "lt", {"networkInterfaces": {"associatePublicIpAddress": True}})
    assert messages(RULE, template) == [
        f"{TEMPLATE} lt: networkInterfaces[0].associatePublicIpAddress is true; "
        "expected associatePublicIpAddress false or unset. [NET-01]"
    ]


def test_fail_eip_on_instance():
    assert messages(RULE, resource(EIP, "web-ip", {"instance": "i-123"})) == [
        f"{EIP} web-ip: is attached to instance i-123 (instance); "
        "expected Elastic IPs only on NAT gateways and network load balancers. [NET-01]"
    ]


def test_fail_eip_on_network_interface():
    assert messages(RULE, resource(EIP, "eni-ip", {"networkInterface": "eni-9"})) == [
        f"{EIP} eni-ip: is attached to network interface eni-9 (networkInterface); "
        "expected Elastic IPs only on NAT gateways and network load balancers. [NET-01]"
    ]


def test_fail_eip_association_to_instance():
    assert messages(
        RULE, resource(EIP_ASSOCIATION, "assoc", {"allocationId": "eipalloc-1", "instanceId": "i-1"})
    ) == [
        f"{EIP_ASSOCIATION} assoc: attaches an Elastic IP to instance i-1 (instanceId); "
        "expected Elastic IPs only on NAT gateways and network load balancers. [NET-01]"
    ]


def test_na_other_types():
    assert (
        outcome(RULE, resource("aws:ec2/natGateway:NatGateway", "nat", {"allocationId": "eipalloc-1"}))
        == "n/a"
    )


def test_unknown_map_public_ip_in_preview():
    assert (
        outcome(RULE, resource(SUBNET, "s", {"mapPublicIpOnLaunch": UNKNOWN_BOOLEAN_VALUE}, preview=True))
        == "unknown"
    )


def test_fail_eip_on_instance_unknown_in_preview():
    # The instance ID is unknown until deployment, but that an instance gets the address is known.
    assert messages(RULE, resource(EIP, "ip", {"instance": UNKNOWN_STRING_VALUE}, preview=True)) == [
        f"{EIP} ip: is attached to instance (known after deployment) (instance); "
        "expected Elastic IPs only on NAT gateways and network load balancers. [NET-01]"
    ]


def test_unknown_launch_template_public_ip_in_preview():
    template = resource(
        TEMPLATE,
        "lt",
        {"networkInterfaces": [{"associatePublicIpAddress": UNKNOWN_STRING_VALUE}]},
        preview=True,
    )
    assert outcome(RULE, template) == "unknown"
