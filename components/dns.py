"""DelegatedZone: the tenant's own public hosted zone, delegated from the parent zone.

A tenant account created by the org stack minutes earlier holds no hosted zone, so the entry point cannot use
a zone that is assumed to exist there. The org stack creates the zone of ``domain_name`` in the tenant account
(``zone_provider``) and delegates it from the parent zone (``parent_zone_id``), which lives in another account
(``parent_provider``; the default provider, the management account, when None): an NS record set in the parent
zone naming the new zone's four name servers, as Route 53 documents for routing traffic for a subdomain
(https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/CreatingNewSubdomain.html). ``pulumi up`` on the
org stack then on the tenant stack needs no manual DNS step.

``zone_id`` carries the delegation as a dependency: DNS validation of a certificate only succeeds once public
resolvers can reach the new zone, so whatever uses the zone waits for the NS record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.errors import InputProblems

_KIND = "DelegatedZone"
# Route 53 resolvers cache NS records of a delegation; two days is the TTL Route 53 gives a zone's own NS
# record set (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html).
DELEGATION_TTL_SECONDS = 172800


@dataclass
class DelegatedZoneArgs:
    domain_name: str
    parent_zone_id: pulumi.Input[str]
    zone_provider: pulumi.ProviderResource
    parent_provider: pulumi.ProviderResource | None = None
    tags: dict[str, str] = field(default_factory=dict)


def validate_delegated_zone_args(name: str, args: DelegatedZoneArgs) -> None:
    problems = InputProblems(_KIND, name)
    labels = args.domain_name.rstrip(".").split(".")
    if len(labels) < 3 or not all(labels):
        problems.add(
            f"domain_name {args.domain_name!r} is not a subdomain",
            "a name below the parent zone, such as 'app.example.co.jp'",
        )
    problems.raise_if_any()


class DelegatedZone(pulumi.ComponentResource):
    """The tenant zone (in the component's provider's account) and its NS delegation in the parent zone."""

    zone_id: pulumi.Output[str]
    name_servers: pulumi.Output[Sequence[str]]

    def __init__(
        self, name: str, args: DelegatedZoneArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_delegated_zone_args(name, args)
        super().__init__("tenant-zone:dns:DelegatedZone", name, None, opts)
        zone = aws.route53.Zone(
            f"{name}-zone",
            name=args.domain_name,
            comment=f"tenant-zone: {args.domain_name}, delegated from its parent zone",
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self, provider=args.zone_provider),
        )
        delegation = aws.route53.Record(
            f"{name}-delegation",
            zone_id=args.parent_zone_id,
            name=args.domain_name,
            type="NS",
            ttl=DELEGATION_TTL_SECONDS,
            records=zone.name_servers,
            opts=pulumi.ResourceOptions(parent=self, provider=args.parent_provider),
        )
        self.zone_id = pulumi.Output.all(zone.zone_id, delegation.fqdn).apply(lambda values: str(values[0]))
        self.name_servers = zone.name_servers
        self.register_outputs({"zoneId": self.zone_id, "nameServers": self.name_servers})
