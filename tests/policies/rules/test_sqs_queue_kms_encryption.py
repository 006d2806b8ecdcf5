from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "sqs_queue_kms_encryption"
QUEUE = "aws:sqs/queue:Queue"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
EXPECTED = f"expected kmsMasterKeyId {CUSTOMER_KEY} and sqsManagedSseEnabled not true. [ENC-01]"


def test_pass_tenant_key():
    assert outcome(RULE, tenant_resource(QUEUE, "jobs", {"kmsMasterKeyId": KEY_ARN})) == "pass"
    assert (
        outcome(
            RULE, tenant_resource(QUEUE, "jobs", {"kmsMasterKeyId": KEY_ARN, "sqsManagedSseEnabled": False})
        )
        == "pass"
    )


def test_fail_default_sse_sqs():
    assert messages(RULE, tenant_resource(QUEUE, "jobs", {})) == [
        f"{QUEUE} jobs: kmsMasterKeyId is not set (SQS applies SSE-SQS with an SQS-owned key); {EXPECTED}"
    ]


def test_fail_explicit_sse_sqs():
    assert messages(RULE, tenant_resource(QUEUE, "jobs", {"sqsManagedSseEnabled": "true"})) == [
        f"{QUEUE} jobs: sqsManagedSseEnabled is true (SSE-SQS uses an SQS-owned key); {EXPECTED}"
    ]


def test_fail_aws_managed_key():
    assert messages(RULE, tenant_resource(QUEUE, "jobs", {"kmsMasterKeyId": "alias/aws/sqs"})) == [
        f"{QUEUE} jobs: kmsMasterKeyId is the AWS-managed key alias/aws/sqs; {EXPECTED}"
    ]


def test_na_queue_policy():
    assert outcome(RULE, tenant_resource("aws:sqs/queuePolicy:QueuePolicy", "p", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(RULE, tenant_resource(QUEUE, "jobs", {"kmsMasterKeyId": UNKNOWN_STRING_VALUE}, preview=True))
        == "unknown"
    )
