"""Notifications: encrypted topic, e-mail subscription, finding rules and the topic policy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.errors import ComponentInputError
from components.notifications import Notifications, NotificationsArgs, validate_notifications_args
from tests.pulumi_mocks import Run, assert_all_under, run

KEY = "arn:aws:kms:ap-northeast-1:444444444444:key/abcd"


def args(**overrides: object) -> NotificationsArgs:
    values: dict[str, Any] = {"incident_email": "security@acme.example.co.jp", "kms_key_arn": KEY}
    values.update(overrides)
    return NotificationsArgs(**values)


def build(**overrides: object) -> Run:
    return run(lambda: Notifications("acme-prod-alerts", args(**overrides)))


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def rule(result: Run, key: str) -> Any:
    return result.named(f"acme-prod-alerts-{key}-findings")


def test_every_child_is_parented(default: Run) -> None:
    assert_all_under(default, default.one("tenant-zone:notifications:Notifications").urn)


def test_topic_is_encrypted_and_the_incident_contact_subscribed(default: Run) -> None:
    topic = default.one("aws:sns/topic:Topic")
    assert topic.inputs["kmsMasterKeyId"] == KEY
    subscription = default.one("aws:sns/topicSubscription:TopicSubscription").inputs
    assert subscription == {
        "topic": topic.outputs["arn"],
        "protocol": "email",
        "endpoint": "security@acme.example.co.jp",
    }


def test_guardduty_rule_matches_severity_seven_and_up(default: Run) -> None:
    pattern = json.loads(rule(default, "guardduty").inputs["eventPattern"])
    assert pattern == {
        "source": ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        "detail": {"severity": [{"numeric": [">=", 7.0]}]},
    }


def test_securityhub_rule_matches_high_and_critical(default: Run) -> None:
    pattern = json.loads(rule(default, "securityhub").inputs["eventPattern"])
    assert pattern["source"] == ["aws.securityhub"]
    assert pattern["detail-type"] == ["Security Hub Findings - Imported"]
    assert pattern["detail"]["findings"]["Severity"] == {"Label": ["HIGH", "CRITICAL"]}


def test_rules_target_the_topic(default: Run) -> None:
    topic_arn = default.one("aws:sns/topic:Topic").outputs["arn"]
    targets = {
        t.inputs["rule"]: t.inputs["arn"] for t in default.of_type("aws:cloudwatch/eventTarget:EventTarget")
    }
    names = {rule(default, key).outputs["name"] for key in ("guardduty", "securityhub")}
    assert targets == dict.fromkeys(names, topic_arn)
    for key in ("guardduty", "securityhub"):
        assert rule(default, key).inputs["state"] == "ENABLED"


def test_topic_policy_lets_only_these_rules_publish_and_requires_tls(default: Run) -> None:
    topic_arn = default.one("aws:sns/topic:Topic").outputs["arn"]
    policy = default.one("aws:sns/topicPolicy:TopicPolicy").inputs
    assert policy["arn"] == topic_arn
    statements = {s["Sid"]: s for s in json.loads(policy["policy"])["Statement"]}
    publish = statements["EventBridgePublishesFindings"]
    assert publish["Principal"] == {"Service": "events.amazonaws.com"}
    assert publish["Action"] == "sns:Publish"
    assert sorted(publish["Condition"]["ArnEquals"]["aws:SourceArn"]) == sorted(
        rule(default, key).outputs["arn"] for key in ("guardduty", "securityhub")
    )
    assert statements["DenyInsecureTransport"]["Effect"] == "Deny"
    assert statements["AccountOwnerManages"]["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}


def test_lower_thresholds_are_reflected() -> None:
    result = build(guardduty_min_severity=4.0, securityhub_severities=["CRITICAL", "MEDIUM", "HIGH"])
    guardduty = json.loads(rule(result, "guardduty").inputs["eventPattern"])
    assert guardduty["detail"]["severity"] == [{"numeric": [">=", 4.0]}]
    hub = json.loads(rule(result, "securityhub").inputs["eventPattern"])
    assert hub["detail"]["findings"]["Severity"]["Label"] == ["MEDIUM", "HIGH", "CRITICAL"]


PREFIX = "Notifications acme-prod-alerts: "


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"incident_email": "security"},
            (
                "incident_email = 'security' is not an e-mail address; expected the tenant's incident"
                " contact, e.g. security@example.co.jp. [LOG-05]"
            ),
        ),
        (
            {"guardduty_min_severity": 8.0},
            (
                "guardduty_min_severity = 8.0 would drop high or critical findings; expected a threshold"
                " between 1.0 and 7.0 (GuardDuty high severity starts at 7.0). [LOG-05]"
            ),
        ),
        (
            {"securityhub_severities": ["CRITICAL"]},
            (
                "securityhub_severities lacks HIGH; expected HIGH and CRITICAL findings routed to the"
                " incident contact. [LOG-05]"
            ),
        ),
        (
            {"securityhub_severities": ["HIGH", "CRITICAL", "SEVERE"]},
            (
                "securityhub_severities contains unknown label(s) SEVERE; expected labels among"
                " INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL. [LOG-05]"
            ),
        ),
    ],
)
def test_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_notifications_args("acme-prod-alerts", args(**overrides))
    assert str(caught.value) == PREFIX + message


def test_the_component_runs_the_validation() -> None:
    with pytest.raises(ComponentInputError, match="securityhub_severities lacks HIGH"):
        build(securityhub_severities=["CRITICAL"])


def test_tags_reach_the_topic_and_the_rules() -> None:
    result = build(tags={"cost-center": "acme"})
    assert result.one("aws:sns/topic:Topic").tags == {"cost-center": "acme"}
    rules = result.of_type("aws:cloudwatch/eventRule:EventRule")
    assert len(rules) == 2 and all(r.tags == {"cost-center": "acme"} for r in rules)
