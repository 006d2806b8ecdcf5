import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import INGRESS_RULE, SG, SG_RULE, build, edge, linked, patched
from tests.rulekit import messages, outcome, resource

RULE = "sg_no_public_ingress"
EXPECTED = (
    "expected no ingress from 0.0.0.0/0 or ::/0, except TCP port 443 (or 80 for the HTTPS redirect) "
    "on a security group attached to a load balancer. [NET-02]"
)


def lb_views():
    views = edge()
    return {"lb-sg": views["lb-sg"], "alb": views["alb"]}


def app_sg(**ingress):
    block = {"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "securityGroups": ["sg-lb"]}
    block.update(ingress)
    return resource(SG, "app-sg", {"id": "sg-app", "ingress": [block]})


def test_pass_load_balancer_web_ports_and_private_app():
    assert outcome(RULE, build(lb_views(), app_sg())) == "pass"


def test_pass_web_port_rule_resources_on_lb_group():
    rule = resource(
        SG_RULE,
        "lb-443",
        {
            "type": "ingress",
            "securityGroupId": "sg-lb",
            "protocol": "6",
            "fromPort": 443.0,
            "toPort": 443.0,
            "cidrBlocks": ["0.0.0.0/0"],
        },
    )
    v6 = resource(
        INGRESS_RULE,
        "lb-443-v6",
        {"securityGroupId": "sg-lb", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv6": "::/0"},
    )
    assert outcome(RULE, build(lb_views(), rule, v6)) == "pass"


def test_pass_egress_to_anywhere_is_not_ingress():
    rule = resource(
        SG_RULE,
        "out",
        {
            "type": "egress",
            "securityGroupId": "sg-app",
            "protocol": "-1",
            "fromPort": 0,
            "toPort": 0,
            "cidrBlocks": ["0.0.0.0/0"],
        },
    )
    assert outcome(RULE, build(lb_views(), app_sg(), rule)) == "pass"


def test_fail_ssh_from_anywhere_inline():
    assert messages(RULE, build(lb_views(), app_sg(fromPort=22, toPort=22, cidrBlocks=["0.0.0.0/0"]))) == [
        f"{SG} app-sg: ingress[0] allows 0.0.0.0/0 on tcp port 22; {EXPECTED}"
    ]


def test_fail_all_protocols_rule():
    rule = resource(
        SG_RULE,
        "open",
        {
            "type": "ingress",
            "securityGroupId": "sg-lb",
            "protocol": "-1",
            "fromPort": 0,
            "toPort": 0,
            "cidrBlocks": ["10.0.0.0/8", "0.0.0.0/0"],
        },
    )
    assert messages(RULE, build(lb_views(), rule)) == [
        f"{SG_RULE} open: allows 0.0.0.0/0 on all protocols and ports; {EXPECTED}"
    ]


def test_fail_ipv6_anywhere_on_port_range():
    rule = resource(
        INGRESS_RULE,
        "range",
        {"securityGroupId": "sg-lb", "ipProtocol": "tcp", "fromPort": 80, "toPort": 443, "cidrIpv6": "::/0"},
    )
    assert messages(RULE, build(lb_views(), rule)) == [
        f"{INGRESS_RULE} range: allows ::/0 on tcp ports 80-443; {EXPECTED}"
    ]


def test_fail_https_from_anywhere_on_group_without_load_balancer():
    assert messages(RULE, build(lb_views(), app_sg(fromPort=443, toPort=443, cidrBlocks=["0.0.0.0/0"]))) == [
        f"{SG} app-sg: ingress[0] allows 0.0.0.0/0 on tcp port 443, but the security group is attached to no "
        f"load balancer; {EXPECTED}"
    ]


def test_fail_rule_resource_on_group_without_load_balancer():
    rule = resource(
        INGRESS_RULE,
        "app-443",
        {
            "securityGroupId": "sg-app",
            "ipProtocol": "tcp",
            "fromPort": 443,
            "toPort": 443,
            "cidrIpv4": "0.0.0.0/0",
        },
    )
    assert messages(RULE, build(lb_views(), app_sg(), rule)) == [
        f"{INGRESS_RULE} app-443: allows 0.0.0.0/0 on tcp port 443, but security group app-sg is attached to"
        f" no load balancer; {EXPECTED}"
    ]


def test_fail_when_load_balancer_no_longer_lists_the_group():
    views = lb_views()
    views["alb"] = patched(views["alb"], securityGroups=["sg-other"])
    assert messages(RULE, build(views)) == [
        (
            f"{SG} lb-sg: ingress[0] allows 0.0.0.0/0 and ::/0 on tcp port 443, but the security group is"
            f" attached to no load balancer; {EXPECTED}"
        ),
        (
            f"{SG} lb-sg: ingress[1] allows 0.0.0.0/0 on tcp port 80, but the security group is attached to"
            f" no load balancer; {EXPECTED}"
        ),
    ]


def test_pass_attachment_through_property_dependency():
    views = lb_views()
    views["alb"] = linked(
        patched(views["alb"], securityGroups=["sg-from-output"]), "securityGroups", views["lb-sg"]
    )
    assert outcome(RULE, build(views)) == "pass"


@pytest.mark.parametrize("protocol", ["udp", "17"])
def test_fail_udp_443_from_anywhere(protocol):
    views = lb_views()
    views["lb-sg"] = patched(
        views["lb-sg"],
        ingress={"protocol": protocol, "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]},
    )
    assert messages(RULE, build(views)) == [
        f"{SG} lb-sg: ingress[0] allows 0.0.0.0/0 on udp port 443; {EXPECTED}"
    ]


def test_na_no_security_groups():
    assert outcome(RULE, build([resource("aws:ec2/vpc:Vpc", "vpc", {})])) == "n/a"


def test_unknown_cidr_in_preview():
    rule = resource(SG_RULE, "r", {"type": "ingress", "cidrBlocks": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, build(lb_views(), rule)) == "unknown"


@pytest.mark.parametrize("ports", [{}, {"fromPort": 0, "toPort": 65535}, {"fromPort": -1, "toPort": -1}])
def test_fail_every_tcp_port_from_anywhere(ports):
    views = lb_views()
    views["lb-sg"] = patched(
        views["lb-sg"], ingress=[{"protocol": "tcp", "cidrBlocks": ["0.0.0.0/0"], **ports}]
    )
    assert messages(RULE, build(views)) == [
        f"{SG} lb-sg: ingress[0] allows 0.0.0.0/0 on tcp all ports; {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "sources, shown",
    [
        (["0.0.0.0/1", "128.0.0.0/1"], "0.0.0.0/1 and 128.0.0.0/1 (together 0.0.0.0/0)"),
        (
            ["10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2"],
            "0.0.0.0/1 and 128.0.0.0/2 and 192.0.0.0/2 (together 0.0.0.0/0)",
        ),
    ],
)
def test_fail_ranges_that_together_cover_the_internet(sources, shown):
    assert messages(RULE, build(lb_views(), app_sg(fromPort=22, toPort=22, cidrBlocks=sources))) == [
        f"{SG} app-sg: ingress[0] allows {shown} on tcp port 22; {EXPECTED}"
    ]


def test_fail_ipv6_halves_cover_the_internet():
    rule = resource(
        SG_RULE,
        "v6",
        {
            "type": "ingress",
            "securityGroupId": "sg-app",
            "protocol": "tcp",
            "fromPort": 22,
            "toPort": 22,
            "ipv6CidrBlocks": ["::/1", "8000::/1"],
        },
    )
    assert messages(RULE, build(lb_views(), app_sg(), rule)) == [
        f"{SG_RULE} v6: allows ::/1 and 8000::/1 (together ::/0) on tcp port 22; {EXPECTED}"
    ]


def half_rule(name, group, cidr, from_port=22, to_port=22, protocol="tcp"):
    return resource(
        INGRESS_RULE,
        name,
        {
            "securityGroupId": group,
            "ipProtocol": protocol,
            "fromPort": from_port,
            "toPort": to_port,
            "cidrIpv4": cidr,
        },
    )


def test_fail_halves_of_the_internet_in_two_rules_of_one_group():
    group = resource(SG, "admin-sg", {"id": "sg-admin"})
    low = half_rule("ssh-low", "sg-admin", "0.0.0.0/1")
    high = half_rule("ssh-high", "sg-admin", "128.0.0.0/1", 0, 65535)
    assert messages(RULE, build([group, low, high])) == [
        f"{SG} admin-sg: rule ssh-high and rule ssh-low together allow 128.0.0.0/1 and 0.0.0.0/1 (together "
        f"0.0.0.0/0) on tcp port 22; {EXPECTED}"
    ]


def test_fail_eight_bit_ranges_inline_summing_to_the_internet():
    blocks = [
        {"protocol": "tcp", "fromPort": 3389, "toPort": 3389, "cidrBlocks": [f"{n}.0.0.0/1"]}
        for n in (0, 128)
    ]
    group = resource(SG, "rdp-sg", {"id": "sg-rdp", "ingress": blocks})
    assert messages(RULE, build([group])) == [
        f"{SG} rdp-sg: rdp-sg ingress[0] and rdp-sg ingress[1] together allow 0.0.0.0/1 and 128.0.0.0/1 "
        f"(together 0.0.0.0/0) on tcp port 3389; {EXPECTED}"
    ]


def test_pass_halves_on_different_ports_or_protocols():
    group = resource(SG, "admin-sg", {"id": "sg-admin"})
    low = half_rule("ssh-low", "sg-admin", "0.0.0.0/1")
    high = half_rule("ssh-high", "sg-admin", "128.0.0.0/1", 23, 23)
    udp = half_rule("udp-high", "sg-admin", "128.0.0.0/1", 22, 22, "udp")
    assert outcome(RULE, build([group, low, high, udp])) == "pass"


def test_fail_halves_in_two_groups_attached_to_one_instance():
    first = resource(SG, "a-sg", {"id": "sg-a"})
    second = resource(SG, "b-sg", {"id": "sg-b"})
    low = half_rule("ssh-low", "sg-a", "0.0.0.0/1")
    high = half_rule("ssh-high", "sg-b", "128.0.0.0/1")
    instance = resource(
        "aws:ec2/instance:Instance", "bastion", {"ami": "ami-1", "vpcSecurityGroupIds": ["sg-a", "sg-b"]}
    )
    assert messages(RULE, build([first, second, low, high, instance])) == [
        "aws:ec2/instance:Instance bastion: security groups a-sg, b-sg together allow 0.0.0.0/1 and "
        f"128.0.0.0/1 (together 0.0.0.0/0) on tcp port 22 (rule ssh-low and rule ssh-high); {EXPECTED}"
    ]
    # The same groups attached to different instances admit half of the internet each: no finding.
    apart = [
        resource("aws:ec2/instance:Instance", name, {"ami": "ami-1", "vpcSecurityGroupIds": [group]})
        for name, group in (("one", "sg-a"), ("two", "sg-b"))
    ]
    assert outcome(RULE, build([first, second, low, high, *apart])) == "pass"


def test_pass_web_port_halves_on_load_balancer_groups():
    views = lb_views()
    views["lb-sg"] = patched(views["lb-sg"], ingress=[])
    low = half_rule("web-low", "sg-lb", "0.0.0.0/1", 443, 443)
    high = half_rule("web-high", "sg-lb", "128.0.0.0/1", 443, 443)
    assert outcome(RULE, build(views, low, high)) == "pass"
