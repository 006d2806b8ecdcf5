"""TEN-02 live: no Transit Gateway attachment joins the tenant's account to another account. The tenant
baseline creates no Transit Gateway, so a compliant account has no attachment at all; one that joins a
VPC (or a peered transit gateway) of another account to a transit gateway of this account, or a VPC of this
account to a transit gateway of another account (shared through RAM), is a path between tenants.

ec2:DescribeTransitGatewayAttachments lists, in the account that owns a transit gateway, the attachments of
other accounts to it, and in the account that owns the attached resource, its attachments to other accounts'
transit gateways; each carries ResourceOwnerId, TransitGatewayOwnerId and its State, of which those below
carry traffic, are about to, or (rollingBack) return to a state that does:
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayAttachment.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

ATTACHMENT = "AWS::EC2::TransitGatewayAttachment"
LIVE_STATES = (
    "initiating",
    "initiatingRequest",
    "pendingAcceptance",
    "pending",
    "available",
    "modifying",
    "rollingBack",
)
EXPECTED = (
    "Transit Gateway attachments only between resources and transit gateways of the tenant's own account"
)


class LiveTgwAttachmentsSameTenant(AuditCheck):
    id = "live_tgw_attachments_same_tenant"
    description = "Transit Gateway attachments stay inside the tenant's own account"
    remediation = (
        "Delete the attachment (ec2:DeleteTransitGatewayVpcAttachment or"
        " ec2:DeleteTransitGatewayPeeringAttachment) and stop sharing the transit gateway with other"
        " accounts."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        def whose(owner: str) -> str:
            if not owner:
                return "an account AWS does not name"
            return "this account" if owner == target.account_id else f"account {owner}"

        for region in target.regions:
            ec2 = target.client("ec2", region)
            for page in ec2.get_paginator("describe_transit_gateway_attachments").paginate():
                for attachment in page.get("TransitGatewayAttachments", []):
                    if attachment.get("State") not in LIVE_STATES:
                        continue
                    resource_owner = attachment.get("ResourceOwnerId", "")
                    gateway_owner = attachment.get("TransitGatewayOwnerId", "")
                    if {resource_owner, gateway_owner} <= {target.account_id}:
                        continue
                    attached = (
                        f"{attachment.get('ResourceType', 'resource')} {attachment.get('ResourceId', '?')}"
                    )
                    yield AuditFailure(
                        ATTACHMENT,
                        attachment["TransitGatewayAttachmentId"],
                        f"attaches {attached} of {whose(resource_owner)} to transit gateway"
                        f" {attachment.get('TransitGatewayId', '?')} of {whose(gateway_owner)}",
                        EXPECTED,
                        region,
                    )
