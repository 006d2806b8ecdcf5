"""Resources name availability zones that a new account has (DEP-03).

Zone names map to physical zones per account, and a newly created account does not get every zone: in Tokyo,
``ap-northeast-1b`` (zone ID apne1-az3) exists only in older accounts. A tenant account vended by the org
stack is new, so a subnet in ``ap-northeast-1b`` fails ``CreateSubnet`` with ``InvalidParameterValue``
("Subnets can currently only be created in the following availability zones: ap-northeast-1a, ap-northeast-1c,
ap-northeast-1d"). Zones of regions this project does not deploy to are not judged."""

from __future__ import annotations

from collections.abc import Iterator

from policies.aws_facts import NEW_ACCOUNT_AZS
from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView, as_list
from policies.rules._common.unknowns import require_known

# type -> the property naming one zone or a list of zones
ZONE_PROPERTIES: dict[str, str] = {
    "aws:ec2/subnet:Subnet": "availabilityZone",
    "aws:ec2/instance:Instance": "availabilityZone",
    "aws:ebs/volume:Volume": "availabilityZone",
    "aws:rds/instance:Instance": "availabilityZone",
    "aws:rds/cluster:Cluster": "availabilityZones",
    "aws:autoscaling/group:Group": "availabilityZones",
}


class AvailabilityZoneExists(ResourceRule):
    id = "availability_zone_exists"
    description = "Every availability zone a resource names exists in a newly created account of its region."
    remediation = (
        "Use ap-northeast-1a, 1c or 1d in Tokyo and ap-northeast-3a, 3b or 3c in Osaka (or zone IDs through "
        "availability_zone_id), never ap-northeast-1b."
    )
    resource_types = frozenset(ZONE_PROPERTIES)

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        prop = ZONE_PROPERTIES[resource.type]
        value = require_known(resource.props.get(prop), prop)
        zones = [str(require_known(z, prop)) for z in as_list(value) if z]
        if not zones:
            raise NotApplicable(f"{prop} is not set: AWS picks a zone the account has")
        region = resource.region
        known = NEW_ACCOUNT_AZS.get(region or "")
        if known is None:
            raise NotApplicable(f"the zones of {region or 'an unknown region'} are not recorded")
        for zone in zones:
            if zone not in known:
                yield Failure(
                    f"{prop} {zone} does not exist in a new account in {region}",
                    f"one of {', '.join(known)}",
                )
