"""Log destinations keep data at least LOG-02's minimum retention (its catalog parameter
``minRetentionDays``).

CloudWatch log groups: ``retentionInDays`` of 0 or unset means "never expire"
(the AWS default), which keeps logs long enough; any positive value below the minimum
fails. Log buckets (tag ``purpose`` = ``logs`` or ``log-archive``, the
project's convention for access-log and log-archive buckets): no enabled
lifecycle rule may delete objects before the minimum.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.parameters import MIN_LOG_RETENTION_DAYS
from policies.rules._common.s3 import BUCKET_TYPES, LIFECYCLE_TYPES, attached, short_expirations
from policies.rules._common.tags import tag_value
from policies.rules._common.values import number, shown_number

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LOG_PURPOSES = ("logs", "log-archive")


class LogGroupRetention(StackRule):
    id = "log_group_retention"
    description = (
        f"CloudWatch log groups keep events at least {MIN_LOG_RETENTION_DAYS} days (or never expire), and log"
        f" buckets (purpose logs or log-archive) expire nothing before {MIN_LOG_RETENTION_DAYS} days."
    )
    remediation = (
        f"Set retentionInDays to {MIN_LOG_RETENTION_DAYS} or more (e.g. 400, 731, 3653) on the log group, and"
        f" lengthen or remove lifecycle expirations shorter than {MIN_LOG_RETENTION_DAYS} days on log"
        " buckets."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        log_groups = list(stack.of_type(LOG_GROUP))
        log_buckets = [b for b in stack.of_type(*BUCKET_TYPES) if tag_value(b, "purpose") in LOG_PURPOSES]
        if not log_groups and not log_buckets:
            raise NotApplicable(
                "the stack has no CloudWatch log group and no bucket tagged purpose logs/log-archive"
            )
        for group in log_groups:
            raw = group.props.get("retentionInDays")
            days = number(raw)
            if raw is not None and days is None:
                yield Failure(
                    f"retentionInDays is {raw!r}, not a number",
                    f"retentionInDays >= {MIN_LOG_RETENTION_DAYS}",
                    group.urn,
                )
            elif days is not None and 0 < days < MIN_LOG_RETENTION_DAYS:
                yield Failure(
                    f"retentionInDays is {shown_number(days)}",
                    f"retentionInDays >= {MIN_LOG_RETENTION_DAYS} (or 0 / unset: never expire)",
                    group.urn,
                )
        lifecycles = attached(stack, *LIFECYCLE_TYPES) if log_buckets else {}
        for bucket in log_buckets:
            for owner, where, value in short_expirations(
                bucket, lifecycles.get(bucket.urn, []), MIN_LOG_RETENTION_DAYS
            ):
                yield Failure(
                    f"{where} is {value}, deleting logs of bucket {bucket.name} "
                    f"(purpose {tag_value(bucket, 'purpose')}) early",
                    f"no lifecycle expiration before {MIN_LOG_RETENTION_DAYS} days on log buckets",
                    owner.urn,
                )
