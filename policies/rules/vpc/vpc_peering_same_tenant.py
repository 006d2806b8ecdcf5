"""VPC peering and Transit Gateway connections stay inside the tenant's own account, in Japan (TEN-02).

The tenant's account is the one its aws providers assume a role in
(``OrganizationAccountAccessRole`` of the tenant account) or allow through
``allowedAccountIds``. Checked:

- ``VpcPeeringConnection``: ``peerOwnerId``, when set, is that account;
  ``peerRegion``, when set, is Tokyo or Osaka.
- Transit Gateway ``PeeringAttachment``: ``peerAccountId`` likewise, ``peerRegion`` in Japan.
- Accepters (peering, TGW peering, TGW VPC attachment): they exist to accept a
  request from another account or region, so the request they accept must be
  declared in this same stack.
- ``VpcAttachment``: the transit gateway is this stack's (one shared from
  another account would join this VPC to another tenant's network).
- Routes (``aws:ec2/route``, inline ``routes`` of route tables, Transit Gateway
  routes) towards a peering connection, a transit gateway or an attachment
  that this stack does not declare.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, ResourceView, StackRule, StackView, as_list
from policies.parameters import JAPAN_REGIONS
from policies.rules._common.accounts import describe_accounts, own_accounts
from policies.rules._common.unknowns import read
from policies.rules._common.values import text
from policies.rules._net.common import Links, links_of
from policies.rules._net.routes import ROUTE, TABLE_TYPES

PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
PEERING_ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"
TRANSIT_GATEWAY = "aws:ec2transitgateway/transitGateway:TransitGateway"
TGW_PEERING = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"
TGW_PEERING_ACCEPTER = "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter"
TGW_VPC_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
TGW_VPC_ATTACHMENT_ACCEPTER = "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter"
TGW_ROUTE = "aws:ec2transitgateway/route:Route"
TGW_ATTACHMENTS = (TGW_VPC_ATTACHMENT, TGW_PEERING, TGW_PEERING_ACCEPTER, TGW_VPC_ATTACHMENT_ACCEPTER)

JAPAN = " or ".join(JAPAN_REGIONS)
SAME_TENANT = (
    "connections only between VPCs and transit gateways of the tenant's own account, declared in this stack"
)


class VpcPeeringSameTenant(StackRule):
    id = "vpc_peering_same_tenant"
    description = (
        "VPC peering, Transit Gateway peering and attachments, and the routes over them, connect only"
        " networks of the tenant's own account in Tokyo or Osaka."
    )
    remediation = (
        "Peer only VPCs of the tenant's own account (leave peerOwnerId / peerAccountId unset or set it to the"
        " tenant account) in ap-northeast-1 or ap-northeast-3, declare both sides in the tenant's stack, and"
        " never attach to or route through another account's transit gateway or peering connection."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        accounts = own_accounts(stack)
        yield from self._requests(links, accounts)
        yield from self._accepters(links)
        for attachment in links.of(TGW_VPC_ATTACHMENT):
            if links.one(attachment, "transitGatewayId", (TRANSIT_GATEWAY,)) is not None:
                continue
            gateway = text(attachment.props.get("transitGatewayId"))
            if gateway is not None:
                yield Failure(
                    f"attaches to transit gateway {gateway}, which is not declared in this stack "
                    "(a transit gateway shared from another account)",
                    "an attachment to a transit gateway of this stack",
                    attachment.urn,
                )
        yield from self._routes(links)

    def _requests(self, links: Links, accounts: list[str]) -> Iterator[Failure]:
        for request, account_prop in ((PEERING, "peerOwnerId"), (TGW_PEERING, "peerAccountId")):
            for resource in links.of(request):
                account = text(resource.props.get(account_prop))
                if account is not None and account not in accounts:
                    yield Failure(
                        f"{account_prop} is {account}, not the stack's own account"
                        f" ({describe_accounts(accounts)})",
                        f"{account_prop} unset or the tenant's own account",
                        resource.urn,
                    )
                region = text(resource.props.get("peerRegion"))
                if region is not None and region not in JAPAN_REGIONS:
                    yield Failure(f"peerRegion is {region}", f"peerRegion {JAPAN}", resource.urn)

    def _accepters(self, links: Links) -> Iterator[Failure]:
        accepters = (
            (PEERING_ACCEPTER, "vpcPeeringConnectionId", (PEERING,), "peering connection"),
            (
                TGW_PEERING_ACCEPTER,
                "transitGatewayAttachmentId",
                (TGW_PEERING,),
                "transit gateway peering attachment",
            ),
            (
                TGW_VPC_ATTACHMENT_ACCEPTER,
                "transitGatewayAttachmentId",
                (TGW_VPC_ATTACHMENT,),
                "VPC attachment",
            ),
        )
        for accepter_type, prop, requests, what in accepters:
            for accepter in links.of(accepter_type):
                if (
                    links.one(accepter, prop, requests) is None
                ):  # reads the ID only when the graph cannot tell
                    yield Failure(
                        f"accepts {what} {text(accepter.props.get(prop)) or '(not set)'}, which is not"
                        " requested in this stack (a request from another account)",
                        SAME_TENANT,
                        accepter.urn,
                    )

    def _routes(self, links: Links) -> Iterator[Failure]:
        targets = (
            ("vpcPeeringConnectionId", (PEERING, PEERING_ACCEPTER), "peering connection"),
            ("transitGatewayId", (TRANSIT_GATEWAY,), "transit gateway"),
        )

        def check(
            owner: ResourceView, route: Mapping[str, Any], deps_prop: str | None, label: str
        ) -> Iterator[Failure]:
            for prop, types, what in targets:
                value = text(read(route, prop))
                if value is not None and links.one(owner, deps_prop or prop, types, value) is None:
                    yield Failure(
                        f"{label}routes to {what} {value}, which is not declared in this stack",
                        f"routes only over {what}s of this stack ({SAME_TENANT})",
                        owner.urn,
                    )

        for route in links.of(ROUTE):
            yield from check(route, route.props, None, "")
        for table in links.of(*TABLE_TYPES):
            for index, block in enumerate(as_list(table.props.get("routes"))):
                if isinstance(block, Mapping):
                    yield from check(table, block, "routes", f"routes[{index}] ")
        for route in links.of(TGW_ROUTE):
            if links.one(route, "transitGatewayAttachmentId", TGW_ATTACHMENTS) is not None:
                continue
            attachment = text(route.props.get("transitGatewayAttachmentId"))
            if attachment is not None:
                yield Failure(
                    f"routes to transit gateway attachment {attachment}, which is not declared in this stack",
                    f"routes only over attachments of this stack ({SAME_TENANT})",
                    route.urn,
                )
