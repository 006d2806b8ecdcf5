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

Neither reaches the management account (the account that makes the designations: only it may,
https://docs.aws.amazon.com/guardduty/latest/APIReference/API_EnableOrganizationAdminAccount.html), so in each
region the program must also declare there, with the designating provider's identity:

- a GuardDuty detector, added as a member by the administrator (a ``guardduty.Member`` whose ``accountId`` is
  that detector's): "Before the management account gets added as a GuardDuty member, it must have GuardDuty
  enabled" (https://docs.aws.amazon.com/guardduty/latest/ug/add-member-accounts-guardduty-organization.html);
- AWS Config, which has no organization auto-enable: a recorder, a delivery channel after it and an enabled
  recorder status after the channel, AWS's order
  (https://docs.aws.amazon.com/config/latest/APIReference/API_PutDeliveryChannel.html).

A program that configures neither service for the organization is judged by ``detection_both_regions`` in
each account instead: not applicable only when it designates no delegated administrator for them.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, dig, truthy
from policies.parameters import JAPAN_REGIONS
from policies.rules._common.accounts import provider_accounts
from policies.rules._common.values import strings

GD_DESIGNATION = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
HUB_DESIGNATION = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
GD_ORG = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
GD_ORG_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
HUB_ORG = "aws:securityhub/organizationConfiguration:OrganizationConfiguration"
HUB_POLICY = "aws:securityhub/configurationPolicy:ConfigurationPolicy"
HUB_ASSOCIATION = "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
REQUIRED_FEATURES = ("S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION")
GD_DETECTOR = "aws:guardduty/detector:Detector"
GD_MEMBER = "aws:guardduty/member:Member"
CONFIG_RECORDER = "aws:cfg/recorder:Recorder"
CONFIG_CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel"
CONFIG_STATUS = "aws:cfg/recorderStatus:RecorderStatus"
FSBP = "aws-foundational-security-best-practices"


def _upper(value: object) -> str:
    return str(value or "").strip().upper()


def _enables_fsbp(policy: ResourceView) -> bool:
    body = policy.props.get("configurationPolicy")
    standards = dig(body, "enabledStandardArns") or []
    return truthy(dig(body, "serviceEnabled")) and any(FSBP in str(arn) for arn in standards)


_Identity = tuple[tuple[str, ...], tuple[str, ...], str]


def _identity(resource: ResourceView) -> _Identity:
    """Which account a resource's provider acts in, region aside: its assumed roles' accounts, its allowed
    accounts and its profile (none of them: the caller's own credentials)."""
    provider = resource.provider
    if provider is None:
        return ((), (), "")
    return (
        tuple(provider_accounts(provider)),
        tuple(sorted(strings(provider.prop("allowedAccountIds")))),
        str(provider.prop("profile") or ""),
    )


def _same_account(one: _Identity, other: _Identity) -> bool:
    """Both act in the same account: the same assumed roles' accounts and profile, and allowed accounts that
    agree where both state them (the designating provider often leaves them out)."""
    return one[0] == other[0] and one[2] == other[2] and (one[1] == other[1] or not one[1] or not other[1])


def _follows(later: ResourceView, earlier: ResourceView) -> bool:
    """``later`` waits for ``earlier``: an explicit (``dependsOn``) or a property dependency."""
    return earlier.urn in later.dependencies or any(
        earlier.urn in deps for deps in later.property_dependencies.values()
    )


def _management_gaps(stack: StackView, region: str, management: set[_Identity]) -> Iterator[Failure]:
    def here(*types: str) -> list[ResourceView]:
        return [
            r
            for r in stack.of_type(*types)
            if r.region == region and any(_same_account(_identity(r), m) for m in management)
        ]

    detectors = here(GD_DETECTOR)
    if not detectors:
        yield Failure(
            f"region {region} has no GuardDuty detector in the management account (the account that makes "
            "the designations; auto-enable does not enrol it)",
            f"a guardduty.Detector declared with the designating account's provider in {region}",
        )
    elif not any(
        {r.urn for r in stack.referenced(m, "accountId", GD_DETECTOR)} & {d.urn for d in detectors}
        for m in stack.of_type(GD_MEMBER)
        if m.region == region
    ):
        yield Failure(
            f"region {region} does not add the management account's GuardDuty detector as a member",
            f"a guardduty.Member from the administrator's detector whose accountId is the management "
            f"account's detector's accountId in {region}",
        )
    recorders = here(CONFIG_RECORDER)
    channels = [c for c in here(CONFIG_CHANNEL) if any(_follows(c, r) for r in recorders)]
    statuses = [
        s
        for s in here(CONFIG_STATUS)
        if truthy(s.props.get("isEnabled")) and any(_follows(s, c) for c in channels)
    ]
    missing = [
        what
        for what, found in (
            ("recorder", recorders),
            ("delivery channel after the recorder", channels),
            ("enabled recorder status after the channel", statuses),
        )
        if not found
    ]
    if missing:
        yield Failure(
            f"region {region} does not record AWS Config in the management account (no {', '.join(missing)})",
            "a cfg.Recorder, a cfg.DeliveryChannel depending on it and a cfg.RecorderStatus with isEnabled "
            f"true depending on the channel, declared with the designating account's provider in {region}",
        )


class DetectionAutoEnable(StackRule):
    id = "detection_auto_enable"
    description = (
        "The org stack enables GuardDuty (all members, S3 and malware protection) in ap-northeast-1 and "
        "ap-northeast-3 and Security Hub (central configuration, AWS Foundational Security Best Practices) "
        "for every account of the organization, and the management account, which auto-enable leaves out, "
        "has its own GuardDuty detector (a member of the administrator's) and AWS Config recorder in both."
    )
    remediation = (
        "In the delegated administrator account: a guardduty.OrganizationConfiguration with "
        "autoEnableOrganizationMembers ALL and OrganizationConfigurationFeature S3_DATA_EVENTS and "
        "EBS_MALWARE_PROTECTION with autoEnable ALL per region; a securityhub.OrganizationConfiguration with "
        "configurationType CENTRAL, a ConfigurationPolicy with serviceEnabled true and the FSBP standard, "
        "and a ConfigurationPolicyAssociation of it with the root. In the management account, per region: "
        "a guardduty.Detector added by a guardduty.Member from the administrator's detector, and a "
        "cfg.Recorder, DeliveryChannel and enabled RecorderStatus, in that order."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        designations = list(stack.of_type(GD_DESIGNATION, HUB_DESIGNATION))
        if not designations:
            raise NotApplicable("the program designates no GuardDuty or Security Hub delegated administrator")
        management = {_identity(d) for d in designations}
        for region in JAPAN_REGIONS:
            yield from _management_gaps(stack, region, management)
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
