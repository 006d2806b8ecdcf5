"""LOG-02 live: every CloudWatch log group keeps events at least 365 days (or never expires)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import LOG_GROUP, log_groups
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.parameters import MIN_LOG_RETENTION_DAYS as MIN_DAYS


class LiveLogRetention(AuditCheck):
    id = "live_log_retention"
    description = f"Log groups keep events at least {MIN_DAYS} days"
    remediation = f"Set the log group's retention back to at least {MIN_DAYS} days (logs:PutRetentionPolicy)."

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            for group in log_groups(target, region):
                days = group.get("retentionInDays")
                if days is not None and int(days) < MIN_DAYS:
                    yield AuditFailure(
                        LOG_GROUP,
                        group["logGroupName"],
                        f"keeps events {days} days",
                        f"a retention of at least {MIN_DAYS} days, or never expire",
                        region,
                        group.get("arn", ""),
                    )
