import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_net import VPC, build, network, patched, tags
from tests.rulekit import messages, outcome, resource

RULE = "vpc_three_zones"
EXPECTED = "expected subnets in each of the zones public, private, isolated. [NET-01]"


def test_pass_three_zone_network():
    assert outcome(RULE, build(network())) == "pass"


def test_fail_vpc_without_isolated_zone():
    views = network()
    del views["data-a"], views["data-c"]
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: has no isolated subnets (only public, private); {EXPECTED}"
    ]


def test_pass_untagged_subnets_classified_by_routes():
    views = network()
    for name in ("public-a", "public-c", "app-a", "app-c", "data-a", "data-c"):
        views[name] = patched(views[name], tags={k: v for k, v in tags().items() if k != "zone"})
    assert outcome(RULE, build(views)) == "pass"


def test_fail_vpc_without_subnets():
    vpc = resource(VPC, "bare", {"cidrBlock": "10.9.0.0/16", "id": "vpc-bare"})
    assert messages(RULE, build(network(), vpc)) == [f"{VPC} bare: has no subnets; {EXPECTED}"]


def test_fail_two_zones_missing():
    views = {k: v for k, v in network().items() if not k.startswith(("data-", "app-"))}
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: has no private or isolated subnets (only public); {EXPECTED}"
    ]


def test_na_program_without_vpc():
    with pytest.raises(NotApplicable):
        messages(RULE, build([resource("aws:sqs/queue:Queue", "jobs", {})]))


def test_unknown_zone_tag_in_preview():
    views = network()
    views["data-a"] = patched(views["data-a"], tags=UNKNOWN_STRING_VALUE)
    views["data-c"] = patched(views["data-c"], tags=UNKNOWN_STRING_VALUE)
    views = {name: resource(v.type, v.name, dict(v.props), preview=True) for name, v in views.items()}
    assert outcome(RULE, build(views)) == "unknown"
