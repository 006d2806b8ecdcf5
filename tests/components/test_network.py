"""TenantNetwork: the subnet plan (property tests) and the VPC it declares under mocks."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import replace
from typing import Any

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.errors import ComponentInputError
from components.network import ZONES, TenantNetwork, TenantNetworkArgs, endpoint_policy, plan_subnets
from tests.pulumi_mocks import Run, run

AZS3 = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
KEY = "arn:aws:kms:ap-northeast-1:222222222222:key/primary"
ARGS = TenantNetworkArgs(
    vpc_cidr="10.16.0.0/16", availability_zones=AZS3, account_id="222222222222", kms_key_arn=KEY
)
COMPONENT = "tenant-zone:network:TenantNetwork"


# --- plan_subnets
# -----------------------------------------------------------------------------------------------


@st.composite
def vpcs(draw: st.DrawFn) -> tuple[str, list[str]]:
    prefix = draw(st.integers(min_value=16, max_value=24))
    base = draw(
        st.sampled_from(
            [
                ipaddress.IPv4Network("10.0.0.0/8"),
                ipaddress.IPv4Network("172.16.0.0/12"),
                ipaddress.IPv4Network("192.168.0.0/16"),
            ]
        )
    )
    if prefix < base.prefixlen:
        prefix = base.prefixlen
    index = draw(st.integers(min_value=0, max_value=2 ** (prefix - base.prefixlen) - 1))
    network = ipaddress.IPv4Network((int(base.network_address) + index * 2 ** (32 - prefix), prefix))
    azs = draw(st.sampled_from([AZS3[:2], AZS3, ["ap-northeast-3a", "ap-northeast-3b"]]))
    return str(network), azs


@settings(max_examples=200, deadline=None)
@given(vpcs())
def test_plan_is_inside_the_vpc_without_overlap_in_every_zone_and_az(case: tuple[str, list[str]]) -> None:
    cidr, azs = case
    vpc = ipaddress.IPv4Network(cidr)
    plans = plan_subnets(cidr, azs)
    networks = [ipaddress.IPv4Network(p.cidr) for p in plans]
    assert all(n.subnet_of(vpc) for n in networks)
    assert not any(a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1 :])
    assert {(p.zone, p.availability_zone) for p in plans} == {(z, az) for z in ZONES for az in azs}
    assert len(plans) == len(ZONES) * len(azs)
    for zone in ZONES:  # spread: one subnet of each zone per AZ
        assert sorted(p.availability_zone for p in plans if p.zone == zone) == sorted(azs)
    assert all(n.prefixlen <= 28 for n in networks)  # AWS's smallest subnet


@settings(max_examples=100, deadline=None)
@given(vpcs())
def test_adding_an_az_never_renumbers_existing_subnets(case: tuple[str, list[str]]) -> None:
    cidr, _ = case
    two = {(p.zone, p.availability_zone): p.cidr for p in plan_subnets(cidr, AZS3[:2])}
    three = {(p.zone, p.availability_zone): p.cidr for p in plan_subnets(cidr, AZS3)}
    assert all(three[key] == value for key, value in two.items())


def test_private_zone_gets_the_largest_subnets() -> None:
    sizes = {p.zone: ipaddress.IPv4Network(p.cidr).prefixlen for p in plan_subnets("10.16.0.0/16", AZS3)}
    assert sizes == {"private": 19, "isolated": 20, "public": 20}


@pytest.mark.parametrize(
    ("cidr", "azs", "message"),
    [
        (
            "10.0.0.0/25",
            AZS3,
            (
                "TenantNetwork plan: vpc_cidr 10.0.0.0/25 is too small for three zones of subnets of at least"
                " /28 in every AZ; expected a VPC of /24 or larger. [NET-01]"
            ),
        ),
        (
            "10.0.0.0/16",
            AZS3[:1],
            (
                "TenantNetwork plan: availability zones ['ap-northeast-1a'] are not 2 or 3 distinct zones;"
                " expected 2 or 3 distinct zones. [NET-03]"
            ),
        ),
        (
            "10.0.0.0/16",
            [AZS3[0], AZS3[0]],
            (
                "TenantNetwork plan: availability zones ['ap-northeast-1a', 'ap-northeast-1a'] are not 2 or 3"
                " distinct zones; expected 2 or 3 distinct zones. [NET-03]"
            ),
        ),
    ],
)
def test_plan_refuses_what_cannot_hold_three_zones(cidr: str, azs: list[str], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        plan_subnets(cidr, azs)
    assert str(caught.value) == message


# --- the component
# ---------------------------------------------------------------------------------------------


def build(args: TenantNetworkArgs = ARGS, name: str = "acme-prod-network") -> Run:
    return run(lambda: TenantNetwork(name, args))


@pytest.fixture(scope="module")
def prod() -> Run:
    return build()


def test_every_child_is_parented_to_the_component_and_named_after_it(prod: Run) -> None:
    component = prod.one(COMPONENT)
    children = [r for r in prod.resources if r.urn != component.urn]
    assert children and all(r.parent == component.urn for r in children)
    assert all(r.name.startswith("acme-prod-network-") for r in children)


def test_vpc_has_dns_for_private_endpoints(prod: Run) -> None:
    vpc = prod.one("aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == "10.16.0.0/16"
    assert vpc.inputs["enableDnsSupport"] is True and vpc.inputs["enableDnsHostnames"] is True


def test_subnets_follow_the_plan_with_zone_tags_and_no_public_ips(prod: Run) -> None:
    subnets = prod.of_type("aws:ec2/subnet:Subnet")
    expected = {(p.zone, p.availability_zone, p.cidr) for p in plan_subnets("10.16.0.0/16", AZS3)}
    assert {
        (s.inputs["tags"]["zone"], s.inputs["availabilityZone"], s.inputs["cidrBlock"]) for s in subnets
    } == expected
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in subnets)


def _routes_by_table(result: Run) -> dict[str, list[dict[str, Any]]]:
    tables = {t.outputs["id"]: t for t in result.of_type("aws:ec2/routeTable:RouteTable")}
    routes: dict[str, list[dict[str, Any]]] = {t.inputs["tags"]["Name"]: [] for t in tables.values()}
    for route in result.of_type("aws:ec2/route:Route"):
        routes[tables[route.inputs["routeTableId"]].inputs["tags"]["Name"]].append(route.inputs)
    return routes


def test_only_public_routes_to_the_igw_private_to_its_az_nat_isolated_nowhere(prod: Run) -> None:
    igw = prod.one("aws:ec2/internetGateway:InternetGateway").outputs["id"]
    nats = {n.inputs["subnetId"]: n.outputs["id"] for n in prod.of_type("aws:ec2/natGateway:NatGateway")}
    subnet_az = {s.outputs["id"]: s.inputs["availabilityZone"] for s in prod.of_type("aws:ec2/subnet:Subnet")}
    nat_by_az = {subnet_az[subnet]: nat for subnet, nat in nats.items()}
    routes = _routes_by_table(prod)
    public_table = prod.one("aws:ec2/routeTable:RouteTable", "acme-prod-network-public-rt").outputs["id"]
    assert routes["acme-prod-network-public"] == [
        {"routeTableId": public_table, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": igw}
    ]
    for az in AZS3:
        (route,) = routes[f"acme-prod-network-private-{az}"]
        assert route["natGatewayId"] == nat_by_az[az] and "gatewayId" not in route
    assert routes["acme-prod-network-isolated"] == []


def test_each_subnet_is_associated_with_its_zone_table(prod: Run) -> None:
    tables = {
        t.outputs["id"]: t.inputs["tags"]["zone"] for t in prod.of_type("aws:ec2/routeTable:RouteTable")
    }
    zones = {s.outputs["id"]: s.inputs["tags"]["zone"] for s in prod.of_type("aws:ec2/subnet:Subnet")}
    associations = prod.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
    assert len(associations) == 9
    assert all(tables[a.inputs["routeTableId"]] == zones[a.inputs["subnetId"]] for a in associations)


def test_nat_per_az_in_production_with_shield_on_each_eip(prod: Run) -> None:
    nats = prod.of_type("aws:ec2/natGateway:NatGateway")
    eips = prod.of_type("aws:ec2/eip:Eip")
    assert len(nats) == 3 and len(eips) == 3
    public = {
        s.outputs["id"] for s in prod.of_type("aws:ec2/subnet:Subnet") if s.inputs["tags"]["zone"] == "public"
    }
    assert {n.inputs["subnetId"] for n in nats} == public
    protected = {p.inputs["resourceArn"] for p in prod.of_type("aws:shield/protection:Protection")}
    # Shield's own ARN form for an Elastic IP, not the EC2 elastic-ip ARN.
    assert protected == {
        f"arn:aws:ec2:ap-northeast-1:222222222222:eip-allocation/{e.outputs['allocationId']}" for e in eips
    }


def test_one_shared_nat_outside_production() -> None:
    result = build(replace(ARGS, nat_per_az=False, shield_protection=False))
    (nat,) = result.of_type("aws:ec2/natGateway:NatGateway")
    routes = _routes_by_table(result)
    assert all(
        routes[f"acme-prod-network-private-{az}"][0]["natGatewayId"] == nat.outputs["id"] for az in AZS3
    )
    assert result.of_type("aws:shield/protection:Protection") == []


def test_without_an_organization_the_endpoints_keep_the_default_policy(prod: Run) -> None:
    assert all("policy" not in e.inputs for e in prod.of_type("aws:ec2/vpcEndpoint:VpcEndpoint"))


def test_with_an_organization_every_endpoint_admits_its_principals_only() -> None:
    result = build(replace(ARGS, organization_id="o-abcdefghij"))
    endpoints = result.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert len(endpoints) == 5
    for endpoint in endpoints:
        service = endpoint.inputs["serviceName"].rsplit(".", 1)[-1]
        assert json.loads(endpoint.inputs["policy"]) == endpoint_policy("o-abcdefghij", service, ARGS.region)
    sts = endpoint_policy("o-abcdefghij", "sts")["Statement"]
    assert [s["Sid"] for s in sts] == [
        "OrganizationPrincipalsOnly",
        "AwsServicesActingForThem",
        "UnsignedRoleAssumption",
    ]
    assert sts[0]["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}
    s3 = endpoint_policy("o-abcdefghij", "s3", "ap-northeast-1")["Statement"]
    assert [s["Sid"] for s in s3] == [
        "OrganizationPrincipalsOnly",
        "AwsServicesActingForThem",
        "AwsOwnedBucketsForPatchingAndImages",
    ]
    # reads only, of the region's AWS-owned buckets: ECR layers and the patch baseline snapshots among them
    assert s3[2]["Action"] == "s3:GetObject"
    assert "arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*" in s3[2]["Resource"]
    assert "arn:aws:s3:::patch-baseline-snapshot-ap-northeast-1/*" in s3[2]["Resource"]
    assert all(":::" in arn and "ap-northeast-1" in arn for arn in s3[2]["Resource"])


def test_endpoints_keep_aws_traffic_inside(prod: Run) -> None:
    endpoints = {e.inputs["serviceName"]: e.inputs for e in prod.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert set(endpoints) == {
        f"com.amazonaws.ap-northeast-1.{s}" for s in ("s3", "dynamodb", "kms", "sts", "logs")
    }
    tables = {t.outputs["id"] for t in prod.of_type("aws:ec2/routeTable:RouteTable")}
    for service in ("s3", "dynamodb"):
        gateway = endpoints[f"com.amazonaws.ap-northeast-1.{service}"]
        assert gateway["vpcEndpointType"] == "Gateway" and set(gateway["routeTableIds"]) == tables
    sg = prod.one("aws:ec2/securityGroup:SecurityGroup")
    private = {
        s.outputs["id"]
        for s in prod.of_type("aws:ec2/subnet:Subnet")
        if s.inputs["tags"]["zone"] == "private"
    }
    for service in ("kms", "sts", "logs"):
        interface = endpoints[f"com.amazonaws.ap-northeast-1.{service}"]
        assert interface["vpcEndpointType"] == "Interface" and interface["privateDnsEnabled"] is True
        assert set(interface["subnetIds"]) == private and interface["securityGroupIds"] == [sg.outputs["id"]]
    assert sg.inputs["ingress"] == [
        {
            "protocol": "tcp",
            "fromPort": 443.0,
            "toPort": 443.0,
            "cidrBlocks": ["10.16.0.0/16"],
            "description": "HTTPS from the VPC",
        }
    ]
    assert not sg.inputs.get("egress")


def test_default_security_group_is_emptied(prod: Run) -> None:
    default = prod.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default.inputs["vpcId"] == prod.one("aws:ec2/vpc:Vpc").outputs["id"]
    assert not default.inputs.get("ingress") and not default.inputs.get("egress")


def test_default_network_acl_admits_admin_ports_from_the_vpc_only(prod: Run) -> None:
    acl = prod.one("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl")
    rules = sorted(
        (r["ruleNo"], r["action"], r["protocol"], r["fromPort"], r["cidrBlock"])
        for r in acl.inputs["ingress"]
    )
    # the lowest number decides: SSH and RDP inside the VPC first, from anywhere else never, then the rest
    assert rules == [
        (90, "allow", "tcp", 22, "10.16.0.0/16"),
        (91, "allow", "tcp", 3389, "10.16.0.0/16"),
        (100, "deny", "tcp", 22, "0.0.0.0/0"),
        (101, "deny", "tcp", 3389, "0.0.0.0/0"),
        (200, "allow", "-1", 0, "0.0.0.0/0"),
    ]
    assert len(acl.inputs["subnetIds"]) == len(prod.of_type("aws:ec2/subnet:Subnet"))


def test_flow_logs_capture_all_traffic_to_an_encrypted_group_kept_the_retention(prod: Run) -> None:
    group = prod.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["retentionInDays"] == 400 and group.inputs["kmsKeyId"] == KEY
    flow = prod.one("aws:ec2/flowLog:FlowLog")
    role = prod.one("aws:iam/role:Role")
    assert flow.inputs["trafficType"] == "ALL"
    assert flow.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow.inputs["logDestination"] == group.outputs["arn"]
    assert flow.inputs["iamRoleArn"] == role.outputs["arn"]
    assert flow.inputs["vpcId"] == prod.one("aws:ec2/vpc:Vpc").outputs["id"]
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Statement"][0]["Condition"] == {"StringEquals": {"aws:SourceAccount": "222222222222"}}
    policy = json.loads(prod.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert group.outputs["arn"] in policy["Statement"][0]["Resource"]


def test_retention_input_reaches_the_log_group() -> None:
    result = build(replace(ARGS, flow_log_retention_days=731))
    assert result.one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == 731


def test_two_azs_give_six_subnets() -> None:
    result = build(replace(ARGS, availability_zones=AZS3[:2]))
    assert len(result.of_type("aws:ec2/subnet:Subnet")) == 6
    assert len(result.of_type("aws:ec2/natGateway:NatGateway")) == 2


def test_provider_is_passed_to_every_child() -> None:
    def program() -> None:
        import pulumi_aws as aws

        provider = aws.Provider("tokyo", region="ap-northeast-1")
        TenantNetwork("n", replace(ARGS, primary_provider=provider))

    result = run(program)
    provider = result.one("pulumi:providers:aws").urn
    custom = [r for r in result.resources if r.custom and not r.type.startswith("pulumi:providers:")]
    assert custom and all(r.provider_urn == provider for r in custom)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"flow_log_retention_days": 90},
            (
                "TenantNetwork n: flow_log_retention_days 90 keeps flow logs less than 365 days; expected at"
                " least 365. [NET-04]"
            ),
        ),
        (
            {"availability_zones": ["us-east-1a", "us-east-1b"]},
            (
                "TenantNetwork n: availability zones ['us-east-1a', 'us-east-1b'] are not in ap-northeast-1;"
                " expected zones of ap-northeast-1. [RES-01]"
            ),
        ),
        (
            {"interface_endpoint_services": ("kms", "sts")},
            (
                "TenantNetwork n: endpoints for logs are left out; expected S3 and DynamoDB gateway endpoints"
                " and KMS, STS and Logs interface endpoints. [RES-03]"
            ),
        ),
        (
            {"vpc_cidr": "10.0.0.0/26"},
            (
                "TenantNetwork n: vpc_cidr 10.0.0.0/26 is too small for three zones of subnets of at least"
                " /28 in every AZ; expected a VPC of /24 or larger. [NET-01]"
            ),
        ),
    ],
)
def test_bad_inputs_are_refused_before_any_resource(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(pulumi.RunError) as caught:
        build(replace(ARGS, **changes), name="n")
    assert str(caught.value) == message


def test_shield_protections_wait_for_what_they_are_told_to() -> None:
    def program() -> None:
        import pulumi_aws as aws

        subscription = aws.s3.Bucket("stand-in-for-the-shield-subscription")
        TenantNetwork("n", replace(ARGS, shield_depends_on=[subscription]))

    result = run(program)
    stand_in = result.one("aws:s3/bucket:Bucket").urn
    protections = result.of_type("aws:shield/protection:Protection")
    assert len(protections) == 3 and all(stand_in in p.dependencies for p in protections)


def test_gateway_endpoints_cannot_be_left_out() -> None:
    with pytest.raises(ComponentInputError) as caught:
        build(replace(ARGS, gateway_endpoint_services=("s3",)), name="n")
    assert (
        str(caught.value)
        == "TenantNetwork n: endpoints for dynamodb are left out; expected S3 and DynamoDB gateway endpoints"
        " and KMS, STS and Logs interface endpoints. [RES-03]"
    )


ARCHIVE_FLOW_BUCKET = "arn:aws:s3:::log-delivery-flow-logs-1a2b3c4"


def test_a_second_flow_log_delivers_all_traffic_to_the_log_archive_bucket() -> None:
    result = build(replace(ARGS, flow_log_bucket_arn=ARCHIVE_FLOW_BUCKET))
    vpc_id = result.one("aws:ec2/vpc:Vpc").outputs["id"]
    flows = {f.name: f.inputs for f in result.of_type("aws:ec2/flowLog:FlowLog")}
    archived = flows["acme-prod-network-flow-log-archive"]
    assert archived["logDestinationType"] == "s3"
    assert archived["logDestination"] == ARCHIVE_FLOW_BUCKET
    assert archived["trafficType"] == "ALL" and archived["vpcId"] == vpc_id
    # The log delivery service writes under the bucket's policy: an IAM role is refused for S3 destinations.
    assert "iamRoleArn" not in archived
    assert flows["acme-prod-network-flow-log"]["logDestinationType"] == "cloud-watch-logs"


def test_without_an_archive_bucket_there_is_only_the_tenants_flow_log(prod: Run) -> None:
    assert [f.name for f in prod.of_type("aws:ec2/flowLog:FlowLog")] == ["acme-prod-network-flow-log"]
