from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "availability_zone_exists"
SUBNET = "aws:ec2/subnet:Subnet"
ASG = "aws:autoscaling/group:Group"


def subnet(zone, region="ap-northeast-1", preview=False):
    return resource(
        SUBNET,
        "app-a",
        {"availabilityZone": zone, "cidrBlock": "10.0.0.0/24"},
        region=region,
        preview=preview,
    )


def test_pass_zones_of_a_new_account():
    assert outcome(RULE, subnet("ap-northeast-1d")) == "pass"
    assert outcome(RULE, subnet("ap-northeast-3b", "ap-northeast-3")) == "pass"


def test_fail_tokyo_1b():
    assert messages(RULE, subnet("ap-northeast-1b")) == [
        f"{SUBNET} app-a: availabilityZone ap-northeast-1b does not exist in a new account in ap-northeast-1;"
        " expected one of ap-northeast-1a, ap-northeast-1c, ap-northeast-1d. [DEP-03]"
    ]


def test_fail_zone_of_the_other_region():
    assert outcome(RULE, subnet("ap-northeast-1a", "ap-northeast-3")) == "fail"


def test_fail_one_zone_of_a_list():
    group = resource(ASG, "web", {"availabilityZones": ["ap-northeast-1a", "ap-northeast-1b"]})
    assert messages(RULE, group) == [
        f"{ASG} web: availabilityZones ap-northeast-1b does not exist in a new account in ap-northeast-1; "
        "expected one of ap-northeast-1a, ap-northeast-1c, ap-northeast-1d. [DEP-03]"
    ]


def test_na_zone_left_to_aws():
    assert outcome(RULE, resource(SUBNET, "app", {"cidrBlock": "10.0.0.0/24"})) == "n/a"


def test_na_region_not_recorded():
    assert outcome(RULE, subnet("us-east-1e", "us-east-1")) == "n/a"


def test_unknown_zone_in_preview():
    assert outcome(RULE, subnet(UNKNOWN_STRING_VALUE, preview=True)) == "unknown"
