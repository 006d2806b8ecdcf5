"""NET-02 live: the default security group of every VPC allows nothing (no ingress, no egress rule)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import EC2_SECURITY_GROUP, vpcs
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveDefaultSgEmpty(AuditCheck):
    id = "live_default_sg_empty"
    description = "The default security group of every VPC has no rules"
    remediation = "Remove every ingress and egress rule from the VPC's default security group."

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            if not vpcs(target, region):
                continue
            groups = target.client("ec2", region).describe_security_groups(
                Filters=[{"Name": "group-name", "Values": ["default"]}]
            )["SecurityGroups"]
            for group in groups:
                ingress = len(group.get("IpPermissions") or [])
                egress = len(group.get("IpPermissionsEgress") or [])
                if ingress or egress:
                    yield AuditFailure(
                        EC2_SECURITY_GROUP,
                        group["GroupId"],
                        f"the default security group of {group.get('VpcId')} has {ingress} ingress and"
                        f" {egress} egress rules",
                        "no rules",
                        region,
                    )
