"""The organization switches Amazon Inspector on for its member accounts in both Japanese regions (VUL-01).

Once the security account is Inspector's delegated administrator, member accounts are its members, and the
administrator, not the member's own stack, activates their scans. Auto-enable covers only accounts that join
later (https://docs.aws.amazon.com/inspector/v2/APIReference/API_UpdateOrganizationConfiguration.html), so in
each region the org stack needs both an ``OrganizationConfiguration`` with ``autoEnable`` ``ec2``, ``ecr`` and
``lambda`` true, and an ``Enabler`` (``Enable`` with the accounts' IDs:
https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html) for EC2, ECR and LAMBDA that activates
the accounts already there. Not applicable when the program designates no Inspector delegated administrator.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView, as_list, truthy
from policies.parameters import JAPAN_REGIONS

DESIGNATION = "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount"
ORG_CONFIG = "aws:inspector2/organizationConfiguration:OrganizationConfiguration"
ENABLER = "aws:inspector2/enabler:Enabler"
AUTO_ENABLE = (("ec2", "EC2"), ("ecr", "ECR"), ("lambda", "LAMBDA"))
REQUIRED = tuple(kind for _, kind in AUTO_ENABLE)


class InspectorAutoEnable(StackRule):
    id = "inspector_auto_enable"
    description = (
        "The org stack, as Inspector's delegated administrator, auto-enables EC2, ECR and Lambda scanning "
        "for new members and activates it for the existing ones, in ap-northeast-1 and ap-northeast-3."
    )
    remediation = (
        "In each region, through the administrator's provider: an inspector2.OrganizationConfiguration with "
        "autoEnable ec2, ecr and lambda true, and an inspector2.Enabler with resourceTypes EC2, ECR, LAMBDA "
        "listing the organization's accounts."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if not any(stack.of_type(DESIGNATION)):
            raise NotApplicable("the program designates no Inspector delegated administrator")
        for region in JAPAN_REGIONS:
            auto = set()
            for config in stack.of_type(ORG_CONFIG):
                if config.region == region:
                    block = config.props.get("autoEnable") or {}
                    auto |= {kind for key, kind in AUTO_ENABLE if truthy(block.get(key))}
            missing = [kind for kind in REQUIRED if kind not in auto]
            if missing:
                yield Failure(
                    f"region {region} does not auto-enable Inspector scanning of {', '.join(missing)}",
                    "an inspector2.OrganizationConfiguration with autoEnable ec2, ecr and lambda true in "
                    + region,
                )
            activated = {
                str(t).upper()
                for e in stack.of_type(ENABLER)
                if e.region == region
                for t in as_list(e.props.get("resourceTypes"))
            }
            unscanned = [kind for kind in REQUIRED if kind not in activated]
            if unscanned:
                yield Failure(
                    f"region {region} activates no Inspector scanning of {', '.join(unscanned)} for the "
                    "accounts already in the organization",
                    f"an inspector2.Enabler with resourceTypes {', '.join(REQUIRED)} listing them in "
                    + region,
                )
