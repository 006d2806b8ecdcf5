"""Every VPC has a flow log, delivered to an encrypted destination kept at least LOG-02's minimum retention
(NET-04).

A VPC is covered by an ``aws:ec2/flowLog`` whose ``vpcId`` names it. Each flow
log's destination must be declared in the stack so it can be judged: a log
group (``logDestinationType`` cloud-watch-logs, the default, by
``logDestination`` ARN or the deprecated ``logGroupName``), an S3 bucket or a
Firehose stream; see ``_net/logdest.py`` for what each must have.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.parameters import MIN_LOG_RETENTION_DAYS
from policies.rules._common.unknowns import read
from policies.rules._common.values import text
from policies.rules._net.common import links_of
from policies.rules._net.logdest import destinations_of
from policies.rules._net.routes import VPC

FLOW_LOG = "aws:ec2/flowLog:FlowLog"
EXPECTED_DESTINATION = (
    "a destination declared in this stack that is KMS-encrypted and keeps logs at least"
    f" {MIN_LOG_RETENTION_DAYS} days (log group with kmsKeyId and retentionInDays >= {MIN_LOG_RETENTION_DAYS}"
    " or 0, or a bucket with SSE-KMS and no earlier expiry)"
)


class VpcFlowLogs(StackRule):
    id = "vpc_flow_logs"
    description = (
        "Every VPC has a flow log whose destination is KMS-encrypted and keeps logs at least"
        f" {MIN_LOG_RETENTION_DAYS} days."
    )
    remediation = (
        "Add an aws.ec2.FlowLog with vpc_id=vpc.id, traffic_type ALL, delivering to a log group with a"
        f" customer-managed kmsKeyId and retentionInDays of at least {MIN_LOG_RETENTION_DAYS} (or to an"
        " SSE-KMS bucket without an earlier expiration)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        vpcs = links.of(VPC)
        flow_logs = links.of(FLOW_LOG)
        if not vpcs and not flow_logs:
            raise NotApplicable("the stack declares no VPC and no flow log")
        covered: set[str] = set()
        for flow_log in flow_logs:
            vpc = links.one(flow_log, "vpcId", (VPC,))
            if vpc is not None:
                covered.add(vpc.urn)
        for vpc in vpcs:
            if vpc.urn not in covered:
                yield Failure(
                    "has no flow log",
                    "an aws:ec2/flowLog:FlowLog with vpcId naming this VPC and trafficType ALL",
                    vpc.urn,
                )
        destinations = destinations_of(stack)
        for flow_log in flow_logs:
            kind = (text(flow_log.props.get("logDestinationType")) or "cloud-watch-logs").lower()
            prop = "logDestination"
            value = read(flow_log.props, prop)
            if text(value) is None and kind == "cloud-watch-logs":
                prop, value = "logGroupName", read(flow_log.props, "logGroupName")
            if text(value) is None:
                yield Failure(f"has no logDestination for {kind}", EXPECTED_DESTINATION, flow_log.urn)
                continue
            for problem in destinations.problems(destinations.resolve(flow_log, prop, value)):
                yield Failure(problem, EXPECTED_DESTINATION, flow_log.urn)
