"""The organization switches GuardDuty and Security Hub on in every member account (LOG-03).

A member account's own stack cannot create its detector or hub once the organization does (the create fails
with "already exists"), so the org stack holds the control for every account:

- GuardDuty, in each Japanese region: an ``OrganizationConfiguration`` with
  ``autoEnableOrganizationMembers = ALL`` (``NEW`` leaves the accounts the organization already has without a
  detector) and ``OrganizationConfigurationFeature`` S3_DATA_EVENTS and EBS_MALWARE_PROTECTION with
  ``autoEnable = ALL`` (https://docs.aws.amazon.com/guardduty/latest/ug/set-guardduty-auto-enable-preferences.html).
- Security Hub: central configuration (an ``OrganizationConfiguration`` whose ``organizationConfiguration``
  has ``configurationType = CENTRAL``) with a ``ConfigurationPolicy`` that turns the service on with AWS
  Foundational Security Best Practices, associated by a ``ConfigurationPolicyAssociation``; the policy covers
  the home region and the regions the finding aggregator links
  (https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html).

A program that configures neither service for the organization is judged by ``detection_both_regions`` in
each account instead: not applicable only when it designates no delegated administrator for them.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, dig, truthy
from policies.parameters import JAPAN_REGIONS

GD_DESIGNATION = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
HUB_DESIGNATION = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
GD_ORG = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
GD_ORG_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
HUB_ORG = "aws:securityhub/organizationConfiguration:OrganizationConfiguration"
HUB_POLICY = "aws:securityhub/configurationPolicy:ConfigurationPolicy"
HUB_ASSOCIATION = "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
REQUIRED_FEATURES = ("S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION")
FSBP = "aws-foundational-security-best-practices"


def _upper(value: object) -> str:
    return str(value or "").strip().upper()


def _enables_fsbp(policy: ResourceView) -> bool:
    body = policy.props.get("configurationPolicy")
    standards = dig(body, "enabledStandardArns") or []
    return truthy(dig(body, "serviceEnabled")) and any(FSBP in str(arn) for arn in standards)


class DetectionAutoEnable(StackRule):
    id = "detection_auto_enable"
    description = (
        "The org stack enables GuardDuty (all members, S3 and malware protection) in ap-northeast-1 and "
        "ap-northeast-3 and Security Hub (central configuration, AWS Foundational Security Best Practices) "
        "for every account of the organization."
    )
    remediation = (
        "In the delegated administrator account: a guardduty.OrganizationConfiguration with "
        "autoEnableOrganizationMembers ALL and OrganizationConfigurationFeature S3_DATA_EVENTS and "
        "EBS_MALWARE_PROTECTION with autoEnable ALL per region; a securityhub.OrganizationConfiguration with "
        "configurationType CENTRAL, a ConfigurationPolicy with serviceEnabled true and the FSBP standard, "
        "and a ConfigurationPolicyAssociation of it with the root."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if not any(stack.of_type(GD_DESIGNATION, HUB_DESIGNATION)):
            raise NotApplicable("the program designates no GuardDuty or Security Hub delegated administrator")
        for region in JAPAN_REGIONS:
            configs = [r for r in stack.of_type(GD_ORG) if r.region == region]
            if not any(_upper(c.props.get("autoEnableOrganizationMembers")) == "ALL" for c in configs):
                shown = ", ".join(
                    sorted({_upper(c.props.get("autoEnableOrganizationMembers")) for c in configs})
                )
                yield Failure(
                    f"region {region} has no GuardDuty organization configuration enabling all members"
                    + (f" (autoEnableOrganizationMembers {shown})" if shown else ""),
                    "a guardduty.OrganizationConfiguration with autoEnableOrganizationMembers ALL in "
                    + region,
                )
            features = {
                _upper(f.props.get("name"))
                for f in stack.of_type(GD_ORG_FEATURE)
                if f.region == region and _upper(f.props.get("autoEnable")) == "ALL"
            }
            missing = [f for f in REQUIRED_FEATURES if f not in features]
            if missing:
                yield Failure(
                    f"region {region} does not auto-enable {', '.join(missing)} for all members",
                    f"a guardduty.OrganizationConfigurationFeature with autoEnable ALL for each of "
                    f"{', '.join(REQUIRED_FEATURES)} in {region}",
                )
        central = [
            r
            for r in stack.of_type(HUB_ORG)
            if _upper(dig(r.props.get("organizationConfiguration"), "configurationType")) == "CENTRAL"
        ]
        if not central:
            yield Failure(
                "Security Hub is not centrally configured for the organization",
                "a securityhub.OrganizationConfiguration with "
                "organizationConfiguration.configurationType CENTRAL",
            )
        policies = [p for p in stack.of_type(HUB_POLICY) if _enables_fsbp(p)]
        associated = [
            p
            for p in policies
            if any(stack.referenced(a, "policyId", HUB_POLICY) == [p] for a in stack.of_type(HUB_ASSOCIATION))
        ]
        if not associated:
            yield Failure(
                "no associated Security Hub configuration policy enables the service with " + FSBP,
                "a securityhub.ConfigurationPolicy with serviceEnabled true and the FSBP standard, and a "
                "ConfigurationPolicyAssociation of it with the root",
            )
