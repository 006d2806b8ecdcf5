import pytest
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from tests.rulekit import messages, outcome, resource, stack, urn

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
RULE = "log_group_retention"


def group(retention=365, preview=False):
    props = {} if retention is None else {"retentionInDays": retention}
    return resource(LOG_GROUP, "app-logs", props, preview=preview)


def log_bucket(purpose="logs"):
    return resource(BUCKET, "access-logs", {"bucket": "acme-access-logs", "tags": {"purpose": purpose}})


def lifecycle(days):
    rule = {"id": "expire", "status": "Enabled", "expiration": {"days": days}}
    return resource(
        LIFECYCLE,
        "access-logs-lifecycle",
        {"bucket": "acme-access-logs", "rules": [rule]},
        prop_deps={"bucket": [urn(BUCKET, "access-logs")]},
    )


@pytest.mark.parametrize("retention", [365, 400, 3653, 731.0, "400"])
def test_pass_long_retention(retention):
    assert outcome(RULE, stack(group(retention))) == "pass"


@pytest.mark.parametrize("retention", [None, 0])
def test_pass_never_expire(retention):
    assert outcome(RULE, stack(group(retention))) == "pass"


def test_pass_log_bucket_with_long_lifecycle():
    assert outcome(RULE, stack(log_bucket(), lifecycle(400))) == "pass"


def test_pass_data_bucket_lifecycle_is_not_judged():
    assert outcome(RULE, stack(group(), log_bucket("data"), lifecycle(30))) == "pass"


@pytest.mark.parametrize("retention, shown", [(30, "30"), (180.0, "180"), ("90", "90")])
def test_fail_short_retention(retention, shown):
    assert messages(RULE, stack(group(retention))) == [
        f"{LOG_GROUP} app-logs: retentionInDays is {shown}; "
        "expected retentionInDays >= 365 (or 0 / unset: never expire). [LOG-02]"
    ]


def test_fail_non_numeric_retention():
    assert messages(RULE, stack(group("a year"))) == [
        f"{LOG_GROUP} app-logs: retentionInDays is 'a year', not a number; expected retentionInDays >= 365."
        " [LOG-02]"
    ]


@pytest.mark.parametrize("purpose", ["logs", "log-archive"])
def test_fail_log_bucket_short_expiration(purpose):
    assert messages(RULE, stack(log_bucket(purpose), lifecycle(90))) == [
        f"{LIFECYCLE} access-logs-lifecycle: rules[0] (id expire) expiration.days is 90, deleting logs of"
        f" bucket access-logs (purpose {purpose}) early; expected no lifecycle expiration before 365 days on"
        " log buckets. [LOG-02]"
    ]


def test_fail_inline_lifecycle_rule_written_as_lists():
    bucket = resource(
        BUCKET,
        "access-logs",
        {"tags": {"purpose": "logs"}, "lifecycleRules": [{"enabled": "true", "expirations": [{"days": 30}]}]},
    )
    assert messages(RULE, stack(bucket)) == [
        f"{BUCKET} access-logs: lifecycleRules[0] expirations.days is 30, deleting logs of bucket access-logs"
        " (purpose logs) early; expected no lifecycle expiration before 365 days on log buckets. [LOG-02]"
    ]


def test_na_no_log_groups_or_log_buckets():
    assert outcome(RULE, stack(log_bucket("data"), resource("aws:kms/key:Key", "k", {}))) == "n/a"


def test_unknown_retention_in_preview():
    assert outcome(RULE, stack(group(UNKNOWN_NUMBER_VALUE, preview=True))) == "unknown"
