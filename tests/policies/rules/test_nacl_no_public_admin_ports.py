import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from policies.parameters import ADMIN_PORTS
from tests.policies.rules._fixtures_net import SUBNET, build, linked, network
from tests.rulekit import messages, outcome, resource

RULE = "nacl_no_public_admin_ports"
ACL = "aws:ec2/networkAcl:NetworkAcl"
DEFAULT_ACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"
ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule"
SSH, RDP = sorted(ADMIN_PORTS, key=lambda port: ADMIN_PORTS[port] != "SSH")
PORTS = f"SSH ({SSH}) or RDP ({RDP})"
EXPECTED = (
    f"expected no network ACL rule allowing the internet (0.0.0.0/0 or ::/0) in to {PORTS}, "
    "and public subnets on a network ACL the stack manages. [NET-02]"
)
PUBLIC_SUBNETS = ["subnet-public-a", "subnet-public-c"]


def entry(number, action, cidr="0.0.0.0/0", protocol="tcp", ports=None):
    ports = ports or (SSH, SSH)
    block = {
        "ruleNo": number,
        "action": action,
        "protocol": protocol,
        "fromPort": ports[0],
        "toPort": ports[1],
    }
    block["ipv6CidrBlock" if ":" in cidr else "cidrBlock"] = cidr
    return block


def acl(*ingress, name="public-acl"):
    return resource(ACL, name, {"vpcId": "vpc-1", "subnetIds": PUBLIC_SUBNETS, "ingress": list(ingress)})


COMPLIANT = (
    entry(90, "deny", ports=(SSH, SSH)),
    entry(91, "deny", ports=(RDP, RDP)),
    entry(92, "deny", "::/0", ports=(SSH, SSH)),
    entry(93, "deny", "::/0", ports=(RDP, RDP)),
    entry(100, "allow", protocol="-1", ports=(0, 0)),
    entry(101, "allow", "::/0", protocol="-1", ports=(0, 0)),
)


def test_pass_admin_ports_denied_before_allow_all():
    assert outcome(RULE, build(network(), acl(*COMPLIANT))) == "pass"


def test_pass_ssh_only_from_the_office():
    rules = (entry(100, "allow", "203.0.113.0/24"), entry(200, "deny", protocol="-1", ports=(0, 0)))
    assert outcome(RULE, build(network(), acl(*rules))) == "pass"


INSIDE_THE_VPC = (
    entry(90, "allow", "10.16.0.0/16", ports=(SSH, SSH)),
    entry(91, "allow", "10.16.0.0/16", ports=(RDP, RDP)),
)


def test_pass_admin_ports_allowed_from_the_vpc_before_the_internet_deny():
    assert outcome(RULE, build(network(), acl(*INSIDE_THE_VPC, *COMPLIANT))) == "pass"


def test_fail_the_vpc_allow_widened_to_the_internet():
    widened = (entry(90, "allow", "0.0.0.0/0", ports=(SSH, SSH)), INSIDE_THE_VPC[1])
    assert messages(RULE, build(network(), acl(*widened, *COMPLIANT))) == [
        f"{ACL} public-acl: ingress[0] (rule 90) allow 0.0.0.0/0 in to TCP port {SSH} (SSH); {EXPECTED}"
    ]


def test_fail_allow_all_without_denies():
    rules = (entry(100, "allow", protocol="-1", ports=(0, 0)),)
    assert messages(RULE, build(network(), acl(*rules))) == [
        f"{ACL} public-acl: ingress[0] (rule 100) allow 0.0.0.0/0 in to TCP port {SSH} (SSH); {EXPECTED}",
        f"{ACL} public-acl: ingress[0] (rule 100) allow 0.0.0.0/0 in to TCP port {RDP} (RDP); {EXPECTED}",
    ]


def test_fail_deny_after_the_allow_comes_too_late():
    rules = (entry(100, "allow", ports=(0, 65535)), entry(50, "deny", ports=(RDP, RDP)), entry(200, "deny"))
    assert messages(RULE, build(network(), acl(*rules))) == [
        f"{ACL} public-acl: ingress[0] (rule 100) allow 0.0.0.0/0 in to TCP port {SSH} (SSH); {EXPECTED}"
    ]


def test_fail_deny_list_in_front_of_allow_all_still_admits_the_internet():
    rules = (entry(50, "deny", "198.51.100.0/24"), entry(100, "allow"))
    assert messages(RULE, build(network(), acl(*rules))) == [
        f"{ACL} public-acl: ingress[1] (rule 100) allow 0.0.0.0/0 in to TCP port {SSH} (SSH); {EXPECTED}"
    ]


def test_fail_halves_in_two_rule_resources():
    target = resource(ACL, "app-acl", {"id": "acl-app", "vpcId": "vpc-1", "subnetIds": PUBLIC_SUBNETS})
    low = resource(
        ACL_RULE,
        "ssh-low",
        {
            "networkAclId": "acl-app",
            "ruleNumber": 10,
            "egress": False,
            "ruleAction": "allow",
            "protocol": "6",
            "fromPort": SSH,
            "toPort": SSH,
            "cidrBlock": "0.0.0.0/1",
        },
    )
    high = resource(
        ACL_RULE,
        "ssh-high",
        {
            "networkAclId": "acl-app",
            "ruleNumber": 20,
            "egress": False,
            "ruleAction": "allow",
            "protocol": "6",
            "fromPort": SSH,
            "toPort": SSH,
            "cidrBlock": "128.0.0.0/1",
        },
    )
    assert messages(RULE, build(network(), target, low, high)) == [
        f"{ACL} app-acl: rule ssh-low and rule ssh-high allow 0.0.0.0/0 in to TCP port {SSH} (SSH); "
        f"{EXPECTED}"
    ]


def test_fail_public_subnets_on_the_default_network_acl():
    assert messages(RULE, build(network())) == [
        f"{SUBNET} public-{az}: is routed to the internet but uses its VPC's default network ACL, which AWS "
        f"creates allowing all inbound traffic ({PORTS} included); {EXPECTED}"
        for az in ("a", "c")
    ]


def test_pass_managed_default_network_acl():
    views = network()
    default = resource(
        DEFAULT_ACL, "default-acl", {"defaultNetworkAclId": "acl-default", "ingress": list(COMPLIANT)}
    )
    default = linked(default, "defaultNetworkAclId", views["vpc"])
    assert outcome(RULE, build(views, default)) == "pass"


def test_na_no_network():
    with pytest.raises(NotApplicable):
        messages(RULE, build([resource("aws:sqs/queue:Queue", "jobs", {})]))


def test_unknown_source_in_preview():
    block = entry(100, "allow")
    block["cidrBlock"] = UNKNOWN_STRING_VALUE
    view = resource(ACL, "public-acl", {"vpcId": "vpc-1", "ingress": [block]}, preview=True)
    assert outcome(RULE, build([view])) == "unknown"
