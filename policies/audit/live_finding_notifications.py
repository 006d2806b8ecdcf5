"""LOG-05 live: in each Japanese region, high and critical findings reach the tenant's incident contact.

GuardDuty and Security Hub publish findings to the default event bus of the region they are found in, so each
region needs an enabled rule there whose pattern accepts them (judged by the gate's own matcher), targeting an
SNS topic encrypted with KMS that has at least one confirmed subscription: an e-mail subscription still
``PendingConfirmation`` delivers nothing
(https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.audit._aws import ACCOUNT, EVENT_RULE, SNS_TOPIC
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget
from policies.rules.events.incident_routing import routes_high_findings

EXPECTED = (
    "an enabled EventBridge rule on the default bus routing GuardDuty findings of severity >= 7 or Security "
    "Hub HIGH/CRITICAL findings to a KMS-encrypted SNS topic with a confirmed subscription"
)
PENDING = "PendingConfirmation"


def _rules(events: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in events.get_paginator("list_rules").paginate(EventBusName="default"):
        found.extend(page.get("Rules", []))
    return found


def _topic_problems(sns: Any, topic_arn: str, region: str) -> list[AuditFailure]:
    problems: list[AuditFailure] = []
    name = topic_arn.rsplit(":", 1)[-1]
    attributes = sns.get_topic_attributes(TopicArn=topic_arn).get("Attributes", {})
    if not attributes.get("KmsMasterKeyId"):
        problems.append(
            AuditFailure(
                SNS_TOPIC, name, "receives high/critical findings unencrypted", EXPECTED, region, topic_arn
            )
        )
    confirmed = 0
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        confirmed += sum(1 for s in page.get("Subscriptions", []) if s.get("SubscriptionArn") != PENDING)
    if not confirmed:
        problems.append(
            AuditFailure(
                SNS_TOPIC,
                name,
                "receives high/critical findings but has no confirmed subscription",
                EXPECTED,
                region,
                topic_arn,
            )
        )
    return problems


class LiveFindingNotifications(AuditCheck):
    id = "live_finding_notifications"
    description = (
        "High and critical findings are routed to an encrypted, subscribed SNS topic in both regions"
    )
    remediation = (
        "Deploy the baseline's notifications (an EventBridge rule per finding source targeting the tenant's "
        "KMS-encrypted SNS topic) and have the incident contact confirm the e-mail subscription."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            yield from self._region(target, region)

    def _region(self, target: AuditTarget, region: str) -> Iterator[AuditFailure]:
        events, sns = target.client("events", region), target.client("sns", region)
        matching = [r for r in _rules(events) if routes_high_findings(r.get("EventPattern"))]
        if not matching:
            yield AuditFailure(
                ACCOUNT, target.account_id, f"routes no high/critical findings in {region}", EXPECTED, region
            )
            return
        problems: list[AuditFailure] = []
        for rule in matching:
            if rule.get("State") != "ENABLED":
                problems.append(
                    AuditFailure(
                        EVENT_RULE,
                        rule["Name"],
                        "matches high/critical findings but is disabled",
                        EXPECTED,
                        region,
                        rule.get("Arn", ""),
                    )
                )
                continue
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName="default").get(
                "Targets", []
            )
            topics = [t["Arn"] for t in targets if str(t.get("Arn", "")).startswith("arn:aws:sns:")]
            if not topics:
                problems.append(
                    AuditFailure(
                        EVENT_RULE,
                        rule["Name"],
                        "has no target delivering to an SNS topic",
                        EXPECTED,
                        region,
                        rule.get("Arn", ""),
                    )
                )
            for topic in topics:
                found = _topic_problems(sns, topic, region)
                if not found:
                    return  # one complete route is enough
                problems.extend(p for p in found if p not in problems)
        yield from problems
