import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import FLOW_LOG, network, patched
from tests.rulekit import messages, outcome, resource

RULE = "flow_log_all_traffic"


def flow_log():
    return network()["flow-log"]


def test_pass_all_traffic():
    assert outcome(RULE, flow_log()) == "pass"


def test_pass_lower_case_all():
    assert outcome(RULE, patched(flow_log(), trafficType="all")) == "pass"


@pytest.mark.parametrize("traffic", ["ACCEPT", "REJECT"])
def test_fail_partial_traffic(traffic):
    assert messages(RULE, patched(flow_log(), trafficType=traffic)) == [
        f"{FLOW_LOG} flow-log: trafficType is {traffic}; expected trafficType ALL. [NET-04]"
    ]


def test_fail_traffic_type_absent():
    assert messages(RULE, patched(flow_log(), trafficType=None)) == [
        f"{FLOW_LOG} flow-log: trafficType is not set; expected trafficType ALL. [NET-04]"
    ]


def test_na_transit_gateway_flow_log():
    tgw = resource(FLOW_LOG, "tgw-log", {"transitGatewayId": "tgw-1", "logDestination": "arn:aws:s3:::b"})
    assert outcome(RULE, tgw) == "n/a"


def test_na_other_types():
    assert outcome(RULE, resource("aws:ec2/vpc:Vpc", "vpc", {})) == "n/a"


def test_unknown_traffic_type_in_preview():
    view = resource(
        FLOW_LOG, "flow-log", {"vpcId": "vpc-1", "trafficType": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, view) == "unknown"
