from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import VPC, build, network, patched
from tests.rulekit import messages, outcome, resource

RULE = "tenant_cidr_unique"
ASSOCIATION = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"
PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"


def tenant(name, cidr, prefix=""):
    return build(network(prefix, cidr, stack_name=name), name=name)


def test_pass_distinct_tenants():
    stacks = [
        tenant("acme-prod", "10.0.0.0/16"),
        tenant("acme-staging", "10.1.0.0/16"),
        tenant("beta-prod", "10.2.0.0/16"),
    ]
    assert outcome(RULE, stacks) == "pass"


def test_fail_overlap_between_tenants_names_both():
    stacks = [tenant("acme-prod", "10.0.0.0/16"), tenant("beta-prod", "10.0.128.0/17")]
    assert messages(RULE, stacks) == [
        f"{VPC} vpc: cidrBlock 10.0.128.0/17 (stack beta-prod) overlaps 10.0.0.0/16 of VPC vpc in stack"
        " acme-prod; expected a CIDR that overlaps no other tenant stack's VPC. [TEN-02]"
    ]


def test_fail_secondary_cidr_association_overlaps():
    beta = network(cidr="10.2.0.0/16", stack_name="beta-prod")
    extra = resource(ASSOCIATION, "extra", {"vpcId": "vpc-1", "cidrBlock": "10.0.4.0/24"}, stack="beta-prod")
    stacks = [tenant("acme-prod", "10.0.0.0/16"), build(beta, extra, name="beta-prod")]
    assert messages(RULE, stacks) == [
        f"{ASSOCIATION} extra: cidrBlock 10.0.4.0/24 (stack beta-prod) overlaps 10.0.0.0/16 of VPC vpc in"
        " stack acme-prod; expected a CIDR that overlaps no other tenant stack's VPC. [TEN-02]"
    ]


def test_pass_org_stack_is_not_a_tenant():
    assert outcome(RULE, [tenant("acme-prod", "10.0.0.0/16"), tenant("org", "10.0.0.0/16")]) == "pass"


def test_pass_unconnected_overlap_inside_one_stack():
    views = {
        **network(cidr="10.0.0.0/16"),
        **{f"o-{k}": v for k, v in network("o-", "10.0.0.0/16", region="ap-northeast-3").items()},
    }
    assert outcome(RULE, [build(views)]) == "pass"


def test_fail_peered_overlap_inside_one_stack():
    views = {
        **network(cidr="10.0.0.0/16"),
        **{f"o-{k}": v for k, v in network("o-", "10.0.0.0/20", region="ap-northeast-3").items()},
    }
    peering = resource(
        PEERING, "peering", {"vpcId": "vpc-1", "peerVpcId": "vpc-o-1", "peerRegion": "ap-northeast-3"}
    )
    assert messages(RULE, [build(views, peering)]) == [
        f"{VPC} vpc: cidrBlock 10.0.0.0/16 overlaps 10.0.0.0/20 of VPC o-vpc in stack acme-prod, and the two"
        " VPCs are connected by peering or a transit gateway; expected connected VPCs with non-overlapping"
        " CIDRs. [TEN-02]"
    ]


def test_fail_overlap_through_shared_transit_gateway():
    tgw = "aws:ec2transitgateway/transitGateway:TransitGateway"
    attach = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
    views = {**network(cidr="10.0.0.0/16"), **{f"b-{k}": v for k, v in network("b-", "10.0.0.0/16").items()}}
    extra = [
        resource(tgw, "tgw", {"id": "tgw-1"}),
        resource(attach, "a1", {"vpcId": "vpc-1", "transitGatewayId": "tgw-1"}),
        resource(attach, "a2", {"vpcId": "vpc-b-1", "transitGatewayId": "tgw-1"}),
    ]
    assert messages(RULE, [build(views, *extra)]) == [
        f"{VPC} vpc: cidrBlock 10.0.0.0/16 overlaps 10.0.0.0/16 of VPC b-vpc in stack acme-prod, and the two"
        " VPCs are connected by peering or a transit gateway; expected connected VPCs with non-overlapping"
        " CIDRs. [TEN-02]"
    ]


def test_na_no_tenant_vpc():
    assert outcome(RULE, [build([resource("aws:s3/bucket:Bucket", "b", {})])]) == "n/a"


def test_na_ipam_allocated_vpc():
    vpc = resource(VPC, "vpc", {"ipv4IpamPoolId": "ipam-pool-1", "ipv4NetmaskLength": 16})
    assert outcome(RULE, [build([vpc])]) == "n/a"


def test_unknown_cidr_in_preview():
    unknown = resource(VPC, "vpc", {"cidrBlock": UNKNOWN_STRING_VALUE}, stack="beta-prod", preview=True)
    assert (
        outcome(RULE, [tenant("acme-prod", "10.0.0.0/16"), build([unknown], name="beta-prod")]) == "unknown"
    )


def test_linear_sweep_reports_each_overlap_once():
    stacks = [tenant(f"t{i}-prod", f"10.{i}.0.0/16") for i in range(50)]
    stacks.append(build([patched(network(cidr="10.7.0.0/16", stack_name="z-prod")["vpc"])], name="z-prod"))
    assert messages(RULE, stacks) == [
        f"{VPC} vpc: cidrBlock 10.7.0.0/16 (stack z-prod) overlaps 10.7.0.0/16 of VPC vpc in stack t7-prod; "
        "expected a CIDR that overlaps no other tenant stack's VPC. [TEN-02]"
    ]


def test_fail_overlap_through_peered_transit_gateways():
    tgw = "aws:ec2transitgateway/transitGateway:TransitGateway"
    attach = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
    peering = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"
    views = {**network(cidr="10.0.0.0/16"), **{f"b-{k}": v for k, v in network("b-", "10.0.0.0/16").items()}}
    gateways = [
        resource(tgw, "tgw-a", {"id": "tgw-a"}),
        resource(tgw, "tgw-b", {"id": "tgw-b"}),
        resource(attach, "a1", {"vpcId": "vpc-1", "transitGatewayId": "tgw-a"}),
        resource(attach, "a2", {"vpcId": "vpc-b-1", "transitGatewayId": "tgw-b"}),
    ]
    assert outcome(RULE, [build(views, *gateways)]) == "pass"
    joined = resource(peering, "tgw-peering", {"transitGatewayId": "tgw-a", "peerTransitGatewayId": "tgw-b"})
    assert messages(RULE, [build(views, *gateways, joined)]) == [
        f"{VPC} vpc: cidrBlock 10.0.0.0/16 overlaps 10.0.0.0/16 of VPC b-vpc in stack acme-prod, and the two"
        " VPCs are connected by peering or a transit gateway; expected connected VPCs with non-overlapping"
        " CIDRs. [TEN-02]"
    ]


def test_pass_secondary_cidr_inside_its_own_vpc_range():
    extra = resource(ASSOCIATION, "extra", {"vpcId": "vpc-1", "cidrBlock": "10.0.4.0/24"})
    assert outcome(RULE, [build(network(cidr="10.0.0.0/16"), extra)]) == "pass"
