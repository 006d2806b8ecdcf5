"""TEN-02 live: no VPC peering connection joins a tenant's VPC to a VPC in another account. A tenant owns one
account per environment, so its Tokyo and Osaka VPCs peer within that account; a peer in any other account is
another tenant's network or a foreign one.

Peering states that carry or are about to carry traffic:
https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-lifecycle
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

PEERING = "AWS::EC2::VPCPeeringConnection"
LIVE_STATES = ("initiating-request", "pending-acceptance", "provisioning", "active")


class LiveVpcPeeringSameTenant(AuditCheck):
    id = "live_vpc_peering_same_tenant"
    description = "VPC peering connections stay inside the tenant's own account"
    remediation = "Delete the peering connection (ec2:DeleteVpcPeeringConnection) and its routes."

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            ec2 = target.client("ec2", region)
            for page in ec2.get_paginator("describe_vpc_peering_connections").paginate():
                for peering in page.get("VpcPeeringConnections", []):
                    if peering.get("Status", {}).get("Code") not in LIVE_STATES:
                        continue
                    sides = (peering.get("RequesterVpcInfo", {}), peering.get("AccepterVpcInfo", {}))
                    foreign = [s for s in sides if s.get("OwnerId") and s["OwnerId"] != target.account_id]
                    if foreign:
                        peer = foreign[0]
                        yield AuditFailure(
                            PEERING,
                            peering["VpcPeeringConnectionId"],
                            f"joins a VPC of this account to {peer.get('VpcId', '?')} in account"
                            f" {peer['OwnerId']}",
                            "peering only between VPCs of the tenant's own account",
                            region,
                        )
