"""NET-01 live: no network interface of the tenant's own workloads holds a public IP.

An instance's public IP (auto-assigned or an Elastic IP) is the association of one of its network interfaces,
so reading the interfaces also finds instances, ECS tasks and Lambda functions in a VPC. Interfaces that AWS
services create and manage for themselves (load balancers, NAT gateways, VPC endpoints) are
``RequesterManaged`` and belong to the public zone by design
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import EC2_NETWORK_INTERFACE
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveNoPublicIps(AuditCheck):
    id = "live_no_public_ips"
    description = "No network interface of the tenant's workloads has a public IP"
    remediation = (
        "Release or disassociate the public IP, launch with associatePublicIpAddress false and reach the "
        "workload through the load balancer in the public zone."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            ec2 = target.client("ec2", region)
            for page in ec2.get_paginator("describe_network_interfaces").paginate():
                for interface in page.get("NetworkInterfaces", []):
                    public_ip = (interface.get("Association") or {}).get("PublicIp")
                    if not public_ip or interface.get("RequesterManaged"):
                        continue
                    attached = (interface.get("Attachment") or {}).get("InstanceId")
                    holder = f" (attached to {attached})" if attached else ""
                    yield AuditFailure(
                        EC2_NETWORK_INTERFACE,
                        interface["NetworkInterfaceId"],
                        f"has the public IP {public_ip}{holder}",
                        "no public IP on workload network interfaces (only load balancers face the internet)",
                        region,
                    )
