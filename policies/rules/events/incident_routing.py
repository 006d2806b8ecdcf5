"""High and critical findings reach the tenant's incident contact (LOG-05).

A tenant stack needs an enabled EventBridge rule on the default bus (where
GuardDuty and Security Hub publish) whose pattern accepts every GuardDuty
finding of severity 7 or more (high 7.0-8.9 and critical 9.0-10.0) or every
Security Hub finding labelled HIGH or CRITICAL, with a target that is an SNS
topic encrypted with KMS and subscribed to at least once. Whether a pattern
accepts them is decided by matching it against sample finding events, so
numeric ranges, explicit severity lists and ``$or`` are judged by what they do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.values import is_false
from policies.rules._secops import event_patterns

EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"

GUARDDUTY_HIGH = [
    {"source": "aws.guardduty", "detail-type": "GuardDuty Finding", "detail": {"severity": severity}}
    for severity in (7, 7.5, 8, 8.9, 9, 10)
]
SECURITYHUB_HIGH = [
    {
        "source": "aws.securityhub",
        "detail-type": "Security Hub Findings - Imported",
        # A new, active finding: routing rules commonly (and rightly) filter on these two fields.
        "detail": {
            "findings": [
                {"Severity": {"Label": label}, "RecordState": "ACTIVE", "Workflow": {"Status": "NEW"}}
            ]
        },
    }
    for label in ("HIGH", "CRITICAL")
]


def _routes_findings(rule: ResourceView) -> bool:
    return routes_high_findings(rule.props.get("eventPattern"))


def routes_high_findings(event_pattern: Any) -> bool:
    """Whether an event pattern (JSON text or mapping) accepts every high and critical finding of GuardDuty
    or of Security Hub (the live audit judges deployed rules with it too)."""
    try:
        pattern = event_patterns.load(event_pattern)
    except event_patterns.PatternError:
        return False
    if pattern is None:
        return False
    return event_patterns.accepts_all(pattern, GUARDDUTY_HIGH) or event_patterns.accepts_all(
        pattern, SECURITYHUB_HIGH
    )


def _why_ineffective(rule: ResourceView) -> str | None:
    state = rule.props.get("state")
    if (isinstance(state, str) and state.upper() == "DISABLED") or is_false(rule.props.get("isEnabled")):
        return "matches high/critical findings but is disabled"
    bus = rule.props.get("eventBusName")
    if isinstance(bus, str) and bus and bus != "default" and not bus.endswith(":event-bus/default"):
        return (
            f"matches high/critical findings but listens on event bus {bus}, where findings are not published"
        )
    return None


class IncidentRouting(StackRule):
    id = "incident_routing"
    description = (
        "A tenant stack has an enabled EventBridge rule matching GuardDuty findings of severity >= 7 or"
        " Security Hub HIGH/CRITICAL findings, targeting a KMS-encrypted SNS topic with at least one"
        " subscription."
    )
    remediation = (
        'Add a cloudwatch.EventRule with eventPattern {"source":["aws.guardduty"],"detail-type":["GuardDuty'
        ' Finding"],"detail":{"severity":[{"numeric":[">=",7]}]}}, an EventTarget pointing at an sns.Topic'
        " with kmsMasterKeyId set, and a TopicSubscription to the tenant's incident contact."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if is_org_stack(stack):
            raise NotApplicable("the org stack does not hold a tenant's incident routing")
        matching = [rule for rule in stack.of_type(EVENT_RULE) if _routes_findings(rule)]
        effective = [rule for rule in matching if _why_ineffective(rule) is None]
        if not effective:
            for rule in matching:
                yield Failure(
                    str(_why_ineffective(rule)), "an enabled rule on the default event bus", rule.urn
                )
            if not matching:
                yield Failure(
                    "has no EventBridge rule matching GuardDuty findings with severity >= 7 "
                    "or Security Hub HIGH/CRITICAL findings",
                    "a cloudwatch.EventRule routing them to an encrypted, subscribed SNS topic",
                )
            return
        subscribed: set[str] = set()
        for subscription in stack.of_type(SUBSCRIPTION):
            subscribed.update(topic.urn for topic in stack.referenced(subscription, "topic", TOPIC))
        topics_by_rule: dict[str, list[ResourceView]] = {rule.urn: [] for rule in effective}
        for target in stack.of_type(EVENT_TARGET):
            rules = [r for r in stack.referenced(target, "rule", EVENT_RULE) if r.urn in topics_by_rule]
            topics = stack.referenced(target, "arn", TOPIC)
            for rule in rules:
                topics_by_rule[rule.urn].extend(topics)
        problems: dict[str, list[Failure]] = {}
        for rule in effective:
            topics = topics_by_rule[rule.urn]
            if not topics:
                problems.setdefault(rule.urn, []).append(
                    Failure(
                        "has no target delivering to an SNS topic",
                        "an EventTarget whose arn is an SNS topic",
                        rule.urn,
                    )
                )
            for topic in topics:
                problems.setdefault(topic.urn, list(_topic_failures(topic, topic.urn in subscribed)))
        if any(not problems.get(topic.urn) for topics in topics_by_rule.values() for topic in topics):
            return  # one complete route is enough
        for found in problems.values():
            yield from found


def _topic_failures(topic: ResourceView, subscribed: bool) -> Iterator[Failure]:
    key = topic.props.get("kmsMasterKeyId")
    if not (isinstance(key, str) and key.strip()):
        yield Failure(
            "receives high/critical findings but kmsMasterKeyId is not set (unencrypted)",
            "kmsMasterKeyId set to a KMS key",
            topic.urn,
        )
    if not subscribed:
        yield Failure(
            "receives high/critical findings but has no subscription",
            "at least one sns.TopicSubscription to the tenant's incident contact",
            topic.urn,
        )
