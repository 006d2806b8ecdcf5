import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    FLOW_LOG,
    KMS_KEY_ARN,
    LOG_GROUP,
    VPC,
    build,
    linked,
    network,
    patched,
)
from tests.rulekit import messages, outcome, resource

RULE = "vpc_flow_logs"
EXPECTED = (
    "expected a destination declared in this stack that is KMS-encrypted and keeps logs at least 365 days"
    " (log group with kmsKeyId and retentionInDays >= 365 or 0, or a bucket with SSE-KMS and no earlier"
    " expiry). [NET-04]"
)
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"


def test_pass_encrypted_log_group_kept_a_year():
    assert outcome(RULE, build(network())) == "pass"


@pytest.mark.parametrize("retention", [None, 0, 3653, "400"])
def test_pass_retention_never_or_long(retention):
    views = network()
    views["flow-logs"] = patched(views["flow-logs"], retentionInDays=retention)
    assert outcome(RULE, build(views)) == "pass"


def test_pass_log_group_through_property_dependency():
    views = network()
    views["flow-log"] = linked(
        patched(views["flow-log"], logDestination="arn-from-output"), "logDestination", views["flow-logs"]
    )
    assert outcome(RULE, build(views)) == "pass"


def s3_views(lifecycle_days=None, algorithm="aws:kms"):
    views = network()
    views["flow-log"] = patched(
        views["flow-log"], logDestinationType="s3", logDestination="arn:aws:s3:::acme-flow-logs/vpc/"
    )
    views["bucket"] = resource(
        BUCKET, "flow-bucket", {"bucket": "acme-flow-logs", "arn": "arn:aws:s3:::acme-flow-logs"}
    )
    views["sse"] = resource(
        SSE,
        "flow-bucket-sse",
        {
            "bucket": "acme-flow-logs",
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": algorithm,
                        "kmsMasterKeyId": KMS_KEY_ARN,
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        },
    )
    if lifecycle_days is not None:
        views["lifecycle"] = resource(
            LIFECYCLE,
            "flow-bucket-lifecycle",
            {
                "bucket": "acme-flow-logs",
                "rules": [{"id": "expire", "status": "Enabled", "expiration": {"days": lifecycle_days}}],
            },
        )
    return views


def test_pass_s3_destination_with_kms():
    assert outcome(RULE, build(s3_views(lifecycle_days=400))) == "pass"


def test_fail_s3_destination_sse_s3():
    assert messages(RULE, build(s3_views(algorithm="AES256"))) == [
        f"{FLOW_LOG} flow-log: logs to bucket flow-bucket, whose server-side encryption is not aws:kms"
        f" (AES256); {EXPECTED}"
    ]


def test_fail_s3_destination_expires_early():
    assert messages(RULE, build(s3_views(lifecycle_days=90.0))) == [
        f"{FLOW_LOG} flow-log: logs to bucket flow-bucket, whose lifecycle rules[0] (id expire)"
        f" expiration.days is 90; {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "rule, where, value",
    [
        (
            {"id": "old", "status": "Enabled", "noncurrentVersionExpiration": {"noncurrentDays": 30}},
            "rules[0] (id old) noncurrentVersionExpiration.noncurrentDays",
            "30",
        ),
        (
            {"status": "Enabled", "expiration": [{"date": "2027-01-01T00:00:00Z"}]},
            "rules[0] expiration.date",
            "2027-01-01T00:00:00Z",
        ),
    ],
)
def test_fail_s3_destination_deletes_noncurrent_versions_or_on_a_date(rule, where, value):
    views = s3_views(lifecycle_days=400)
    views["lifecycle"] = patched(views["lifecycle"], rules=[rule])
    assert messages(RULE, build(views)) == [
        f"{FLOW_LOG} flow-log: logs to bucket flow-bucket, whose lifecycle {where} is {value}; {EXPECTED}"
    ]


def test_fail_s3_destination_with_inline_lifecycle_rule():
    views = s3_views()
    views["bucket"] = patched(
        views["bucket"], lifecycleRules=[{"enabled": "true", "expirations": [{"days": 30}]}]
    )
    assert messages(RULE, build(views)) == [
        f"{FLOW_LOG} flow-log: logs to bucket flow-bucket, whose lifecycle lifecycleRules[0] expirations.days"
        f" is 30; {EXPECTED}"
    ]


def test_pass_s3_destination_with_disabled_short_lifecycle_rule():
    views = s3_views(lifecycle_days=30)
    views["lifecycle"] = patched(
        views["lifecycle"], rules=[{"id": "expire", "status": "Disabled", "expiration": {"days": 30}}]
    )
    assert outcome(RULE, build(views)) == "pass"


def test_fail_vpc_without_flow_log():
    views = network()
    views["flow-log"] = patched(views["flow-log"], vpcId="vpc-other")
    assert messages(RULE, build(views)) == [
        f"{VPC} vpc: has no flow log; expected an aws:ec2/flowLog:FlowLog with vpcId naming this VPC and "
        "trafficType ALL. [NET-04]"
    ]


def test_fail_log_group_without_key():
    views = network()
    views["flow-logs"] = patched(views["flow-logs"], kmsKeyId=None)
    assert messages(RULE, build(views)) == [
        f"{FLOW_LOG} flow-log: logs to log group flow-logs, which has no kmsKeyId; {EXPECTED}"
    ]


def test_fail_log_group_short_retention():
    views = network()
    views["flow-logs"] = patched(views["flow-logs"], retentionInDays=90.0)
    assert messages(RULE, build(views)) == [
        f"{FLOW_LOG} flow-log: logs to log group flow-logs, whose retentionInDays is 90; {EXPECTED}"
    ]


def test_fail_destination_outside_stack():
    views = network()
    views["flow-log"] = patched(
        views["flow-log"], logDestination="arn:aws:logs:ap-northeast-1:999999999999:log-group:x"
    )
    assert messages(RULE, build(views)) == [
        f"{FLOW_LOG} flow-log: logs to arn:aws:logs:ap-northeast-1:999999999999:log-group:x, which is not"
        f" declared in this stack, so its encryption and retention cannot be verified; {EXPECTED}"
    ]


def test_pass_deprecated_log_group_name():
    views = network()
    views["flow-log"] = patched(
        views["flow-log"], logDestination=None, logDestinationType=None, logGroupName="/aws/vpc/flow-logs"
    )
    assert outcome(RULE, build(views)) == "pass"


def test_fail_no_destination():
    views = network()
    views["flow-log"] = patched(views["flow-log"], logDestination=None)
    assert messages(RULE, build(views)) == [
        f"{FLOW_LOG} flow-log: has no logDestination for cloud-watch-logs; {EXPECTED}"
    ]


def test_na_no_vpc():
    assert outcome(RULE, build([resource(LOG_GROUP, "g", {})])) == "n/a"


def test_unknown_destination_in_preview():
    views = network()
    views["flow-log"] = resource(
        FLOW_LOG, "flow-log", {"vpcId": "vpc-1", "logDestination": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, build(views)) == "unknown"


def test_pass_preview_destination_unknown_but_linked():
    # In a preview the log group's ARN is unknown; the property dependency still names the group.
    views = network()
    flow_log = resource(
        FLOW_LOG,
        "flow-log",
        {"vpcId": UNKNOWN_STRING_VALUE, "trafficType": "ALL", "logDestination": UNKNOWN_STRING_VALUE},
        preview=True,
    )
    views["flow-log"] = linked(linked(flow_log, "vpcId", views["vpc"]), "logDestination", views["flow-logs"])
    views["flow-logs"] = resource(
        LOG_GROUP, "flow-logs", {"kmsKeyId": UNKNOWN_STRING_VALUE, "retentionInDays": 400}, preview=True
    )
    assert outcome(RULE, build(views)) == "pass"
