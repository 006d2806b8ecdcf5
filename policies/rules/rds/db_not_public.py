"""Databases are never publicly accessible (NET-01)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, truthy
from policies.rules._common.values import text

RDS_INSTANCE = "aws:rds/instance:Instance"
RDS_CLUSTER = "aws:rds/cluster:Cluster"
RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
REDSHIFT_CLUSTER = "aws:redshift/cluster:Cluster"
REDSHIFT_WORKGROUP = "aws:redshiftserverless/workgroup:Workgroup"
DMS_INSTANCE = "aws:dms/replicationInstance:ReplicationInstance"

EXPECTED = "publiclyAccessible false"


class DbNotPublic(ResourceRule):
    id = "db_not_public"
    description = (
        "RDS instances, Aurora cluster instances, Multi-AZ DB clusters, Redshift clusters and workgroups "
        "and DMS replication instances are not publicly accessible."
    )
    remediation = (
        "Set `publiclyAccessible=False` (DMS replication instances need it explicitly: the AWS default is "
        "public) and place the database in a subnet group of isolated subnets."
    )
    resource_types = frozenset(
        {RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE, REDSHIFT_CLUSTER, REDSHIFT_WORKGROUP, DMS_INSTANCE}
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        value = props.get("publiclyAccessible")
        if truthy(value):
            yield Failure("publiclyAccessible is true", EXPECTED)
            return
        if value is not None:
            return
        if resource.type == DMS_INSTANCE:
            # AWS's CreateReplicationInstance defaults PubliclyAccessible to true.
            yield Failure(
                "publiclyAccessible is not set (DMS replication instances default to public)", EXPECTED
            )
        elif resource.type == RDS_CLUSTER and text(props.get("dbClusterInstanceClass")) is not None:
            group = text(props.get("dbSubnetGroupName"))
            if group is None or group == "default":
                # A Multi-AZ DB cluster without its own subnet group defaults to public.
                yield Failure(
                    "publiclyAccessible is not set and dbSubnetGroupName is "
                    f"{group or 'not set'} (a Multi-AZ DB cluster then defaults to public)",
                    EXPECTED,
                )
