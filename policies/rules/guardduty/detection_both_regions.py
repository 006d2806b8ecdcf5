"""Each tenant account runs GuardDuty, Security Hub (FSBP) and AWS Config in Tokyo and in Osaka (LOG-03).

Security Hub: an ``Account`` in the region, and AWS Foundational Security Best
Practices either through a ``StandardsSubscription`` whose ``standardsArn``
names ``aws-foundational-security-best-practices`` or through the account's
``enableDefaultStandards`` (AWS default true, which subscribes FSBP and CIS).
Config: a ``Recorder``, a ``DeliveryChannel`` and a ``RecorderStatus`` with
``isEnabled`` true, all in the region. The org stack builds the organization,
not a tenant baseline: not applicable there.

GuardDuty and Security Hub are judged only in a stack that enables either itself (a detector or a hub
anywhere): then both, in both regions. A tenant stack with neither leaves them to its organization, whose
auto-enable a create in the member account would collide with; the org stack is judged for that by
``detection_auto_enable``. AWS Config has no organization auto-enable: it is judged in every tenant stack.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView, truthy
from policies.parameters import JAPAN_REGIONS
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.values import is_false

DETECTOR = "aws:guardduty/detector:Detector"
HUB_ACCOUNT = "aws:securityhub/account:Account"
STANDARDS_SUBSCRIPTION = "aws:securityhub/standardsSubscription:StandardsSubscription"
RECORDER = "aws:cfg/recorder:Recorder"
DELIVERY_CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel"
RECORDER_STATUS = "aws:cfg/recorderStatus:RecorderStatus"
FSBP = "aws-foundational-security-best-practices"


class DetectionBothRegions(StackRule):
    id = "detection_both_regions"
    description = (
        "A tenant stack enables, in both ap-northeast-1 and ap-northeast-3, an AWS Config recorder with a "
        "delivery channel and an enabled recorder status, and, unless it leaves them to its organization's "
        "auto-enable, a GuardDuty detector and Security Hub with AWS Foundational Security Best Practices."
    )
    remediation = (
        "Create, through the provider of each region, a cfg.Recorder with a cfg.DeliveryChannel and a "
        "cfg.RecorderStatus (isEnabled true); unless the organization's security account auto-enables them, "
        "also a guardduty.Detector and a securityhub.Account with a StandardsSubscription to "
        "aws-foundational-security-best-practices."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if is_org_stack(stack):
            raise NotApplicable("the org stack does not hold a tenant baseline")
        present: dict[str, set[str]] = {region: set() for region in JAPAN_REGIONS}
        relevant = (
            DETECTOR,
            HUB_ACCOUNT,
            STANDARDS_SUBSCRIPTION,
            RECORDER,
            DELIVERY_CHANNEL,
            RECORDER_STATUS,
        )
        for resource in stack.of_type(*relevant):
            region = resource.region
            if region not in present:
                continue
            kinds = present[region]
            if resource.type == HUB_ACCOUNT:
                kinds.add(HUB_ACCOUNT)
                if not is_false(resource.props.get("enableDefaultStandards")):
                    kinds.add(FSBP)
            elif resource.type == STANDARDS_SUBSCRIPTION:
                if FSBP in str(resource.props.get("standardsArn") or ""):
                    kinds.add(FSBP)
            elif resource.type == RECORDER_STATUS:
                if truthy(resource.props.get("isEnabled")):
                    kinds.add(RECORDER_STATUS)
            else:
                kinds.add(resource.type)
        expectations = (
            (DETECTOR, "no GuardDuty detector", "a guardduty.Detector"),
            (HUB_ACCOUNT, "no Security Hub account", "a securityhub.Account"),
            (
                FSBP,
                "no Security Hub subscription to AWS Foundational Security Best Practices",
                f"a securityhub.StandardsSubscription to {FSBP} (or enableDefaultStandards left on)",
            ),
            (RECORDER, "no AWS Config recorder", "a cfg.Recorder"),
            (DELIVERY_CHANNEL, "no AWS Config delivery channel", "a cfg.DeliveryChannel"),
            (
                RECORDER_STATUS,
                "no enabled AWS Config recorder status",
                "a cfg.RecorderStatus with isEnabled true",
            ),
        )
        self_enabled = any(kinds & {DETECTOR, HUB_ACCOUNT} for kinds in present.values())
        for region, kinds in present.items():
            for kind, missing, expected in expectations:
                if kind in (DETECTOR, HUB_ACCOUNT, FSBP) and not self_enabled:
                    continue
                if kind not in kinds:
                    yield Failure(f"region {region} has {missing}", f"{expected} in {region}")
