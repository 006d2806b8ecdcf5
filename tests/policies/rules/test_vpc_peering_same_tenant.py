import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    ACCOUNT,
    OTHER_ACCOUNT,
    ROUTE,
    ROUTE_TABLE,
    assumed,
    build,
    network,
    on_provider,
    patched,
)
from tests.rulekit import messages, outcome, resource

RULE = "vpc_peering_same_tenant"
PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"
TGW = "aws:ec2transitgateway/transitGateway:TransitGateway"
TGW_PEERING = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"
TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
TGW_ATTACHMENT_ACCEPTER = "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter"
TGW_ROUTE = "aws:ec2transitgateway/route:Route"
SAME_TENANT = (
    "connections only between VPCs and transit gateways of the tenant's own account, declared in this stack"
)


def two_regions():
    """Tokyo and Osaka VPCs of one tenant, peered across regions and joined by peered transit gateways."""
    tokyo = {k: assumed(v) for k, v in network().items()}
    osaka = {
        f"osaka-{k}": assumed(v) for k, v in network("osaka-", "10.1.0.0/16", region="ap-northeast-3").items()
    }
    views = {**tokyo, **osaka}
    views["peering"] = assumed(
        resource(
            PEERING,
            "peering",
            {
                "vpcId": "vpc-1",
                "peerVpcId": "vpc-osaka-1",
                "peerRegion": "ap-northeast-3",
                "peerOwnerId": ACCOUNT,
                "id": "pcx-1",
            },
        )
    )
    views["accepter"] = assumed(
        resource(
            ACCEPTER,
            "accepter",
            {"vpcPeeringConnectionId": "pcx-1", "autoAccept": True},
            region="ap-northeast-3",
        )
    )
    views["tgw"] = assumed(resource(TGW, "tgw", {"id": "tgw-tokyo"}))
    views["tgw-osaka"] = assumed(resource(TGW, "tgw-osaka", {"id": "tgw-osaka"}, region="ap-northeast-3"))
    views["tgw-peering"] = assumed(
        resource(
            TGW_PEERING,
            "tgw-peering",
            {
                "transitGatewayId": "tgw-tokyo",
                "peerTransitGatewayId": "tgw-osaka",
                "peerRegion": "ap-northeast-3",
                "id": "tgw-attach-p",
            },
        )
    )
    views["attachment"] = assumed(
        resource(
            TGW_ATTACHMENT,
            "attachment",
            {
                "vpcId": "vpc-1",
                "transitGatewayId": "tgw-tokyo",
                "subnetIds": ["subnet-app-a", "subnet-app-c"],
                "id": "tgw-attach-v",
            },
        )
    )
    views["to-osaka"] = assumed(
        resource(
            ROUTE,
            "to-osaka",
            {
                "routeTableId": "rtb-app-a",
                "destinationCidrBlock": "10.1.0.0/16",
                "vpcPeeringConnectionId": "pcx-1",
            },
        )
    )
    views["tgw-route"] = assumed(
        resource(
            TGW_ROUTE,
            "tgw-route",
            {
                "destinationCidrBlock": "10.1.0.0/16",
                "transitGatewayAttachmentId": "tgw-attach-p",
                "transitGatewayRouteTableId": "r",
            },
        )
    )
    return views


def test_pass_same_tenant_across_regions():
    assert outcome(RULE, build(two_regions())) == "pass"


def test_pass_peer_owner_unset_means_same_account():
    views = two_regions()
    views["peering"] = patched(views["peering"], peerOwnerId=None)
    assert outcome(RULE, build(views)) == "pass"


def test_fail_peer_owner_other_account():
    views = two_regions()
    views["peering"] = patched(views["peering"], peerOwnerId=OTHER_ACCOUNT)
    assert messages(RULE, build(views)) == [
        f"{PEERING} peering: peerOwnerId is {OTHER_ACCOUNT}, not the stack's own account ({ACCOUNT}); "
        "expected peerOwnerId unset or the tenant's own account. [TEN-02]"
    ]


def test_fail_peer_owner_without_known_account():
    raw = resource(PEERING, "peering", {"vpcId": "vpc-1", "peerVpcId": "vpc-9", "peerOwnerId": ACCOUNT})
    assert messages(RULE, build([raw])) == [
        f"{PEERING} peering: peerOwnerId is {ACCOUNT}, not the stack's own account (none known: no aws"
        " provider of the stack assumes a role or sets allowedAccountIds); expected peerOwnerId unset or the"
        " tenant's own account. [TEN-02]"
    ]


@pytest.mark.parametrize("kind, region", [(PEERING, "us-west-2"), (TGW_PEERING, "ap-southeast-1")])
def test_fail_peer_region_outside_japan(kind, region):
    views = two_regions()
    name = "peering" if kind == PEERING else "tgw-peering"
    views[name] = patched(views[name], peerRegion=region)
    assert messages(RULE, build(views)) == [
        f"{kind} {name}: peerRegion is {region}; expected peerRegion ap-northeast-1 or ap-northeast-3."
        " [TEN-02]"
    ]


def test_fail_tgw_peering_other_account():
    views = two_regions()
    views["tgw-peering"] = patched(views["tgw-peering"], peerAccountId=OTHER_ACCOUNT)
    assert messages(RULE, build(views)) == [
        f"{TGW_PEERING} tgw-peering: peerAccountId is {OTHER_ACCOUNT}, not the stack's own account"
        f" ({ACCOUNT}); expected peerAccountId unset or the tenant's own account. [TEN-02]"
    ]


def test_fail_accepting_peering_requested_elsewhere():
    views = two_regions()
    views["accepter"] = patched(views["accepter"], vpcPeeringConnectionId="pcx-foreign")
    assert messages(RULE, build(views)) == [
        f"{ACCEPTER} accepter: accepts peering connection pcx-foreign, which is not requested in this stack "
        f"(a request from another account); expected {SAME_TENANT}. [TEN-02]"
    ]


def test_fail_attachment_accepter_for_foreign_vpc():
    views = two_regions()
    views["foreign"] = assumed(
        resource(TGW_ATTACHMENT_ACCEPTER, "foreign", {"transitGatewayAttachmentId": "tgw-attach-x"})
    )
    assert messages(RULE, build(views)) == [
        f"{TGW_ATTACHMENT_ACCEPTER} foreign: accepts VPC attachment tgw-attach-x, which is not requested in"
        f" this stack (a request from another account); expected {SAME_TENANT}. [TEN-02]"
    ]


def test_fail_attachment_to_shared_transit_gateway():
    views = two_regions()
    views["attachment"] = patched(views["attachment"], transitGatewayId="tgw-shared")
    assert messages(RULE, build(views)) == [
        f"{TGW_ATTACHMENT} attachment: attaches to transit gateway tgw-shared, which is not declared in this"
        " stack (a transit gateway shared from another account); expected an attachment to a transit gateway"
        " of this stack. [TEN-02]"
    ]


def test_fail_route_to_foreign_peering_connection():
    views = two_regions()
    views["to-osaka"] = patched(views["to-osaka"], vpcPeeringConnectionId="pcx-foreign")
    assert messages(RULE, build(views)) == [
        f"{ROUTE} to-osaka: routes to peering connection pcx-foreign, which is not declared in this stack; "
        f"expected routes only over peering connections of this stack ({SAME_TENANT}). [TEN-02]"
    ]


def test_fail_inline_route_to_foreign_transit_gateway():
    views = two_regions()
    views["rt-data"] = patched(
        views["rt-data"], routes=[{"cidrBlock": "10.50.0.0/16", "transitGatewayId": "tgw-shared"}]
    )
    assert messages(RULE, build(views)) == [
        f"{ROUTE_TABLE} rt-data: routes[0] routes to transit gateway tgw-shared, which is not declared in"
        f" this stack; expected routes only over transit gateways of this stack ({SAME_TENANT}). [TEN-02]"
    ]


def test_fail_tgw_route_to_foreign_attachment():
    views = two_regions()
    views["tgw-route"] = patched(views["tgw-route"], transitGatewayAttachmentId="tgw-attach-foreign")
    assert messages(RULE, build(views)) == [
        f"{TGW_ROUTE} tgw-route: routes to transit gateway attachment tgw-attach-foreign, which is not"
        f" declared in this stack; expected routes only over attachments of this stack ({SAME_TENANT})."
        " [TEN-02]"
    ]


def test_pass_no_connections_at_all():
    assert outcome(RULE, build(network())) == "pass"


def test_unknown_peer_owner_in_preview():
    view = resource(PEERING, "peering", {"vpcId": "vpc-1", "peerOwnerId": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, build([assumed(view)])) == "unknown"


def test_unknown_assumed_role_in_preview():
    # The role ARN comes from the org stack's output: unknown until the org stack is deployed.
    views = {k: on_provider(v, assumeRoles=UNKNOWN_STRING_VALUE) for k, v in two_regions().items()}
    assert outcome(RULE, build(views)) == "unknown"
