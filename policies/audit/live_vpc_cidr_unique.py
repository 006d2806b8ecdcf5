"""TEN-02 live, across tenants: no CIDR of a VPC in a tenant's account (primary or associated secondary block)
overlaps the CIDR another tenant registered (its ``vpcCidr``). A VPC added or extended by hand after
onboarding is invisible to the gate's ``tenant_cidr_unique``, which compares only the stack files.

``target.expected`` maps every other tenant's stack name to its registered CIDR (the tenant registry); without
it there is nothing to compare against and the check finds nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping

from policies.audit._aws import EC2_VPC, vpcs
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

ACTIVE_STATES = ("associating", "associated")


class LiveVpcCidrUnique(AuditCheck):
    id = "live_vpc_cidr_unique"
    description = "No VPC CIDR in a tenant account overlaps another tenant's registered vpcCidr"
    remediation = (
        "Remove the overlapping VPC or CIDR association (ec2:DisassociateVpcCidrBlock), or renumber it into"
        " the tenant's own vpcCidr."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        others: Mapping[str, str] = target.expected or {}
        registered = {stack: ipaddress.ip_network(cidr) for stack, cidr in others.items()}
        for region in target.regions:
            for vpc in vpcs(target, region):
                blocks = [
                    a["CidrBlock"]
                    for a in vpc.get("CidrBlockAssociationSet", [])
                    if a.get("CidrBlockState", {}).get("State", "associated") in ACTIVE_STATES
                ] or [vpc["CidrBlock"]]
                for block in blocks:
                    network = ipaddress.ip_network(block)
                    for stack, other in sorted(registered.items()):
                        if network.overlaps(other):
                            yield AuditFailure(
                                EC2_VPC,
                                vpc["VpcId"],
                                f"has the CIDR {block}, which overlaps {other} registered by {stack}",
                                "CIDRs disjoint from every other tenant's registered vpcCidr",
                                region,
                            )
