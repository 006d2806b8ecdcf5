"""Databases and caches sit only in isolated subnets (NET-01).

A database's subnets come from its subnet group (RDS, Aurora, DocumentDB,
Neptune, ElastiCache, MemoryDB, Redshift, DMS) or, for serverless caches and
Redshift Serverless workgroups, from its own ``subnetIds``. A subnet is isolated
when it is not tagged as another zone and its route table has no route to an
internet gateway (or egress-only / carrier gateway) or NAT gateway. A database
without a subnet group lands in the default VPC, whose subnets are public.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.tags import tag
from policies.rules._common.unknowns import read
from policies.rules._common.values import text
from policies.rules._net.common import links_of
from policies.rules._net.routes import SUBNET, Network, describe_route, network_of

RDS_SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup"
ELASTICACHE_SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup"
REDSHIFT_SUBNET_GROUP = "aws:redshift/subnetGroup:SubnetGroup"
DMS_SUBNET_GROUP = "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup"
DOCDB_SUBNET_GROUP = "aws:docdb/subnetGroup:SubnetGroup"
NEPTUNE_SUBNET_GROUP = "aws:neptune/subnetGroup:SubnetGroup"
MEMORYDB_SUBNET_GROUP = "aws:memorydb/subnetGroup:SubnetGroup"
SUBNET_GROUPS = (
    RDS_SUBNET_GROUP,
    ELASTICACHE_SUBNET_GROUP,
    REDSHIFT_SUBNET_GROUP,
    DMS_SUBNET_GROUP,
    DOCDB_SUBNET_GROUP,
    NEPTUNE_SUBNET_GROUP,
    MEMORYDB_SUBNET_GROUP,
)
# Database type -> (property naming its subnet group, subnet group type).
PLACED_BY_GROUP = {
    "aws:rds/instance:Instance": ("dbSubnetGroupName", RDS_SUBNET_GROUP),
    "aws:rds/cluster:Cluster": ("dbSubnetGroupName", RDS_SUBNET_GROUP),
    "aws:docdb/cluster:Cluster": ("dbSubnetGroupName", DOCDB_SUBNET_GROUP),
    "aws:neptune/cluster:Cluster": ("neptuneSubnetGroupName", NEPTUNE_SUBNET_GROUP),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("subnetGroupName", ELASTICACHE_SUBNET_GROUP),
    "aws:elasticache/cluster:Cluster": ("subnetGroupName", ELASTICACHE_SUBNET_GROUP),
    "aws:memorydb/cluster:Cluster": ("subnetGroupName", MEMORYDB_SUBNET_GROUP),
    "aws:redshift/cluster:Cluster": ("clusterSubnetGroupName", REDSHIFT_SUBNET_GROUP),
    "aws:dms/replicationInstance:ReplicationInstance": ("replicationSubnetGroupId", DMS_SUBNET_GROUP),
}
PLACED_BY_SUBNETS = (
    "aws:elasticache/serverlessCache:ServerlessCache",
    "aws:redshiftserverless/workgroup:Workgroup",
)

EXPECTED_SUBNETS = "only isolated subnets (zone isolated: no route to an internet or NAT gateway)"


def _inherits_group(resource: ResourceView) -> bool:
    """Members that take their subnets from another resource of the stack."""
    if resource.type == "aws:elasticache/cluster:Cluster":
        return text(resource.props.get("replicationGroupId")) is not None
    if resource.type == "aws:rds/instance:Instance":
        # A same-region read replica (source named by identifier, not ARN) uses its source's group.
        source = text(resource.props.get("replicateSourceDb"))
        return source is not None and not source.startswith("arn:")
    return False


def subnet_problem(network: Network, subnet: ResourceView) -> str | None:
    """Why a subnet is not isolated, or None."""
    zone = tag(subnet, "zone")
    if zone is not None and zone != "isolated":
        return f"is tagged zone={zone}"
    route_zone, route = network.route_class(subnet)
    if route is not None:
        return f"is {route_zone}: {describe_route(route)}"
    return None


class DbIsolatedSubnets(StackRule):
    id = "db_isolated_subnets"
    description = (
        "Database and cache subnet groups (and serverless caches and workgroups) use only isolated subnets, "
        "and every database has a subnet group of its own."
    )
    remediation = (
        "Put databases and caches in a subnet group made only of isolated subnets (tag zone=isolated, a route"
        " table with no route to an internet or NAT gateway); never rely on the default subnet group."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        databases = links.of(*PLACED_BY_GROUP)
        groups = links.of(*SUBNET_GROUPS)
        direct = links.of(*PLACED_BY_SUBNETS)
        if not databases and not groups and not direct:
            raise NotApplicable("the stack declares no database, cache or subnet group")
        network = network_of(stack)
        for database in databases:
            if _inherits_group(database):
                continue
            prop, group_type = PLACED_BY_GROUP[database.type]
            name = text(read(database.props, prop))
            if name is None or name == "default":
                yield Failure(
                    f"{prop} is {name or 'not set'}, so it is placed in the default VPC's public subnets",
                    f"{prop} naming a subnet group of isolated subnets",
                    database.urn,
                )
            elif links.one(database, prop, (group_type,)) is None:
                yield Failure(
                    f"{prop} {name} is not declared in this stack, so its subnets cannot be verified",
                    f"{prop} naming a subnet group of this stack made of isolated subnets",
                    database.urn,
                )
        for holder in [*groups, *direct]:
            subnets, missing = links.many(holder, "subnetIds", (SUBNET,))
            for subnet in subnets:
                problem = subnet_problem(network, subnet)
                if problem is not None:
                    yield Failure(
                        f"subnetIds includes subnet {subnet.name}, which {problem}",
                        EXPECTED_SUBNETS,
                        holder.urn,
                    )
            for subnet_id in missing:
                yield Failure(
                    f"subnetIds includes {subnet_id}, which is not declared in this stack, so its routes"
                    " cannot be verified",
                    EXPECTED_SUBNETS,
                    holder.urn,
                )
