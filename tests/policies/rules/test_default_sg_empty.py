from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE, UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    DEFAULT_SG,
    INGRESS_RULE,
    SG_RULE,
    VPC,
    build,
    linked,
    network,
    patched,
)
from tests.rulekit import messages, outcome, resource

RULE = "default_sg_empty"


def test_pass_every_vpc_has_empty_default_group():
    assert outcome(RULE, build(network())) == "pass"


def test_pass_linked_by_literal_vpc_id():
    views = network()
    views["default-sg"] = resource(DEFAULT_SG, "default-sg", {"vpcId": "vpc-1", "ingress": [], "egress": []})
    assert outcome(RULE, build(views)) == "pass"


def test_fail_default_group_with_rules():
    views = network()
    views["default-sg"] = patched(
        views["default-sg"],
        ingress=[{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}],
        egress={"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]},
    )
    expected = "expected a default security group with no ingress and no egress rules. [NET-02]"
    assert messages(RULE, build(views)) == [
        f"{DEFAULT_SG} default-sg: has 1 ingress rule; {expected}",
        f"{DEFAULT_SG} default-sg: has 1 egress rule; {expected}",
    ]


def test_fail_vpc_without_default_group_resource():
    views = network()
    del views["default-sg"]
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: has no aws:ec2/defaultSecurityGroup:DefaultSecurityGroup, so AWS's default group keeps"
        " its allow-all-from-itself ingress and allow-all egress; expected an"
        " aws:ec2/defaultSecurityGroup:DefaultSecurityGroup for this VPC with no rules. [NET-02]"
    ]


def test_fail_rule_added_to_default_group_by_literal_id():
    rule = resource(
        INGRESS_RULE,
        "sneaky",
        {
            "securityGroupId": "sg-default",
            "ipProtocol": "tcp",
            "fromPort": 22,
            "toPort": 22,
            "cidrIpv4": "10.0.0.0/8",
        },
    )
    assert messages(RULE, build(network(), rule)) == [
        f"{INGRESS_RULE} sneaky: adds a rule to a VPC's default security group; expected no rules on the"
        " default security group; use a purpose-made security group. [NET-02]"
    ]


def test_fail_rule_added_through_vpc_output():
    views = network()
    rule = linked(
        resource(SG_RULE, "sneaky", {"type": "egress", "securityGroupId": "sg-x"}),
        "securityGroupId",
        views["vpc"],
    )
    assert messages(RULE, build(views, rule)) == [
        f"{SG_RULE} sneaky: adds a rule to a VPC's default security group; expected no rules on the default "
        "security group; use a purpose-made security group. [NET-02]"
    ]


def test_na_no_vpc():
    assert outcome(RULE, build([resource("aws:s3/bucket:Bucket", "b", {})])) == "n/a"


def test_unknown_ingress_in_preview():
    views = network()
    views["default-sg"] = resource(
        DEFAULT_SG, "default-sg", {"vpcId": "vpc-1", "ingress": UNKNOWN_ARRAY_VALUE}, preview=True
    )
    assert outcome(RULE, build(views)) == "unknown"


def test_pass_preview_rule_on_another_group():
    views = network()
    app = resource("aws:ec2/securityGroup:SecurityGroup", "app", {"vpcId": "vpc-1"})
    rule = linked(
        resource(INGRESS_RULE, "app-in", {"securityGroupId": UNKNOWN_STRING_VALUE}, preview=True),
        "securityGroupId",
        app,
    )
    assert outcome(RULE, build(views, app, rule)) == "pass"
