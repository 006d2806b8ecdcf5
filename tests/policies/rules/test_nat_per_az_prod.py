from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import NAT, SUBNET, VPC, build, network, patched, tags
from tests.rulekit import messages, outcome, resource

RULE = "nat_per_az_prod"


def test_pass_one_nat_per_az():
    assert outcome(RULE, build(network())) == "pass"


def test_pass_regional_nat_gateway():
    views = network()
    del views["nat-c"]
    views["nat-a"] = resource(NAT, "nat-a", {"vpcId": "vpc-1", "availabilityMode": "regional", "id": "nat-a"})
    views["rt-app-c-default"] = patched(views["rt-app-c-default"], natGatewayId="nat-a")
    assert outcome(RULE, build(views)) == "pass"


def test_fail_shared_nat_across_azs():
    views = network()
    del views["nat-c"]
    views["rt-app-c-default"] = patched(views["rt-app-c-default"], natGatewayId="nat-a")
    assert messages(RULE, build(views)) == [
        (
            f"{VPC} vpc: has private subnets in ap-northeast-1c but no NAT gateway in ap-northeast-1c; "
            "expected a public NAT gateway in a public subnet of ap-northeast-1c. [NET-03]"
        ),
        (
            f"{SUBNET} app-c: is in ap-northeast-1c but route table rt-app-c sends 0.0.0.0/0 to NAT gateway"
            " nat-a in ap-northeast-1a; expected a route to the NAT gateway in ap-northeast-1c. [NET-03]"
        ),
    ]


def test_fail_private_subnet_routed_to_other_az_nat():
    views = network()
    views["rt-app-c-default"] = patched(views["rt-app-c-default"], natGatewayId="nat-a")
    assert messages(RULE, build(views)) == [
        f"{SUBNET} app-c: is in ap-northeast-1c but route table rt-app-c sends 0.0.0.0/0 to NAT gateway nat-a"
        " in ap-northeast-1a; expected a route to the NAT gateway in ap-northeast-1c. [NET-03]"
    ]


def test_fail_tagged_private_subnet_without_nat_route():
    views = network()
    del views["rt-app-a-default"]
    assert messages(RULE, build(views)) == [
        f"{SUBNET} app-a: is a private subnet with no route to a NAT gateway; "
        "expected a 0.0.0.0/0 route to the NAT gateway in ap-northeast-1a. [NET-03]"
    ]


def test_fail_private_nat_does_not_count():
    views = network()
    views["nat-c"] = patched(views["nat-c"], connectivityType="private")
    found = messages(RULE, build(views))
    assert (
        found[0]
        == f"{VPC} vpc: has private subnets in ap-northeast-1c but no NAT gateway in ap-northeast-1c; "
        "expected a public NAT gateway in a public subnet of ap-northeast-1c. [NET-03]"
    )


def test_pass_prod_by_tag_in_raw_stack_name():
    assert outcome(RULE, build(network(stack_name="test"), name="test")) == "pass"


def test_na_non_prod_stack():
    views = network(stack_name="acme-dev")
    views["vpc"] = patched(views["vpc"], tags=tags(environment="dev"))
    for name in ("public-a", "public-c", "app-a", "app-c", "data-a", "data-c"):
        zone = {"public": "public", "app": "private", "data": "isolated"}[name.split("-")[0]]
        views[name] = patched(views[name], tags=tags(zone, environment="dev"))
    assert outcome(RULE, build(views, name="acme-dev")) == "n/a"


def test_na_no_private_subnets():
    vpc = resource(VPC, "vpc", {"id": "vpc-1", "tags": tags()})
    subnet = resource(
        SUBNET, "data-a", {"vpcId": "vpc-1", "availabilityZone": "ap-northeast-1a", "tags": tags("isolated")}
    )
    assert outcome(RULE, build([vpc, subnet])) == "n/a"


def test_unknown_nat_subnet_in_preview():
    views = network()
    views["nat-c"] = resource(NAT, "nat-c", {"subnetId": UNKNOWN_STRING_VALUE, "id": "nat-c"}, preview=True)
    assert outcome(RULE, build(views)) == "unknown"


def test_fail_private_subnet_without_availability_zone():
    views = network()
    views["app-c"] = patched(views["app-c"], drop=["availabilityZone"])
    assert messages(RULE, build(views)) == [
        f"{SUBNET} app-c: is a private subnet without availabilityZone, so no NAT gateway can be matched to"
        " its AZ; expected an explicit availabilityZone and a route to the NAT gateway of that AZ. [NET-03]"
    ]


def test_fail_route_to_nat_gateway_outside_the_stack():
    views = network()
    views["rt-app-c-default"] = patched(views["rt-app-c-default"], natGatewayId="nat-0elsewhere")
    assert messages(RULE, build(views)) == [
        f"{SUBNET} app-c: route table rt-app-c sends 0.0.0.0/0 to NAT gateway nat-0elsewhere, which is not"
        " declared in this stack, so its AZ is unknown; expected a route to the NAT gateway in"
        " ap-northeast-1c. [NET-03]"
    ]


def test_fail_untagged_subnet_private_by_its_nat_route():
    views = network()
    views["app-c"] = patched(views["app-c"], tags=tags())
    views["rt-app-c-default"] = patched(views["rt-app-c-default"], natGatewayId="nat-a")
    assert messages(RULE, build(views)) == [
        f"{SUBNET} app-c: is in ap-northeast-1c but route table rt-app-c sends 0.0.0.0/0 to NAT gateway nat-a"
        " in ap-northeast-1a; expected a route to the NAT gateway in ap-northeast-1c. [NET-03]"
    ]
