import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack

RULE = "detection_auto_enable"
REGIONS = ("ap-northeast-1", "ap-northeast-3")
ROOT = "pulumi:pulumi:Stack tenant-zone-org"
GD_ORG = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
GD_FEATURE = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
HUB_ORG = "aws:securityhub/organizationConfiguration:OrganizationConfiguration"
POLICY = "aws:securityhub/configurationPolicy:ConfigurationPolicy"
ASSOCIATION = "aws:securityhub/configurationPolicyAssociation:ConfigurationPolicyAssociation"
FSBP = "arn:aws:securityhub:ap-northeast-1::standards/aws-foundational-security-best-practices/v/1.0.0"


def in_org(resource_type, name, props, region="ap-northeast-1", **kw):
    return resource(resource_type, name, props, region=region, stack="org", **kw)


def guardduty(region, members="ALL", features=("S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION"), auto="ALL"):
    out = [
        in_org(
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            f"admin-{region}",
            {"adminAccountId": "222222222222"},
            region,
        ),
        in_org(
            GD_ORG, f"gd-org-{region}", {"autoEnableOrganizationMembers": members, "detectorId": "d"}, region
        ),
    ]
    out += [
        in_org(GD_FEATURE, f"gd-{region}-{f}", {"name": f, "autoEnable": auto, "detectorId": "d"}, region)
        for f in features
    ]
    return out


def hub(configuration_type="CENTRAL", enabled=True, standards=(FSBP,), associate=True, preview=False):
    policy = in_org(
        POLICY,
        "policy",
        {"configurationPolicy": {"serviceEnabled": enabled, "enabledStandardArns": list(standards)}},
    )
    out = [
        in_org(HUB_ORG, "hub-org", {"organizationConfiguration": {"configurationType": configuration_type}}),
        policy,
    ]
    if associate:
        out.append(
            in_org(
                ASSOCIATION,
                "root",
                {"policyId": UNKNOWN_STRING_VALUE if preview else "p-1", "targetId": "r-abcd"},
                prop_deps={"policyId": [policy.urn]},
                preview=preview,
            )
        )
    return out


def org(*resources):
    return stack(*resources, name="org")


def compliant(**overrides):
    return org(*guardduty(REGIONS[0]), *guardduty(REGIONS[1]), *hub(**overrides))


def test_pass_compliant():
    assert outcome(RULE, compliant()) == "pass"


def test_pass_association_unknown_in_preview_still_traced():
    assert outcome(RULE, compliant(preview=True)) == "pass"


def test_na_without_delegated_administrator():
    assert outcome(RULE, org(resource("aws:s3/bucket:Bucket", "b", {}, stack="org"))) == "n/a"


@pytest.mark.parametrize("members", ["NEW", "NONE"])
def test_fail_members_not_all(members):
    view = org(*guardduty(REGIONS[0]), *guardduty(REGIONS[1], members=members), *hub())
    assert messages(RULE, view) == [
        f"{ROOT}: region ap-northeast-3 has no GuardDuty organization configuration enabling all members "
        f"(autoEnableOrganizationMembers {members}); expected a guardduty.OrganizationConfiguration with "
        "autoEnableOrganizationMembers ALL in ap-northeast-3. [LOG-03]"
    ]


def test_fail_osaka_not_configured():
    view = org(*guardduty(REGIONS[0]), *hub())
    assert messages(RULE, view) == [
        f"{ROOT}: region ap-northeast-3 has no GuardDuty organization configuration enabling all members; "
        "expected a guardduty.OrganizationConfiguration with autoEnableOrganizationMembers ALL in "
        "ap-northeast-3. [LOG-03]",
        f"{ROOT}: region ap-northeast-3 does not auto-enable S3_DATA_EVENTS, EBS_MALWARE_PROTECTION for all "
        "members; expected a guardduty.OrganizationConfigurationFeature with autoEnable ALL for each of "
        "S3_DATA_EVENTS, EBS_MALWARE_PROTECTION in ap-northeast-3. [LOG-03]",
    ]


def test_fail_malware_protection_only_for_new_members():
    view = org(
        *guardduty(REGIONS[0], features=("S3_DATA_EVENTS",)),
        in_org(GD_FEATURE, "malware-new", {"name": "EBS_MALWARE_PROTECTION", "autoEnable": "NEW"}),
        *guardduty(REGIONS[1]),
        *hub(),
    )
    assert messages(RULE, view) == [
        f"{ROOT}: region ap-northeast-1 does not auto-enable EBS_MALWARE_PROTECTION for all members; "
        "expected a guardduty.OrganizationConfigurationFeature with autoEnable ALL for each of "
        "S3_DATA_EVENTS, EBS_MALWARE_PROTECTION in ap-northeast-1. [LOG-03]"
    ]


def test_fail_security_hub_local_configuration():
    assert messages(RULE, compliant(configuration_type="LOCAL")) == [
        f"{ROOT}: Security Hub is not centrally configured for the organization; expected a "
        "securityhub.OrganizationConfiguration with organizationConfiguration.configurationType CENTRAL. "
        "[LOG-03]"
    ]


NO_POLICY = (
    f"{ROOT}: no associated Security Hub configuration policy enables the service with "
    "aws-foundational-security-best-practices; expected a securityhub.ConfigurationPolicy with "
    "serviceEnabled true and the FSBP standard, and a ConfigurationPolicyAssociation of it with the root. "
    "[LOG-03]"
)


@pytest.mark.parametrize(
    "overrides",
    [
        {"enabled": False},
        {
            "standards": (
                "arn:aws:securityhub:ap-northeast-1::standards/cis-aws-foundations-benchmark/v/1.4.0",
            )
        },
        {"associate": False},
    ],
)
def test_fail_policy_off_without_fsbp_or_unassociated(overrides):
    assert messages(RULE, compliant(**overrides)) == [NO_POLICY]
