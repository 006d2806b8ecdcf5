"""Raw pulumi_aws networks through the offline gate (families: subnets, security groups and rules, instances,
launch templates, VPC peering, Transit Gateway, flow logs; also RAM, endpoints, a database): TEN-02, RES-03,
NET-01..04, and EDGE-03 for Elastic IPs."""

import pytest

from tenantctl.gate import check_synth
from tenantctl.synth.engine import synthesize
from tests.policies.raw._net_raw import FIXTURES, STACK, findings, gate, messages, undecided

VIOLATING = {
    ("NET-01", "no_public_ip", "tokyo-public-a"),
    ("NET-01", "no_public_ip", "bastion"),
    ("NET-01", "no_public_ip", "bastion-ip"),
    ("NET-01", "no_public_ip", "web-template"),
    ("NET-01", "db_not_public", "orders-db"),
    ("NET-01", "db_isolated_subnets", "db-subnets"),
    ("NET-02", "sg_no_public_ingress", "ssh-sg"),
    ("NET-02", "sg_no_public_ingress", "app-wide-open"),
    ("NET-02", "sg_no_public_ingress", "app-https-anywhere"),
    ("NET-02", "default_sg_empty", "tokyo-default-sg"),
    ("NET-02", "default_sg_empty", "osaka-vpc"),
    ("NET-03", "vpc_zones_multi_az", "osaka-vpc"),
    ("NET-03", "nat_per_az_prod", "tokyo-vpc"),
    ("NET-03", "nat_per_az_prod", "tokyo-private-c"),
    ("NET-04", "flow_log_all_traffic", "tokyo-flow-log"),
    ("NET-04", "vpc_flow_logs", "tokyo-flow-log"),
    ("NET-04", "vpc_flow_logs", "osaka-vpc"),
    ("RES-03", "vpc_endpoints", "tokyo-vpc"),
    ("RES-03", "vpc_endpoints", "tokyo-kms"),
    ("TEN-02", "vpc_peering_same_tenant", "partner-peering"),
    ("TEN-02", "vpc_peering_same_tenant", "to-partner"),
    ("TEN-02", "vpc_peering_same_tenant", "shared-tgw-attachment"),
    ("TEN-02", "vpc_peering_same_tenant", "foreign-tgw-peering"),
    ("TEN-02", "vpc_peering_same_tenant", "foreign-vpc-accept"),
    ("TEN-02", "ram_no_external_share", "subnets"),
    ("TEN-02", "ram_no_external_share", "subnets-to-partner"),
    ("TEN-02", "ram_no_external_share", "subnets-to-org"),
    ("EDGE-03", "entry_point_shield", "tokyo-nat"),
    ("EDGE-03", "entry_point_shield", "bastion-ip"),
}


@pytest.fixture(scope="module")
def violating():
    return gate("network", "violating")


def test_violating_program_yields_exactly_the_expected_findings(violating):
    assert findings(violating) == VIOLATING
    assert undecided(violating) == []


def test_violating_messages_name_the_peer_and_the_route(violating):
    assert messages(violating, "vpc_peering_same_tenant", "partner-peering") == [
        (
            "aws:ec2/vpcPeeringConnection:VpcPeeringConnection partner-peering: peerOwnerId is 222222222222,"
            " not the stack's own account (111111111111); expected peerOwnerId unset or the tenant's own"
            " account. [TEN-02]"
        ),
        (
            "aws:ec2/vpcPeeringConnection:VpcPeeringConnection partner-peering: peerRegion is us-west-2;"
            " expected peerRegion ap-northeast-1 or ap-northeast-3. [TEN-02]"
        ),
    ]
    assert messages(violating, "nat_per_az_prod", "tokyo-private-c") == [
        "aws:ec2/subnet:Subnet tokyo-private-c: is in ap-northeast-1c but route table tokyo-private-rt sends"
        " 0.0.0.0/0 to NAT gateway tokyo-nat in ap-northeast-1a; expected a route to the NAT gateway in"
        " ap-northeast-1c. [NET-03]"
    ]


def test_compliant_twin_is_not_flagged():
    result = gate("network", "compliant")
    assert findings(result) == set()
    assert undecided(result) == []


def test_preview_of_a_new_stack_decides_the_same(violating):
    # As `pulumi preview` of a new stack: IDs and ARNs unknown. The rules follow property dependencies
    # instead of the unknown values, so they reach the same verdicts and none is left undecided.
    preview = check_synth(synthesize(FIXTURES / "network" / "violating", STACK, preview=True))
    assert findings(preview) == findings(violating)
    assert undecided(preview) == []
