"""The trail's bucket keeps logs immutable for a year: Object Lock in compliance mode, no early expiry
(LOG-01).

The bucket is found from the trail's ``s3BucketName`` (property dependency, or
the literal name matched against the stack's buckets). A trail whose bucket is
not in the stack fails: the gate cannot see its Object Lock, so it cannot
vouch for it. Object Lock is accepted from the split-out
``BucketObjectLockConfiguration`` (and its ``V2`` alias) or from the bucket's
deprecated inline ``objectLockConfiguration``; lifecycle expiry from
``BucketLifecycleConfiguration`` (and ``V2``) or the inline ``lifecycleRules``.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, dig, truthy
from policies.parameters import LOG_OBJECT_LOCK_DAYS
from policies.rules._common.s3 import (
    BUCKET_TYPES,
    LIFECYCLE_TYPES,
    OBJECT_LOCK_TYPES,
    attached,
    short_expirations,
)
from policies.rules._common.values import number, shown_number

TRAIL = "aws:cloudtrail/trail:Trail"


class TrailBucketObjectLock(StackRule):
    id = "trail_bucket_object_lock"
    description = (
        "The bucket a CloudTrail trail delivers to has Object Lock in COMPLIANCE mode with a default "
        f"retention of at least {LOG_OBJECT_LOCK_DAYS} days, and no lifecycle rule expires objects sooner."
    )
    remediation = (
        "Create the trail bucket with objectLockEnabled true, add a BucketObjectLockConfiguration with"
        f" rule.defaultRetention {{mode: COMPLIANCE, days: {LOG_OBJECT_LOCK_DAYS} or more}}, and remove"
        f" lifecycle expirations shorter than {LOG_OBJECT_LOCK_DAYS} days."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        trails = list(stack.of_type(TRAIL))
        if not trails:
            raise NotApplicable("the stack has no CloudTrail trail")
        locks = attached(stack, *OBJECT_LOCK_TYPES)
        lifecycles = attached(stack, *LIFECYCLE_TYPES)
        checked: set[str] = set()
        for trail in trails:
            buckets = stack.referenced(trail, "s3BucketName", *BUCKET_TYPES)
            if not buckets:
                yield Failure(
                    f"delivers to bucket {trail.props.get('s3BucketName')!r}, which is not declared in this"
                    " stack, so its Object Lock cannot be verified",
                    "the trail's bucket declared in the same stack with Object Lock (COMPLIANCE,"
                    f" {LOG_OBJECT_LOCK_DAYS} days or more)",
                    trail.urn,
                )
                continue
            for bucket in buckets:
                if bucket.urn not in checked:
                    checked.add(bucket.urn)
                    yield from _bucket_failures(
                        bucket, locks.get(bucket.urn, []), lifecycles.get(bucket.urn, [])
                    )


def _bucket_failures(
    bucket: ResourceView, locks: list[ResourceView], lifecycles: list[ResourceView]
) -> Iterator[Failure]:
    inline = bucket.props.get("objectLockConfiguration")
    enabled = bucket.props.get("objectLockEnabled")
    if not truthy(enabled) and str(dig(inline, "objectLockEnabled") or "").lower() != "enabled":
        yield Failure(
            f"objectLockEnabled is {'not set' if enabled is None else str(enabled).lower()} on the trail"
            " bucket",
            "objectLockEnabled true (Object Lock can only be switched on when the bucket is created)",
            bucket.urn,
        )
    retentions = [(lock, dig(lock.props, "rule", "defaultRetention")) for lock in locks]
    inline_retention = dig(inline, "rule", "defaultRetention")
    if inline_retention is not None:
        retentions.append((bucket, inline_retention))
    if not retentions:
        yield Failure(
            "has no Object Lock default retention (no BucketObjectLockConfiguration)",
            "a BucketObjectLockConfiguration with rule.defaultRetention mode COMPLIANCE and days >="
            f" {LOG_OBJECT_LOCK_DAYS}",
            bucket.urn,
        )
    for owner, retention in retentions:
        yield from _retention_failures(owner, retention)
    for owner, where, value in short_expirations(bucket, lifecycles, LOG_OBJECT_LOCK_DAYS):
        yield Failure(
            f"{where} is {value}, deleting trail logs of bucket {bucket.name} early",
            f"no lifecycle expiration before {LOG_OBJECT_LOCK_DAYS} days on the trail bucket",
            owner.urn,
        )


def _retention_failures(owner: ResourceView, retention: object) -> Iterator[Failure]:
    mode = dig(retention, "mode")
    if str(mode or "").upper() != "COMPLIANCE":
        yield Failure(
            f"rule.defaultRetention.mode is {mode if mode is not None else 'not set'}",
            "mode COMPLIANCE (GOVERNANCE lets privileged users delete locked logs)",
            owner.urn,
        )
    days, years = number(dig(retention, "days")), number(dig(retention, "years"))
    if (days is None or days < LOG_OBJECT_LOCK_DAYS) and (years is None or years < 1):
        if days is not None:
            wrong = f"rule.defaultRetention.days is {shown_number(days)}"
        elif years is not None:
            wrong = f"rule.defaultRetention.years is {shown_number(years)}"
        else:
            wrong = "rule.defaultRetention sets neither days nor years"
        yield Failure(wrong, f"days >= {LOG_OBJECT_LOCK_DAYS} or years >= 1", owner.urn)
