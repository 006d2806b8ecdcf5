import json

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "incident_routing"
EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
TOPIC_ARN = "arn:aws:sns:ap-northeast-1:111111111111:incidents"
GUARDDUTY_HIGH = {
    "source": ["aws.guardduty"],
    "detail-type": ["GuardDuty Finding"],
    "detail": {"severity": [{"numeric": [">=", 7]}]},
}
SECURITYHUB_HIGH = {
    "source": ["aws.securityhub"],
    "detail-type": ["Security Hub Findings - Imported"],
    "detail": {"findings": {"Severity": {"Label": ["HIGH", "CRITICAL"]}}},
}


def event_rule(pattern=GUARDDUTY_HIGH, preview=False, **props):
    encoded = json.dumps(pattern) if isinstance(pattern, dict) else pattern
    return resource(EVENT_RULE, "findings", {"eventPattern": encoded, **props}, preview=preview)


def topic(**props):
    return resource(TOPIC, "incidents", {"kmsMasterKeyId": "alias/acme-sns", "arn": TOPIC_ARN, **props})


def target():
    return resource(
        TARGET,
        "findings-to-sns",
        {"rule": "findings", "arn": TOPIC_ARN},
        prop_deps={"rule": [urn(EVENT_RULE, "findings")], "arn": [urn(TOPIC, "incidents")]},
    )


def subscription():
    return resource(
        SUBSCRIPTION,
        "incident-mail",
        {"topic": TOPIC_ARN, "protocol": "email", "endpoint": "soc@acme.example"},
    )


def route(**overrides):
    parts = {"rule": event_rule(), "topic": topic(), "target": target(), "subscription": subscription()}
    parts.update(overrides)
    return stack(*[p for p in parts.values() if p is not None])


def test_pass_guardduty_route():
    assert outcome(RULE, route()) == "pass"


@pytest.mark.parametrize(
    "pattern",
    [
        SECURITYHUB_HIGH,
        {
            "source": ["aws.securityhub"],
            "detail": {
                "findings": {
                    "Severity": {"Label": ["HIGH", "CRITICAL"]},
                    "RecordState": ["ACTIVE"],
                    "Workflow": {"Status": ["NEW"]},
                }
            },
        },
        {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]},
        {"source": ["aws.guardduty"], "detail": {"severity": [{"numeric": [">", 6.9]}]}},
        {"source": ["aws.guardduty"], "detail": {"severity": [7, 7.5, 8, 8.9, 9, 10]}},
        {"$or": [{"source": ["aws.guardduty"]}, {"source": ["aws.securityhub"]}]},
        {"source": [{"prefix": "aws.guard"}], "detail": {"severity": [{"anything-but": [1, 2, 3]}]}},
    ],
)
def test_pass_patterns_that_accept_every_high_finding(pattern):
    assert outcome(RULE, route(rule=event_rule(pattern))) == "pass"


def test_pass_dict_pattern_and_literal_links():
    raw_target = resource(TARGET, "t", {"rule": "findings", "arn": TOPIC_ARN})
    raw_rule = resource(EVENT_RULE, "findings", {"name": "findings", "eventPattern": GUARDDUTY_HIGH})
    assert outcome(RULE, route(rule=raw_rule, target=raw_target)) == "pass"


def test_pass_one_complete_route_is_enough():
    spare = resource(EVENT_RULE, "spare", {"eventPattern": json.dumps(SECURITYHUB_HIGH)})
    assert outcome(RULE, stack(*route().resources, spare)) == "pass"


NO_RULE = (
    "pulumi:pulumi:Stack tenant-zone-acme-prod: has no EventBridge rule matching GuardDuty findings with"
    " severity >= 7 or Security Hub HIGH/CRITICAL findings; expected a cloudwatch.EventRule routing them to"
    " an encrypted, subscribed SNS topic. [LOG-05]"
)


@pytest.mark.parametrize(
    "pattern",
    [
        {"source": ["aws.guardduty"], "detail": {"severity": [{"numeric": [">=", 8]}]}},
        {"source": ["aws.guardduty"], "detail": {"severity": [{"numeric": [">=", 7, "<", 9]}]}},
        {"source": ["aws.guardduty"], "detail": {"severity": [8]}},
        {"source": ["aws.securityhub"], "detail": {"findings": {"Severity": {"Label": ["CRITICAL"]}}}},
        {"source": ["aws.ec2"]},
        {
            "source": ["aws.securityhub"],
            "detail": {
                "findings": {"Severity": {"Label": ["HIGH", "CRITICAL"]}, "RecordState": ["ARCHIVED"]}
            },
        },
        "not json",
    ],
)
def test_fail_pattern_misses_high_findings(pattern):
    assert messages(RULE, route(rule=event_rule(pattern))) == [NO_RULE]


def test_fail_no_event_rule():
    assert messages(RULE, route(rule=None, target=None)) == [NO_RULE]


def test_fail_schedule_rule_is_not_a_route():
    scheduled = resource(EVENT_RULE, "findings", {"scheduleExpression": "rate(1 hour)"})
    assert messages(RULE, route(rule=scheduled)) == [NO_RULE]


@pytest.mark.parametrize(
    "props, text",
    [
        ({"state": "DISABLED"}, "matches high/critical findings but is disabled"),
        ({"isEnabled": False}, "matches high/critical findings but is disabled"),
        (
            {"eventBusName": "custom"},
            (
                "matches high/critical findings but listens on event bus custom, where findings are not"
                " published"
            ),
        ),
    ],
)
def test_fail_rule_disabled_or_on_other_bus(props, text):
    assert messages(RULE, route(rule=event_rule(**props))) == [
        f"{EVENT_RULE} findings: {text}; expected an enabled rule on the default event bus. [LOG-05]"
    ]


def test_pass_default_bus_by_arn():
    bus = "arn:aws:events:ap-northeast-1:111111111111:event-bus/default"
    assert outcome(RULE, route(rule=event_rule(eventBusName=bus))) == "pass"


def test_fail_no_target():
    assert messages(RULE, route(target=None)) == [
        f"{EVENT_RULE} findings: has no target delivering to an SNS topic; "
        "expected an EventTarget whose arn is an SNS topic. [LOG-05]"
    ]


def test_fail_topic_unencrypted():
    assert messages(RULE, route(topic=topic(kmsMasterKeyId=None))) == [
        f"{TOPIC} incidents: receives high/critical findings but kmsMasterKeyId is not set (unencrypted); "
        "expected kmsMasterKeyId set to a KMS key. [LOG-05]"
    ]


def test_fail_topic_without_subscription():
    assert messages(RULE, route(subscription=None)) == [
        f"{TOPIC} incidents: receives high/critical findings but has no subscription; "
        "expected at least one sns.TopicSubscription to the tenant's incident contact. [LOG-05]"
    ]


def test_na_org_stack():
    assert outcome(RULE, stack(*route().resources, name="org")) == "n/a"


def test_unknown_pattern_in_preview():
    assert outcome(RULE, route(rule=event_rule(UNKNOWN_STRING_VALUE, preview=True))) == "unknown"


@pytest.mark.parametrize(
    "severity",
    [
        [{"numeric": [{"op": ">="}, 7]}],
        [{"numeric": [">=", "seven"]}],
        [{"numeric": [">="]}],
        [{"cidr": "10.0.0.0/8"}],
        [[7]],
    ],
)
def test_fail_malformed_numeric_matchers_do_not_crash(severity):
    pattern = {"source": ["aws.guardduty"], "detail": {"severity": severity}}
    assert messages(RULE, route(rule=event_rule(pattern))) == [NO_RULE]
