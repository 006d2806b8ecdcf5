from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_data import KEY_ARN, tenant_resource
from tests.rulekit import messages, outcome

RULE = "sns_topic_kms_encryption"
TOPIC = "aws:sns/topic:Topic"
CUSTOMER_KEY = (
    "a customer-managed KMS key of the tenant (a key ID/ARN of the tenant account, not alias/aws/*)"
)
EXPECTED = f"expected kmsMasterKeyId {CUSTOMER_KEY}. [ENC-01]"


def test_pass_tenant_key():
    assert outcome(RULE, tenant_resource(TOPIC, "alerts", {"kmsMasterKeyId": KEY_ARN})) == "pass"
    assert outcome(RULE, tenant_resource(TOPIC, "alerts", {"kmsMasterKeyId": "alias/acme-prod"})) == "pass"


def test_fail_unencrypted():
    assert messages(RULE, tenant_resource(TOPIC, "alerts", {})) == [
        f"{TOPIC} alerts: kmsMasterKeyId is not set (messages are stored unencrypted); {EXPECTED}"
    ]


def test_fail_aws_managed_key():
    assert messages(RULE, tenant_resource(TOPIC, "alerts", {"kmsMasterKeyId": "alias/aws/sns"})) == [
        f"{TOPIC} alerts: kmsMasterKeyId is the AWS-managed key alias/aws/sns; {EXPECTED}"
    ]


def test_na_subscription():
    assert outcome(RULE, tenant_resource("aws:sns/topicSubscription:TopicSubscription", "s", {})) == "n/a"


def test_unknown_in_preview():
    assert (
        outcome(
            RULE, tenant_resource(TOPIC, "alerts", {"kmsMasterKeyId": UNKNOWN_STRING_VALUE}, preview=True)
        )
        == "unknown"
    )
