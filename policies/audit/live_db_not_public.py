"""NET-01 live: no RDS or Aurora database instance is publicly accessible."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import RDS_DB_INSTANCE
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveDbNotPublic(AuditCheck):
    id = "live_db_not_public"
    description = "No RDS or Aurora database instance is publicly accessible"
    remediation = (
        "Modify the DB instance with --no-publicly-accessible and keep its subnet group in isolated subnets."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            rds = target.client("rds", region)
            for page in rds.get_paginator("describe_db_instances").paginate():
                for instance in page.get("DBInstances", []):
                    if instance.get("PubliclyAccessible"):
                        yield AuditFailure(
                            RDS_DB_INSTANCE,
                            instance["DBInstanceIdentifier"],
                            "is publicly accessible",
                            "PubliclyAccessible false (databases sit only in the isolated zone)",
                            region,
                            instance.get("DBInstanceArn", ""),
                        )
