"""VPC flow logs capture ALL traffic, not only accepted or rejected packets (NET-04)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView
from policies.rules._common.values import text

FLOW_LOG = "aws:ec2/flowLog:FlowLog"


class FlowLogAllTraffic(ResourceRule):
    id = "flow_log_all_traffic"
    description = "VPC, subnet and network interface flow logs record trafficType ALL."
    remediation = (
        'Set `trafficType="ALL"` on the aws.ec2.FlowLog (ACCEPT or REJECT alone misses half the traffic).'
    )
    resource_types = frozenset({FLOW_LOG})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        # Transit gateway flow logs have no traffic type: they always record everything.
        if text(props.get("transitGatewayId")) or text(props.get("transitGatewayAttachmentId")):
            raise NotApplicable("transit gateway flow logs have no trafficType")
        traffic = text(props.get("trafficType"))
        if traffic is None:
            yield Failure("trafficType is not set", "trafficType ALL")
        elif traffic.upper() != "ALL":
            yield Failure(f"trafficType is {traffic}", "trafficType ALL")
