"""Notifications: high and critical findings reach the incident contact (LOG-05).

One instance per region, next to that region's ``Detection``: GuardDuty
and Security Hub publish findings to the EventBridge bus of the region they
were found in, and an EventBridge rule can only target an SNS topic in its
own region. The topic is encrypted with the tenant's key of that region
(ENC-01); that key's policy must let ``events.amazonaws.com`` use it
(``kms:GenerateDataKey*``, ``kms:Decrypt``) or deliveries fail silently.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.checks import is_email
from components.errors import InputProblems
from components.policy_documents import deny_insecure_transport, policy_document

_KIND = "Notifications"
SECURITY_HUB_LABELS: tuple[str, ...] = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL")
REQUIRED_SECURITY_HUB_LABELS: tuple[str, ...] = ("HIGH", "CRITICAL")
# GuardDuty "High" starts at 7.0 (Critical at 9.0).
GUARDDUTY_HIGH = 7.0


@dataclass
class NotificationsArgs:
    """Inputs of one region's finding notifications.

    ``kms_key_arn`` is the tenant's customer-managed key in the same region.
    """

    incident_email: str
    kms_key_arn: pulumi.Input[str]
    guardduty_min_severity: float = GUARDDUTY_HIGH
    securityhub_severities: Sequence[str] = REQUIRED_SECURITY_HUB_LABELS
    tags: dict[str, str] = field(default_factory=dict)


def validate_notifications_args(name: str, args: NotificationsArgs) -> None:
    problems = InputProblems(_KIND, name)
    if not is_email(args.incident_email):
        problems.add(
            f"incident_email = {args.incident_email!r} is not an e-mail address",
            "the tenant's incident contact, e.g. security@example.co.jp",
            "LOG-05",
        )
    if not 1.0 <= args.guardduty_min_severity <= GUARDDUTY_HIGH:
        problems.add(
            f"guardduty_min_severity = {args.guardduty_min_severity} would drop high or critical findings",
            f"a threshold between 1.0 and {GUARDDUTY_HIGH} (GuardDuty high severity starts at 7.0)",
            "LOG-05",
        )
    unknown = [s for s in args.securityhub_severities if s not in SECURITY_HUB_LABELS]
    if unknown:
        problems.add(
            f"securityhub_severities contains unknown label(s) {', '.join(unknown)}",
            f"labels among {', '.join(SECURITY_HUB_LABELS)}",
            "LOG-05",
        )
    missing = [s for s in REQUIRED_SECURITY_HUB_LABELS if s not in args.securityhub_severities]
    if missing:
        problems.add(
            f"securityhub_severities lacks {', '.join(missing)}",
            "HIGH and CRITICAL findings routed to the incident contact",
            "LOG-05",
        )
    problems.raise_if_any()


def guardduty_event_pattern(min_severity: float) -> dict[str, Any]:
    return {
        "source": ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        "detail": {"severity": [{"numeric": [">=", min_severity]}]},
    }


def securityhub_event_pattern(labels: Sequence[str]) -> dict[str, Any]:
    return {
        "source": ["aws.securityhub"],
        "detail-type": ["Security Hub Findings - Imported"],
        "detail": {
            "findings": {
                "Severity": {"Label": [label for label in SECURITY_HUB_LABELS if label in labels]},
                "RecordState": ["ACTIVE"],
                "Workflow": {"Status": ["NEW"]},
            }
        },
    }


def topic_policy(topic_arn: str, rule_arns: Sequence[str]) -> dict[str, Any]:
    account_id = topic_arn.split(":")[4]
    return policy_document(
        {
            "Sid": "AccountOwnerManages",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": [
                "sns:GetTopicAttributes",
                "sns:ListSubscriptionsByTopic",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
            ],
            "Resource": topic_arn,
        },
        {
            "Sid": "EventBridgePublishesFindings",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": list(rule_arns)}},
        },
        deny_insecure_transport("sns:Publish", topic_arn),
    )


class Notifications(pulumi.ComponentResource):
    topic_arn: pulumi.Output[str]
    rule_arns: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: NotificationsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_notifications_args(name, args)
        super().__init__("tenant-zone:notifications:Notifications", name, None, opts)

        topic = aws.sns.Topic(
            f"{name}-topic",
            kms_master_key_id=args.kms_key_arn,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.sns.TopicSubscription(
            f"{name}-incident-email",
            topic=topic.arn,
            protocol="email",
            endpoint=args.incident_email,
            opts=pulumi.ResourceOptions(parent=self),
        )
        patterns = {
            "guardduty": (
                "GuardDuty findings of high or critical severity",
                guardduty_event_pattern(args.guardduty_min_severity),
            ),
            "securityhub": (
                "Security Hub findings labelled HIGH or CRITICAL",
                securityhub_event_pattern(args.securityhub_severities),
            ),
        }
        rules: dict[str, aws.cloudwatch.EventRule] = {}
        for key, (description, pattern) in patterns.items():
            rule = aws.cloudwatch.EventRule(
                f"{name}-{key}-findings",
                description=description,
                event_pattern=json.dumps(pattern),
                state="ENABLED",
                tags=dict(args.tags),
                opts=pulumi.ResourceOptions(parent=self),
            )
            aws.cloudwatch.EventTarget(
                f"{name}-{key}-findings-target",
                rule=rule.name,
                arn=topic.arn,
                opts=pulumi.ResourceOptions(parent=self),
            )
            rules[key] = rule

        aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=topic.arn,
            policy=pulumi.Output.all(topic.arn, *[r.arn for r in rules.values()]).apply(
                lambda v: json.dumps(topic_policy(v[0], v[1:]))
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.topic_arn = topic.arn
        self.rule_arns = {key: rule.arn for key, rule in rules.items()}
        self.register_outputs({"topicArn": self.topic_arn, "ruleArns": self.rule_arns})
