"""EDGE-03 live: an active Shield Advanced subscription and a protection on every internet-facing load
balancer. Shield Advanced is a global service served from us-east-1
(https://docs.aws.amazon.com/general/latest/gr/shield.html)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import ACCOUNT, LOAD_BALANCER, internet_facing
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget, error_code

SHIELD_REGION = "us-east-1"


class LiveShieldProtections(AuditCheck):
    id = "live_shield_protections"
    description = "Shield Advanced is subscribed and protects every internet-facing load balancer"
    remediation = "Subscribe the account to Shield Advanced and create a protection for the load balancer."

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        shield = target.client("shield", SHIELD_REGION)
        try:
            subscription = shield.describe_subscription().get("Subscription") or {}
            state = (
                "ACTIVE"
                if subscription.get("SubscriptionArn") or subscription.get("StartTime")
                else "INACTIVE"
            )
        except Exception as error:
            if error_code(error) != "ResourceNotFoundException":
                raise
            state = "INACTIVE"
        if state != "ACTIVE":
            yield AuditFailure(
                ACCOUNT,
                target.account_id,
                "has no active Shield Advanced subscription",
                "an ACTIVE subscription",
            )
            return
        protected = {
            p.get("ResourceArn")
            for page in shield.get_paginator("list_protections").paginate()
            for p in page.get("Protections", [])
        }
        for region in target.regions:
            for lb in internet_facing(target, region):
                if lb["LoadBalancerArn"] not in protected:
                    yield AuditFailure(
                        LOAD_BALANCER,
                        lb["LoadBalancerName"],
                        "is internet-facing without a Shield Advanced protection",
                        "a Shield Advanced protection",
                        region,
                        lb["LoadBalancerArn"],
                    )
