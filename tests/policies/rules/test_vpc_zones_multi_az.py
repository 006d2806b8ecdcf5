from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import VPC, build, network, patched, tags
from tests.rulekit import messages, outcome, resource

RULE = "vpc_zones_multi_az"


def test_pass_each_zone_in_two_azs():
    assert outcome(RULE, build(network())) == "pass"


def test_pass_availability_zone_ids():
    views = network()
    for name, az_id in (("public-a", "apne1-az4"), ("public-c", "apne1-az1")):
        views[name] = patched(views[name], availabilityZone=None, availabilityZoneId=az_id)
    assert outcome(RULE, build(views)) == "pass"


def test_fail_zone_in_one_az():
    views = network()
    views["data-c"] = patched(views["data-c"], availabilityZone="ap-northeast-1a")
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: zone isolated has subnets only in ap-northeast-1a; "
        "expected subnets of zone isolated in at least 2 availability zones. [NET-03]"
    ]


def test_fail_subnet_without_az_does_not_count():
    views = network()
    views["app-c"] = patched(views["app-c"], availabilityZone=None)
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: zone private has subnets only in ap-northeast-1a (app-c without availabilityZone); "
        "expected subnets of zone private in at least 2 availability zones. [NET-03]"
    ]


def test_fail_untagged_subnets_classified_by_routes():
    views = network()
    for name in ("public-a", "public-c", "app-a", "app-c", "data-a", "data-c"):
        views[name] = patched(views[name], tags=tags())
    views["public-c"] = patched(views["public-c"], availabilityZone="ap-northeast-1a")
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: zone public has subnets only in ap-northeast-1a; "
        "expected subnets of zone public in at least 2 availability zones. [NET-03]"
    ]


def test_na_no_vpc_with_subnets():
    assert outcome(RULE, build([resource(VPC, "empty", {"cidrBlock": "10.9.0.0/16"})])) == "n/a"


def test_unknown_availability_zone_in_preview():
    views = network()
    views["data-c"] = resource(
        "aws:ec2/subnet:Subnet",
        "data-c",
        {"vpcId": "vpc-1", "availabilityZone": UNKNOWN_STRING_VALUE, "tags": tags("isolated")},
        preview=True,
    )
    assert outcome(RULE, build(views)) == "unknown"
