import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import ENDPOINT, VPC, build, linked, network, patched
from tests.rulekit import messages, outcome, resource

RULE = "vpc_endpoints"


def test_pass_all_endpoints():
    assert outcome(RULE, build(network())) == "pass"


def test_pass_osaka_vpc_with_osaka_endpoints():
    assert outcome(RULE, build(network(region="ap-northeast-3"))) == "pass"


def test_pass_gateway_type_absent_and_private_dns_string():
    views = network()
    views["endpoint-s3"] = patched(views["endpoint-s3"], vpcEndpointType=None)
    views["endpoint-kms"] = patched(
        views["endpoint-kms"], privateDnsEnabled="true", vpcEndpointType="interface"
    )
    assert outcome(RULE, build(views)) == "pass"


def test_pass_linked_by_property_dependency():
    views = network()
    views["endpoint-sts"] = linked(
        patched(views["endpoint-sts"], vpcId="vpc-from-output"), "vpcId", views["vpc"]
    )
    assert outcome(RULE, build(views)) == "pass"


@pytest.mark.parametrize(
    "service, kind", [("s3", "Gateway"), ("dynamodb", "Gateway"), ("kms", "Interface"), ("logs", "Interface")]
)
def test_fail_missing_endpoint(service, kind):
    views = network()
    del views[f"endpoint-{service}"]
    name = f"com.amazonaws.ap-northeast-1.{service}"
    dns = " and privateDnsEnabled true" if kind == "Interface" else ""
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: has no {kind} endpoint for {name}; expected an aws:ec2/vpcEndpoint:VpcEndpoint with"
        f" serviceName {name} and vpcEndpointType {kind}{dns}. [RES-03]"
    ]


def test_fail_s3_as_interface_only():
    views = network()
    views["endpoint-s3"] = patched(views["endpoint-s3"], vpcEndpointType="Interface", privateDnsEnabled=True)
    assert messages(RULE, build(views)) == [
        f"{ENDPOINT} endpoint-s3: vpcEndpointType is Interface for com.amazonaws.ap-northeast-1.s3; "
        "expected vpcEndpointType Gateway. [RES-03]"
    ]


@pytest.mark.parametrize("value, shown", [(None, "not set"), (False, "false")])
def test_fail_interface_without_private_dns(value, shown):
    views = network()
    views["endpoint-sts"] = patched(views["endpoint-sts"], privateDnsEnabled=value)
    assert messages(RULE, build(views)) == [
        f"{ENDPOINT} endpoint-sts: privateDnsEnabled is {shown}; expected privateDnsEnabled true, so the"
        " service's public name resolves to the endpoint. [RES-03]"
    ]


def test_fail_endpoint_for_other_region():
    views = network()
    views["endpoint-logs"] = patched(views["endpoint-logs"], serviceName="com.amazonaws.ap-northeast-3.logs")
    assert messages(RULE, build(views)) == [
        (
            f"{ENDPOINT} endpoint-logs: serviceName com.amazonaws.ap-northeast-3.logs names region"
            " ap-northeast-3, but its VPC vpc is in ap-northeast-1; expected serviceName"
            " com.amazonaws.ap-northeast-1.logs. [RES-03]"
        ),
        (
            f"{VPC} vpc: has no Interface endpoint for com.amazonaws.ap-northeast-1.logs; expected an"
            " aws:ec2/vpcEndpoint:VpcEndpoint with serviceName com.amazonaws.ap-northeast-1.logs and"
            " vpcEndpointType Interface and privateDnsEnabled true. [RES-03]"
        ),
    ]


def test_na_org_stack():
    assert outcome(RULE, build(network(stack_name="org"), name="org")) == "n/a"


def test_na_no_vpc():
    assert outcome(RULE, build([resource("aws:s3/bucket:Bucket", "b", {})])) == "n/a"


def test_unknown_service_name_in_preview():
    views = network()
    views["endpoint-s3"] = resource(
        ENDPOINT, "endpoint-s3", {"vpcId": "vpc-1", "serviceName": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, build(views)) == "unknown"


def test_pass_partner_service_endpoint_is_not_judged_by_region():
    views = network()
    partner = resource(
        ENDPOINT,
        "partner",
        {
            "vpcId": "vpc-1",
            "serviceName": "com.example.vpce.us-east-1.vpce-svc-1",
            "vpcEndpointType": "Interface",
        },
    )
    assert outcome(RULE, build(views, partner)) == "pass"
