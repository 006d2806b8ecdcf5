"""Databases and caches survive the loss of one availability zone (NET-05).

An RDS instance without ``multiAz`` is one server in one zone: losing the zone loses the service until
a restore. An ElastiCache replication group needs ``automaticFailoverEnabled`` and ``multiAzEnabled``
(with at least two cache clusters) to promote a replica in another zone. Aurora keeps its storage in
three zones by design; its instances are judged by their count elsewhere, not here.

AWS: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html ;
https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, ResourceRule, ResourceView, truthy
from policies.rules._common.values import number

RDS_INSTANCE = "aws:rds/instance:Instance"
REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
# Inputs that make an RDS instance a read replica: its availability follows the source's Multi-AZ.
REPLICA_INPUTS = ("replicateSourceDb",)


class DbMultiAz(ResourceRule):
    id = "db_multi_az"
    resource_types = frozenset({RDS_INSTANCE, REPLICATION_GROUP})
    description = (
        "RDS instances are Multi-AZ; ElastiCache replication groups fail over automatically across zones."
    )
    remediation = (
        "Set multi_az=True on RDS instances; on ElastiCache replication groups set"
        " automatic_failover_enabled=True, multi_az_enabled=True and num_cache_clusters >= 2 (or"
        " replicas_per_node_group >= 1)."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        props = resource.props
        if resource.type == RDS_INSTANCE:
            if any(props.get(name) not in (None, "") for name in REPLICA_INPUTS):
                return
            if not truthy(props.get("multiAz")):
                yield Failure("multiAz is not true (one instance in one availability zone)", "multiAz true")
            return
        expected = "automaticFailoverEnabled true and multiAzEnabled true with a replica in another zone"
        if not truthy(props.get("automaticFailoverEnabled")):
            yield Failure("automaticFailoverEnabled is not true", expected)
        if not truthy(props.get("multiAzEnabled")):
            yield Failure("multiAzEnabled is not true", expected)
        clusters = number(props.get("numCacheClusters"))
        replicas = number(props.get("replicasPerNodeGroup"))
        if clusters is not None and clusters < 2 and not replicas:
            yield Failure(f"numCacheClusters is {int(clusters)} (no replica to fail over to)", expected)
