import json

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack

RULE = "cmk_service_access"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
TOPIC = "aws:sns/topic:Topic"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
KEY_ARN = "arn:aws:kms:ap-northeast-1:111111111111:key/1234"
TOPIC_ARN = "arn:aws:sns:ap-northeast-1:111111111111:alerts"
ADMIN = {
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111111111111:role/Admin"},
    "Action": "kms:*",
    "Resource": "*",
}
LOGS = {"Effect": "Allow", "Principal": {"Service": "logs.ap-northeast-1.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], "Resource": "*"}  # fmt: skip
EVENTS = {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
          "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}  # fmt: skip


def key(*statements, preview=False):
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return resource(KEY, "tenant", {"arn": KEY_ARN, "policy": document}, preview=preview)


def log_group(key_view):
    return resource(LOG_GROUP, "flow-logs", {"kmsKeyId": KEY_ARN}, prop_deps={"kmsKeyId": [key_view.urn]})


def alerts(key_view):
    topic = resource(
        TOPIC,
        "alerts",
        {"arn": TOPIC_ARN, "kmsMasterKeyId": KEY_ARN},
        prop_deps={"kmsMasterKeyId": [key_view.urn]},
    )
    target = resource(TARGET, "to-alerts", {"arn": TOPIC_ARN}, prop_deps={"arn": [topic.urn]})
    return [topic, target]


def test_pass_services_allowed():
    tenant = key(ADMIN, LOGS, EVENTS)
    assert outcome(RULE, stack(tenant, log_group(tenant), *alerts(tenant))) == "pass"


def test_fail_logs_not_allowed():
    tenant = key(ADMIN, EVENTS)
    assert messages(RULE, stack(tenant, log_group(tenant))) == [
        f"{LOG_GROUP} flow-logs: is encrypted with key tenant, whose policy does not allow"
        " logs.ap-northeast-1.amazonaws.com kms:Encrypt, kms:Decrypt, kms:GenerateDataKey, so CloudWatch"
        " Logs cannot use it; expected a statement in tenant's policy allowing"
        " logs.ap-northeast-1.amazonaws.com kms:Encrypt, kms:Decrypt, kms:GenerateDataKey. [DEP-02]"
    ]


def test_fail_global_logs_principal_is_not_the_regional_one():
    wrong = {**LOGS, "Principal": {"Service": "logs.amazonaws.com"}}
    tenant = key(ADMIN, wrong)
    assert outcome(RULE, stack(tenant, log_group(tenant))) == "fail"


def test_fail_eventbridge_cannot_publish():
    tenant = key(ADMIN, LOGS)
    assert messages(RULE, stack(tenant, *alerts(tenant))) == [
        f"{TOPIC} alerts: is encrypted with key tenant, whose policy does not allow events.amazonaws.com"
        " kms:Decrypt, kms:GenerateDataKey, so EventBridge cannot use it; expected a statement in tenant's"
        " policy allowing events.amazonaws.com kms:Decrypt, kms:GenerateDataKey. [DEP-02]"
    ]


def test_na_topic_without_eventbridge_and_unencrypted_groups():
    tenant = key(ADMIN)
    topic = resource(TOPIC, "quiet", {"kmsMasterKeyId": KEY_ARN}, prop_deps={"kmsMasterKeyId": [tenant.urn]})
    plain = resource(LOG_GROUP, "plain", {"retentionInDays": 400})
    assert outcome(RULE, stack(tenant, topic, plain)) == "n/a"


def test_unknown_key_policy_in_preview():
    tenant = resource(KEY, "tenant", {"arn": KEY_ARN, "policy": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, stack(tenant, log_group(tenant))) == "unknown"
