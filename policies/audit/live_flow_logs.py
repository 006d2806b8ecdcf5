"""NET-04 live: every VPC in both regions has an active flow log capturing ALL traffic."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import EC2_VPC, vpcs
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveFlowLogs(AuditCheck):
    id = "live_flow_logs"
    description = "Every VPC has an active flow log of ALL traffic"
    remediation = (
        "Create a flow log with TrafficType ALL for the VPC to the tenant's encrypted log group; or redeploy."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            found = vpcs(target, region)
            if not found:
                continue
            logs = target.client("ec2", region).describe_flow_logs().get("FlowLogs", [])
            for vpc in found:
                own = [
                    f
                    for f in logs
                    if f.get("ResourceId") == vpc["VpcId"] and f.get("FlowLogStatus") == "ACTIVE"
                ]
                if any(f.get("TrafficType") == "ALL" for f in own):
                    continue
                wrong = (
                    "has no active flow log" if not own else f"logs only {own[0].get('TrafficType')} traffic"
                )
                yield AuditFailure(EC2_VPC, vpc["VpcId"], wrong, "a flow log of ALL traffic", region)
