import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import build, network, patched, tags
from tests.rulekit import messages, outcome, resource

RULE = "db_isolated_subnets"
RDS_GROUP = "aws:rds/subnetGroup:SubnetGroup"
RDS = "aws:rds/instance:Instance"
CACHE_GROUP = "aws:elasticache/subnetGroup:SubnetGroup"
EXPECTED = "expected only isolated subnets (zone isolated: no route to an internet or NAT gateway). [NET-01]"


def db_stack(*, group_subnets=("subnet-data-a", "subnet-data-c"), db_props=None, **changes):
    views = network()
    views.update(changes)
    group = resource(RDS_GROUP, "db-subnets", {"name": "acme-data", "subnetIds": list(group_subnets)})
    db = resource(RDS, "db", db_props if db_props is not None else {"dbSubnetGroupName": "acme-data"})
    return build(views, group, db)


def test_pass_isolated_subnet_group():
    assert outcome(RULE, db_stack()) == "pass"


def test_pass_cache_group_through_property_dependencies():
    views = network()
    group = resource(
        CACHE_GROUP,
        "cache-subnets",
        {"name": "cache", "subnetIds": ["x", "y"]},
        prop_deps={"subnetIds": [views["data-a"].urn, views["data-c"].urn]},
    )
    cache = resource(
        "aws:elasticache/replicationGroup:ReplicationGroup", "cache", {"subnetGroupName": "cache"}
    )
    assert outcome(RULE, build(views, group, cache)) == "pass"


def test_pass_untagged_subnet_without_internet_routes():
    views = network()
    views["data-a"] = patched(views["data-a"], tags=tags())
    assert outcome(RULE, db_stack(**{"data-a": views["data-a"]})) == "pass"


def test_fail_group_includes_private_subnet_by_tag():
    assert messages(RULE, db_stack(group_subnets=("subnet-data-a", "subnet-app-c"))) == [
        f"{RDS_GROUP} db-subnets: subnetIds includes subnet app-c, which is tagged zone=private; {EXPECTED}"
    ]


def test_fail_untagged_subnet_routed_to_internet():
    views = network()
    untagged_public = patched(views["public-a"], tags=tags())
    assert messages(RULE, db_stack(group_subnets=("subnet-public-a",), **{"public-a": untagged_public})) == [
        f"{RDS_GROUP} db-subnets: subnetIds includes subnet public-a, which is public: route table rt-public "
        f"sends 0.0.0.0/0 to internet gateway igw; {EXPECTED}"
    ]


def test_fail_subnet_tagged_isolated_but_routed_to_nat():
    views = network()
    lying = patched(views["rta-data-a"], routeTableId="rtb-app-a")
    assert messages(RULE, db_stack(**{"rta-data-a": lying})) == [
        f"{RDS_GROUP} db-subnets: subnetIds includes subnet data-a, which is private: route table rt-app-a "
        f"sends 0.0.0.0/0 to NAT gateway nat-a; {EXPECTED}"
    ]


def test_fail_subnet_not_in_stack():
    assert messages(RULE, db_stack(group_subnets=("subnet-data-a", "subnet-0abc"))) == [
        f"{RDS_GROUP} db-subnets: subnetIds includes subnet-0abc, which is not declared in this stack, "
        f"so its routes cannot be verified; {EXPECTED}"
    ]


@pytest.mark.parametrize("props, shown", [({}, "not set"), ({"dbSubnetGroupName": "default"}, "default")])
def test_fail_database_without_subnet_group(props, shown):
    assert messages(RULE, db_stack(db_props=props)) == [
        f"{RDS} db: dbSubnetGroupName is {shown}, so it is placed in the default VPC's public subnets; "
        "expected dbSubnetGroupName naming a subnet group of isolated subnets. [NET-01]"
    ]


def test_fail_database_subnet_group_outside_stack():
    assert messages(RULE, db_stack(db_props={"dbSubnetGroupName": "legacy"})) == [
        f"{RDS} db: dbSubnetGroupName legacy is not declared in this stack, so its subnets cannot be"
        " verified; expected dbSubnetGroupName naming a subnet group of this stack made of isolated subnets."
        " [NET-01]"
    ]


def test_fail_serverless_cache_in_public_subnet():
    cache = resource(
        "aws:elasticache/serverlessCache:ServerlessCache", "sessions", {"subnetIds": ["subnet-public-a"]}
    )
    assert messages(RULE, build(network(), cache)) == [
        "aws:elasticache/serverlessCache:ServerlessCache sessions: subnetIds includes subnet public-a, "
        f"which is tagged zone=public; {EXPECTED}"
    ]


def test_pass_same_region_read_replica_inherits_group():
    replica = resource(RDS, "replica", {"replicateSourceDb": "db"})
    assert outcome(RULE, build(network(), replica)) == "pass"


def test_na_no_database():
    assert outcome(RULE, build(network())) == "n/a"


def test_unknown_subnet_ids_in_preview():
    group = resource(RDS_GROUP, "g", {"subnetIds": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, build(network(), group)) == "unknown"


def test_default_route_table_of_vpc_decides_unassociated_subnet():
    views = network()
    del views["rta-data-a"]
    main = resource(
        "aws:ec2/defaultRouteTable:DefaultRouteTable",
        "main",
        {
            "defaultRouteTableId": "rtb-main",
            "routes": [{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-1"}],
        },
        prop_deps={"defaultRouteTableId": [views["vpc"].urn]},
    )
    views["data-a"] = patched(views["data-a"], tags=tags())
    group = resource(RDS_GROUP, "g", {"subnetIds": ["subnet-data-a"]})
    assert messages(RULE, build(views, main, group)) == [
        f"{RDS_GROUP} g: subnetIds includes subnet data-a, which is public: route table main sends 0.0.0.0/0 "
        f"to internet gateway igw; {EXPECTED}"
    ]


def test_unassociated_subnet_with_untouched_main_table_is_isolated():
    views = network()
    del views["rta-data-a"]  # back on the VPC's main table, which only has the local route
    assert outcome(RULE, build(views, resource(RDS_GROUP, "g", {"subnetIds": ["subnet-data-a"]}))) == "pass"


def test_pass_cache_cluster_member_of_a_replication_group_inherits_its_group():
    member = resource("aws:elasticache/cluster:Cluster", "cache-node", {"replicationGroupId": "cache"})
    assert outcome(RULE, build(network(), member)) == "pass"
    standalone = resource("aws:elasticache/cluster:Cluster", "cache-node", {})
    assert messages(RULE, build(network(), standalone)) == [
        "aws:elasticache/cluster:Cluster cache-node: subnetGroupName is not set, so it is placed in the"
        " default VPC's public subnets; expected subnetGroupName naming a subnet group of isolated subnets."
        " [NET-01]"
    ]


# --- how routes classify a subnet (the routing picture the network rules share) -----------------------


def data_table_with(*routes, **props):
    """The isolated data subnets' route table, with extra inline routes."""
    views = network()
    views["data-a"] = patched(views["data-a"], tags=tags())
    views["rt-data"] = patched(views["rt-data"], routes=list(routes), **props)
    return views


@pytest.mark.parametrize(
    "route, target",
    [
        (
            {"ipv6CidrBlock": "::/0", "egressOnlyGatewayId": "eigw-1"},
            "::/0 to egress-only internet gateway eigw-1",
        ),
        ({"cidrBlock": "0.0.0.0/0", "carrierGatewayId": "cagw-1"}, "0.0.0.0/0 to carrier gateway cagw-1"),
        (
            {"destinationPrefixListId": "pl-1", "gatewayId": "igw-0other"},
            "pl-1 to internet gateway igw-0other",
        ),
    ],
)
def test_fail_data_subnet_routed_to_other_internet_gateways(route, target):
    views = data_table_with(route)
    group = resource(RDS_GROUP, "g", {"subnetIds": ["subnet-data-a"]})
    assert messages(RULE, build(views, group)) == [
        f"{RDS_GROUP} g: subnetIds includes subnet data-a, which is public: route table rt-data sends"
        f" {target}; {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "route",
    [
        {"cidrBlock": "10.0.0.0/16", "gatewayId": "local"},
        {"cidrBlock": "192.168.0.0/16", "gatewayId": "vgw-1"},
        {"cidrBlock": "172.16.0.0/12", "transitGatewayId": "tgw-1"},
    ],
)
def test_pass_local_vpn_and_transit_routes_keep_a_subnet_isolated(route):
    views = data_table_with(route)
    group = resource(RDS_GROUP, "g", {"subnetIds": ["subnet-data-a"]})
    assert outcome(RULE, build(views, group)) == "pass"


def test_pass_private_nat_gateway_keeps_a_subnet_isolated():
    views = data_table_with({"cidrBlock": "100.64.0.0/10", "natGatewayId": "nat-private"})
    private_nat = resource(
        "aws:ec2/natGateway:NatGateway",
        "nat-private",
        {"id": "nat-private", "connectivityType": "private", "subnetId": "subnet-app-a"},
    )
    group = resource(RDS_GROUP, "g", {"subnetIds": ["subnet-data-a"]})
    assert outcome(RULE, build(views, private_nat, group)) == "pass"


def test_fail_main_route_table_association_decides_unassociated_subnet():
    views = network()
    del views["rta-data-a"]
    views["data-a"] = patched(views["data-a"], tags=tags())
    main = resource(
        "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
        "main",
        {"vpcId": "vpc-1", "routeTableId": "rtb-public"},
    )
    group = resource(RDS_GROUP, "g", {"subnetIds": ["subnet-data-a"]})
    assert messages(RULE, build(views, main, group)) == [
        f"{RDS_GROUP} g: subnetIds includes subnet data-a, which is public: route table rt-public sends"
        f" 0.0.0.0/0 to internet gateway igw; {EXPECTED}"
    ]


def test_fail_default_route_table_found_by_literal_id():
    views = network()
    del views["rta-data-a"]
    views["data-a"] = patched(views["data-a"], tags=tags())
    main = resource(
        "aws:ec2/defaultRouteTable:DefaultRouteTable",
        "main",
        {"defaultRouteTableId": "rtb-main", "routes": [{"cidrBlock": "0.0.0.0/0", "natGatewayId": "nat-a"}]},
    )
    group = resource(RDS_GROUP, "g", {"subnetIds": ["subnet-data-a"]})
    assert messages(RULE, build(views, main, group)) == [
        f"{RDS_GROUP} g: subnetIds includes subnet data-a, which is private: route table main sends 0.0.0.0/0"
        f" to NAT gateway nat-a; {EXPECTED}"
    ]
