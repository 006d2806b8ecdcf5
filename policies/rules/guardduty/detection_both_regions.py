"""Each tenant account runs GuardDuty, Security Hub (FSBP) and AWS Config in Tokyo and in Osaka (LOG-03).

Security Hub: an ``Account`` in the region, and AWS Foundational Security Best
Practices either through a ``StandardsSubscription`` whose ``standardsArn``
names ``aws-foundational-security-best-practices`` or through the account's
``enableDefaultStandards`` (AWS default true, which subscribes FSBP and CIS).
Config: a ``Recorder``, a ``DeliveryChannel`` and a ``RecorderStatus`` with
``isEnabled`` true, all in the region. The org stack builds the organization,
not a tenant baseline: not applicable there.
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
        "A tenant stack enables, in both ap-northeast-1 and ap-northeast-3, a GuardDuty detector, "
        "Security Hub with AWS Foundational Security Best Practices, and an AWS Config recorder with a "
        "delivery channel and an enabled recorder status."
    )
    remediation = (
        "Create, through the provider of each region, a guardduty.Detector, a securityhub.Account with a "
        "StandardsSubscription to aws-foundational-security-best-practices, and a cfg.Recorder with a "
        "cfg.DeliveryChannel and a cfg.RecorderStatus (isEnabled true)."
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
        for region, kinds in present.items():
            for kind, missing, expected in expectations:
                if kind not in kinds:
                    yield Failure(f"region {region} has {missing}", f"{expected} in {region}")
