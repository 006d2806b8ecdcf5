import pytest
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from tests.rulekit import messages, outcome, resource, stack, urn

TRAIL = "aws:cloudtrail/trail:Trail"
BUCKET = "aws:s3/bucket:Bucket"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
LOCK_V2 = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
BUCKET_URN = urn(BUCKET, "trail-logs", "org")
DEPS = {"bucket": [BUCKET_URN]}


def trail(**props):
    return resource(
        TRAIL,
        "org-trail",
        {"s3BucketName": "org-trail-logs", **props},
        stack="org",
        prop_deps={"s3BucketName": [BUCKET_URN]},
    )


def bucket(**props):
    return resource(
        BUCKET, "trail-logs", {"bucket": "org-trail-logs", "objectLockEnabled": True, **props}, stack="org"
    )


def lock(retention=None, lock_type=LOCK, preview=False):
    retention = {"mode": "COMPLIANCE", "days": 400} if retention is None else retention
    return resource(
        lock_type,
        "trail-logs-lock",
        {"bucket": "org-trail-logs", "rule": {"defaultRetention": retention}},
        stack="org",
        prop_deps=DEPS,
        preview=preview,
    )


def lifecycle(*rules):
    return resource(
        LIFECYCLE,
        "trail-logs-lifecycle",
        {"bucket": "org-trail-logs", "rules": list(rules)},
        stack="org",
        prop_deps=DEPS,
    )


def org(*resources):
    return stack(*resources, name="org")


def test_pass_locked_bucket():
    assert outcome("trail_bucket_object_lock", org(trail(), bucket(), lock())) == "pass"


def test_pass_v2_lock_years_and_long_lifecycle_with_list_blocks():
    rules = {
        "id": "archive",
        "status": "Enabled",
        "expiration": [{"days": 3653}],
        "transitions": [{"days": 90, "storageClass": "GLACIER"}],
    }
    view = org(trail(), bucket(), lock({"mode": "COMPLIANCE", "years": 1.0}, LOCK_V2), lifecycle(rules))
    assert outcome("trail_bucket_object_lock", view) == "pass"


def test_pass_bucket_linked_by_literal_name():
    raw_trail = resource(TRAIL, "org-trail", {"s3BucketName": "org-trail-logs"}, stack="org")
    raw_lock = resource(
        LOCK,
        "l",
        {"bucket": "org-trail-logs", "rule": [{"defaultRetention": [{"mode": "COMPLIANCE", "days": "365"}]}]},
        stack="org",
    )
    assert outcome("trail_bucket_object_lock", org(raw_trail, bucket(), raw_lock)) == "pass"


def test_pass_inline_object_lock_configuration():
    inline = {
        "objectLockEnabled": "Enabled",
        "rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 365}},
    }
    view = org(trail(), bucket(objectLockEnabled=None, objectLockConfiguration=inline))
    assert outcome("trail_bucket_object_lock", view) == "pass"


def test_pass_disabled_short_lifecycle_rule():
    rule = {"id": "old", "status": "Disabled", "expiration": {"days": 30}}
    assert outcome("trail_bucket_object_lock", org(trail(), bucket(), lock(), lifecycle(rule))) == "pass"


def test_fail_object_lock_not_enabled():
    assert messages("trail_bucket_object_lock", org(trail(), bucket(objectLockEnabled=False), lock())) == [
        f"{BUCKET} trail-logs: objectLockEnabled is false on the trail bucket; expected objectLockEnabled"
        " true (Object Lock can only be switched on when the bucket is created). [LOG-01]"
    ]


def test_fail_no_lock_configuration():
    assert messages("trail_bucket_object_lock", org(trail(), bucket())) == [
        f"{BUCKET} trail-logs: has no Object Lock default retention (no BucketObjectLockConfiguration);"
        " expected a BucketObjectLockConfiguration with rule.defaultRetention mode COMPLIANCE and days >="
        " 365. [LOG-01]"
    ]


def test_fail_governance_mode():
    assert messages(
        "trail_bucket_object_lock", org(trail(), bucket(), lock({"mode": "GOVERNANCE", "days": 400}))
    ) == [
        f"{LOCK} trail-logs-lock: rule.defaultRetention.mode is GOVERNANCE; "
        "expected mode COMPLIANCE (GOVERNANCE lets privileged users delete locked logs). [LOG-01]"
    ]


@pytest.mark.parametrize(
    "retention, text",
    [
        ({"mode": "COMPLIANCE", "days": 90}, "rule.defaultRetention.days is 90"),
        ({"mode": "COMPLIANCE", "days": 364.0}, "rule.defaultRetention.days is 364"),
        ({"mode": "COMPLIANCE"}, "rule.defaultRetention sets neither days nor years"),
    ],
)
def test_fail_short_retention(retention, text):
    assert messages("trail_bucket_object_lock", org(trail(), bucket(), lock(retention))) == [
        f"{LOCK} trail-logs-lock: {text}; expected days >= 365 or years >= 1. [LOG-01]"
    ]


def test_fail_short_lifecycle_expiration():
    rule = {"id": "expire", "status": "Enabled", "expiration": {"days": 90}}
    assert messages("trail_bucket_object_lock", org(trail(), bucket(), lock(), lifecycle(rule))) == [
        f"{LIFECYCLE} trail-logs-lifecycle: rules[0] (id expire) expiration.days is 90, deleting trail logs"
        " of bucket trail-logs early; expected no lifecycle expiration before 365 days on the trail bucket."
        " [LOG-01]"
    ]


def test_fail_short_noncurrent_expiration_and_inline_rule():
    rule = {"status": "Enabled", "noncurrentVersionExpiration": {"noncurrentDays": 30}}
    inline = [{"enabled": True, "expiration": {"days": 7}}]
    assert messages(
        "trail_bucket_object_lock", org(trail(), bucket(lifecycleRules=inline), lock(), lifecycle(rule))
    ) == [
        (
            f"{LIFECYCLE} trail-logs-lifecycle: rules[0] noncurrentVersionExpiration.noncurrentDays is 30,"
            " deleting trail logs of bucket trail-logs early; expected no lifecycle expiration before 365"
            " days on the trail bucket. [LOG-01]"
        ),
        (
            f"{BUCKET} trail-logs: lifecycleRules[0] expiration.days is 7, deleting trail logs of bucket"
            " trail-logs early; expected no lifecycle expiration before 365 days on the trail bucket."
            " [LOG-01]"
        ),
    ]


def test_fail_trail_bucket_not_in_stack():
    lonely = resource(TRAIL, "t", {"s3BucketName": "somewhere-else"}, stack="org")
    assert messages("trail_bucket_object_lock", org(lonely)) == [
        f"{TRAIL} t: delivers to bucket 'somewhere-else', which is not declared in this stack, so its Object"
        " Lock cannot be verified; expected the trail's bucket declared in the same stack with Object Lock"
        " (COMPLIANCE, 365 days or more). [LOG-01]"
    ]


def test_na_no_trail():
    assert outcome("trail_bucket_object_lock", org(bucket(), lock())) == "n/a"


def test_unknown_retention_days_in_preview():
    view = org(trail(), bucket(), lock({"mode": "COMPLIANCE", "days": UNKNOWN_NUMBER_VALUE}, preview=True))
    assert outcome("trail_bucket_object_lock", view) == "unknown"


def test_fail_retention_in_fractional_years():
    assert messages(
        "trail_bucket_object_lock", org(trail(), bucket(), lock({"mode": "COMPLIANCE", "years": 0.5}))
    ) == [
        f"{LOCK} trail-logs-lock: rule.defaultRetention.years is 0.5; expected days >= 365 or years >= 1."
        " [LOG-01]"
    ]
