from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import KMS_KEY_ARN, WAF_LOGGING, WEB_ACL, build, edge, linked, patched
from tests.rulekit import messages, outcome, resource

RULE = "waf_logging"
EXPECTED = (
    "expected a destination of this stack named aws-waf-logs-*, KMS-encrypted and kept at least 365 days "
    "(log group with kmsKeyId and retentionInDays >= 365 or 0), or a Firehose stream named so to the org"
    " stack's log-archive bucket (logArchiveWafLogBucketArn). [EDGE-03]"
)
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def logging_views():
    views = edge()
    return {k: views[k] for k in ("acl", "waf-logs", "waf-logging")}


def test_pass_encrypted_log_group_kept_over_a_year():
    assert outcome(RULE, build(logging_views())) == "pass"


def test_pass_linked_through_outputs():
    views = logging_views()
    config = patched(
        views["waf-logging"], resourceArn="acl-arn-output", logDestinationConfigs=["group-arn-output"]
    )
    config = linked(linked(config, "resourceArn", views["acl"]), "logDestinationConfigs", views["waf-logs"])
    views["waf-logging"] = config
    assert outcome(RULE, build(views)) == "pass"


def test_fail_web_acl_without_logging():
    views = logging_views()
    del views["waf-logging"]
    assert messages(RULE, build(views)) == [
        f"{WEB_ACL} acl: has no logging configuration; expected an"
        " aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration with resourceArn naming it and a"
        " destination of this stack named aws-waf-logs-*, KMS-encrypted and kept at least 365 days (log"
        " group with kmsKeyId and retentionInDays >= 365 or 0), or a Firehose stream named so to the org"
        " stack's log-archive bucket (logArchiveWafLogBucketArn). [EDGE-03]"
    ]


def test_fail_unencrypted_log_group():
    views = logging_views()
    views["waf-logs"] = patched(views["waf-logs"], kmsKeyId=None)
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to log group waf-logs, which has no kmsKeyId; {EXPECTED}"
    ]


def test_fail_short_retention():
    views = logging_views()
    views["waf-logs"] = patched(views["waf-logs"], retentionInDays=30)
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to log group waf-logs, whose retentionInDays is 30; {EXPECTED}"
    ]


def test_fail_wrong_name_prefix():
    views = logging_views()
    views["waf-logs"] = patched(views["waf-logs"], name="waf-logs-acme")
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to log group waf-logs, whose name waf-logs-acme does not start with"
        f" aws-waf-logs-; {EXPECTED}"
    ]


def test_fail_destination_outside_stack():
    views = logging_views()
    views["waf-logging"] = patched(
        views["waf-logging"], logDestinationConfigs=["arn:aws:s3:::aws-waf-logs-central"]
    )
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to arn:aws:s3:::aws-waf-logs-central, which is not declared in this"
        f" stack, so its encryption and retention cannot be verified; {EXPECTED}"
    ]


def firehose_views(encrypted=True, algorithm="aws:kms"):
    views = logging_views()
    del views["waf-logs"]
    stream_arn = "arn:aws:firehose:ap-northeast-1:111111111111:deliverystream/aws-waf-logs-acme"
    views["waf-logging"] = patched(views["waf-logging"], logDestinationConfigs=[stream_arn])
    views["stream"] = resource(
        FIREHOSE,
        "stream",
        {
            "name": "aws-waf-logs-acme",
            "arn": stream_arn,
            "destination": "extended_s3",
            "serverSideEncryption": {"enabled": encrypted, "keyType": "CUSTOMER_MANAGED_CMK"},
            "extendedS3Configuration": {"bucketArn": "arn:aws:s3:::acme-waf-archive"},
        },
    )
    views["bucket"] = resource(
        BUCKET, "archive", {"bucket": "acme-waf-archive", "arn": "arn:aws:s3:::acme-waf-archive"}
    )
    views["sse"] = resource(
        SSE,
        "archive-sse",
        {
            "bucket": "acme-waf-archive",
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": algorithm,
                        "kmsMasterKeyId": KMS_KEY_ARN,
                    }
                }
            ],
        },
    )
    return views


def test_pass_encrypted_firehose_to_kms_bucket():
    assert outcome(RULE, build(firehose_views())) == "pass"


def test_fail_firehose_unencrypted_to_sse_s3_bucket():
    assert messages(RULE, build(firehose_views(encrypted=False, algorithm="AES256"))) == [
        (
            f"{WAF_LOGGING} waf-logging: logs to Firehose stream stream, which has no server-side encryption "
            f"(serverSideEncryption.enabled); {EXPECTED}"
        ),
        (
            f"{WAF_LOGGING} waf-logging: logs to Firehose stream stream, which delivers to bucket archive,"
            f" whose server-side encryption is not aws:kms (AES256); {EXPECTED}"
        ),
    ]


def test_na_no_web_acl():
    assert outcome(RULE, build([edge()["waf-logs"]])) == "n/a"


def test_unknown_destination_in_preview():
    views = logging_views()
    views["waf-logging"] = resource(
        WAF_LOGGING,
        "waf-logging",
        {"resourceArn": views["acl"].props["arn"], "logDestinationConfigs": [UNKNOWN_STRING_VALUE]},
        preview=True,
    )
    assert outcome(RULE, build(views)) == "unknown"


def test_fail_logging_configuration_without_destinations():
    views = logging_views()
    views["waf-logging"] = patched(views["waf-logging"], logDestinationConfigs=[])
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: has no logDestinationConfigs; {EXPECTED}"
    ]


def test_fail_firehose_delivering_elsewhere_than_s3():
    views = firehose_views()
    views["stream"] = patched(views["stream"], destination="http_endpoint", drop=["extendedS3Configuration"])
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to Firehose stream stream, which delivers to http_endpoint, whose"
        f" encryption and retention cannot be verified; {EXPECTED}"
    ]


def test_fail_firehose_delivering_to_bucket_outside_the_stack():
    views = firehose_views()
    del views["bucket"], views["sse"]
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to Firehose stream stream, which delivers to"
        " arn:aws:s3:::acme-waf-archive, not declared in this stack, so its encryption and retention cannot"
        f" be verified; {EXPECTED}"
    ]


def test_fail_firehose_bucket_expiring_logs_early():
    views = firehose_views()
    views["bucket"] = patched(views["bucket"], lifecycleRules={"enabled": True, "expiration": {"days": 90}})
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to Firehose stream stream, which delivers to bucket archive, whose "
        f"lifecycle lifecycleRules[0] expiration.days is 90; {EXPECTED}"
    ]


def test_fail_bucket_destination_without_encryption_configuration():
    views = logging_views()
    del views["waf-logs"]
    views["bucket"] = resource(
        BUCKET, "waf-bucket", {"bucket": "aws-waf-logs-acme-s3", "arn": "arn:aws:s3:::aws-waf-logs-acme-s3"}
    )
    views["waf-logging"] = patched(
        views["waf-logging"], logDestinationConfigs=["arn:aws:s3:::aws-waf-logs-acme-s3"]
    )
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to bucket waf-bucket, whose server-side encryption is not aws:kms"
        f" (none declared); {EXPECTED}"
    ]
    # Inline SSE-KMS on the bucket itself counts.
    views["bucket"] = patched(
        views["bucket"],
        serverSideEncryptionConfiguration={
            "rule": {
                "applyServerSideEncryptionByDefault": {
                    "sseAlgorithm": "aws:kms",
                    "kmsMasterKeyId": KMS_KEY_ARN,
                }
            }
        },
    )
    assert outcome(RULE, build(views)) == "pass"


STACK_REFERENCE = "pulumi:pulumi:StackReference"


def archived_views(stack_name="org", bucket_arn="arn:aws:s3:::aws-waf-logs-log-delivery-1a2b"):
    """The web ACL logs to a Firehose stream of this stack that delivers to a bucket the StackReference
    ``stack_name`` outputs."""
    views = firehose_views()
    del views["bucket"], views["sse"]
    views["org"] = resource(STACK_REFERENCE, "org", {"name": stack_name}, region=None)
    stream = patched(
        views["stream"],
        serverSideEncryption={"enabled": True, "keyType": "AWS_OWNED_CMK"},
        extendedS3Configuration={"bucketArn": bucket_arn, "roleArn": "arn:aws:iam::111111111111:role/x"},
    )
    views["stream"] = linked(stream, "extendedS3Configuration", views["org"])
    return views


def test_pass_firehose_to_the_org_stacks_archive_bucket():
    assert outcome(RULE, build(archived_views())) == "pass"


def test_fail_firehose_to_another_stacks_bucket():
    arn = "arn:aws:s3:::aws-waf-logs-log-delivery-1a2b"
    assert messages(RULE, build(archived_views("beta-prod"))) == [
        f"{WAF_LOGGING} waf-logging: logs to Firehose stream stream, which delivers to {arn}, not declared in"
        f" this stack, so its encryption and retention cannot be verified; {EXPECTED}"
    ]


def test_fail_unencrypted_firehose_to_the_org_stacks_archive_bucket():
    views = archived_views()
    views["stream"] = patched(views["stream"], serverSideEncryption={"enabled": False})
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to Firehose stream stream, which has no server-side encryption "
        f"(serverSideEncryption.enabled); {EXPECTED}"
    ]


def test_fail_org_stack_bucket_written_directly_without_the_prefix():
    views = logging_views()
    del views["waf-logs"]
    views["org"] = resource(STACK_REFERENCE, "org", {"name": "org"}, region=None)
    arn = "arn:aws:s3:::log-delivery-waf-1a2b"
    views["waf-logging"] = linked(
        patched(views["waf-logging"], logDestinationConfigs=[arn]), "logDestinationConfigs", views["org"]
    )
    assert messages(RULE, build(views)) == [
        f"{WAF_LOGGING} waf-logging: logs to bucket log-delivery-waf-1a2b of the org stack, whose name does"
        f" not start with aws-waf-logs-; {EXPECTED}"
    ]
