import dataclasses

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, provider, resource, stack

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


DETECTOR = "aws:guardduty/detector:Detector"
MEMBER = "aws:guardduty/member:Member"
RECORDER = "aws:cfg/recorder:Recorder"
CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel"
STATUS = "aws:cfg/recorderStatus:RecorderStatus"
SECURITY_ROLE = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"


def in_security(resource_type, name, props, region, **kw):
    """A resource created through a provider that assumes a role in the security account."""
    view = in_org(resource_type, name, props, region, **kw)
    security = provider(
        region, name=f"security-{region}", stack="org", assumeRoles=[{"roleArn": SECURITY_ROLE}]
    )
    return dataclasses.replace(view, provider=security)


def management(
    region,
    detector_in="management",
    member=True,
    status_enabled=True,
    status_after_channel=True,
    channel_after_recorder=True,
    preview=False,
):
    """The management account's own GuardDuty detector (a member of the administrator's) and AWS Config."""
    place = in_org if detector_in == "management" else in_security
    detector = place(DETECTOR, f"mgmt-detector-{region}", {"enable": True}, region)
    recorder = in_org(RECORDER, f"mgmt-recorder-{region}", {"name": "default"}, region)
    channel = in_org(
        CHANNEL,
        f"mgmt-channel-{region}",
        {"name": "default", "s3BucketName": "archive"},
        region,
        prop_deps={"__dependsOn": [recorder.urn]} if channel_after_recorder else None,
    )
    status = in_org(
        STATUS,
        f"mgmt-status-{region}",
        {"name": "default", "isEnabled": status_enabled},
        region,
        prop_deps={"__dependsOn": [channel.urn]} if status_after_channel else None,
    )
    out = [detector, recorder, channel, status]
    if member:
        out.append(
            in_security(
                MEMBER,
                f"mgmt-member-{region}",
                {
                    "accountId": UNKNOWN_STRING_VALUE if preview else "111111111111",
                    "detectorId": "admin-detector",
                    "email": "aws+management@example.jp",
                },
                region,
                prop_deps={"accountId": [detector.urn]},
                preview=preview,
            )
        )
    return out


def org(*resources):
    return stack(*resources, name="org")


def organization(region, **management_overrides):
    return [*guardduty(region), *management(region, **management_overrides)]


def compliant(**overrides):
    return org(*organization(REGIONS[0]), *organization(REGIONS[1]), *hub(**overrides))


def test_pass_compliant():
    assert outcome(RULE, compliant()) == "pass"


def test_pass_association_unknown_in_preview_still_traced():
    assert outcome(RULE, compliant(preview=True)) == "pass"


def test_na_without_delegated_administrator():
    assert outcome(RULE, org(resource("aws:s3/bucket:Bucket", "b", {}, stack="org"))) == "n/a"


@pytest.mark.parametrize("members", ["NEW", "NONE"])
def test_fail_members_not_all(members):
    view = org(
        *organization(REGIONS[0]), *guardduty(REGIONS[1], members=members), *management(REGIONS[1]), *hub()
    )
    assert messages(RULE, view) == [
        f"{ROOT}: region ap-northeast-3 has no GuardDuty organization configuration enabling all members "
        f"(autoEnableOrganizationMembers {members}); expected a guardduty.OrganizationConfiguration with "
        "autoEnableOrganizationMembers ALL in ap-northeast-3. [LOG-03]"
    ]


def test_fail_osaka_not_configured():
    view = org(*organization(REGIONS[0]), *management(REGIONS[1]), *hub())
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
        *management(REGIONS[0]),
        in_org(GD_FEATURE, "malware-new", {"name": "EBS_MALWARE_PROTECTION", "autoEnable": "NEW"}),
        *organization(REGIONS[1]),
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


def test_pass_management_membership_unknown_in_preview_still_traced():
    view = org(*organization(REGIONS[0]), *organization(REGIONS[1], preview=True), *hub())
    assert outcome(RULE, view) == "pass"


def test_fail_management_account_left_out_of_guardduty():
    # The Osaka detector is the security account's own, not the management account's.
    view = org(*organization(REGIONS[0]), *organization(REGIONS[1], detector_in="security"), *hub())
    assert messages(RULE, view) == [
        f"{ROOT}: region ap-northeast-3 has no GuardDuty detector in the management account (the account "
        "that makes the designations; auto-enable does not enrol it); expected a guardduty.Detector "
        "declared with the designating account's provider in ap-northeast-3. [LOG-03]"
    ]


def test_fail_management_detector_never_made_a_member():
    view = org(*organization(REGIONS[0], member=False), *organization(REGIONS[1]), *hub())
    assert messages(RULE, view) == [
        f"{ROOT}: region ap-northeast-1 does not add the management account's GuardDuty detector as a "
        "member; expected a guardduty.Member from the administrator's detector whose accountId is the "
        "management account's detector's accountId in ap-northeast-1. [LOG-03]"
    ]


def config_gap(region, missing):
    return (
        f"{ROOT}: region {region} does not record AWS Config in the management account (no {missing}); "
        "expected a cfg.Recorder, a cfg.DeliveryChannel depending on it and a cfg.RecorderStatus with "
        f"isEnabled true depending on the channel, declared with the designating account's provider in "
        f"{region}. [LOG-03]"
    )


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"status_enabled": False}, "enabled recorder status after the channel"),
        ({"status_after_channel": False}, "enabled recorder status after the channel"),
        (
            {"channel_after_recorder": False},
            "delivery channel after the recorder, enabled recorder status after the channel",
        ),
    ],
)
def test_fail_management_config_off_or_out_of_order(overrides, missing):
    view = org(*organization(REGIONS[0]), *organization(REGIONS[1], **overrides), *hub())
    assert messages(RULE, view) == [config_gap(REGIONS[1], missing)]


def test_fail_management_config_only_in_the_security_account():
    recorder, channel, status = (
        in_security(t, f"sec-{t.split(':')[-1]}", props, REGIONS[0], prop_deps=deps)
        for t, props, deps in (
            (RECORDER, {"name": "default"}, None),
            (CHANNEL, {"name": "default"}, None),
            (STATUS, {"name": "default", "isEnabled": True}, None),
        )
    )
    gd = [r for r in management(REGIONS[0]) if r.type in (DETECTOR, MEMBER)]
    view = org(*guardduty(REGIONS[0]), *gd, recorder, channel, status, *organization(REGIONS[1]), *hub())
    assert messages(RULE, view) == [
        config_gap(
            REGIONS[0],
            "recorder, delivery channel after the recorder, enabled recorder status after the channel",
        )
    ]
