"""ManagementDetection: the management account's detector, its membership and its AWS Config recorder."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from components.errors import ComponentInputError
from components.management_detection import ManagementDetection, ManagementDetectionArgs
from tests.pulumi_mocks import Run, run

REGION = "ap-northeast-3"


def build(region: str = REGION, with_after: bool = True, frequency: str = "FIFTEEN_MINUTES") -> Run:
    def program() -> ManagementDetection:
        security = aws.Provider("security", region=REGION)
        management = aws.Provider("management", region=REGION)
        designation = aws.guardduty.OrganizationAdminAccount(
            "designation", admin_account_id="222222222222", region=REGION
        )
        return ManagementDetection(
            "management",
            ManagementDetectionArgs(
                region=region,
                management_account_email="aws+management@example.jp",
                security_provider=security,
                administrator_detector_id="admin-detector",
                config_bucket_name="archive",
                config_kms_key_arn="arn:aws:kms:ap-northeast-1:333333333333:key/k",
                after=[designation] if with_after else [],
                finding_publishing_frequency=frequency,
            ),
            opts=pulumi.ResourceOptions(provider=management),
        )

    return run(program)


@pytest.fixture(scope="module")
def built() -> Run:
    return build()


def test_the_member_follows_the_detector_its_plans_and_the_designation(built: Run) -> None:
    detector = built.one("aws:guardduty/detector:Detector")
    member = built.one("aws:guardduty/member:Member")
    plans = built.of_type("aws:guardduty/detectorFeature:DetectorFeature")
    assert sorted(p.inputs["name"] for p in plans) == ["EBS_MALWARE_PROTECTION", "S3_DATA_EVENTS"]
    designation = built.one("aws:guardduty/organizationAdminAccount:OrganizationAdminAccount")
    for earlier in (detector, designation, *plans):
        assert earlier.urn in member.dependencies, earlier.name
    assert member.property_dependencies["accountId"] == [detector.urn]
    assert member.inputs["detectorId"] == "admin-detector"
    assert member.inputs["invite"] is False
    assert built.by_urn(member.provider_urn).name == "security"
    assert built.by_urn(detector.provider_urn).name == "management"


def test_config_records_in_the_management_account_in_aws_order(built: Run) -> None:
    recorder = built.one("aws:cfg/recorder:Recorder")
    channel = built.one("aws:cfg/deliveryChannel:DeliveryChannel")
    status = built.one("aws:cfg/recorderStatus:RecorderStatus")
    assert recorder.urn in channel.dependencies and channel.urn in status.dependencies
    assert channel.inputs["s3BucketName"] == "archive"
    assert status.inputs["isEnabled"] is True
    assert recorder.inputs["recordingGroup"]["includeGlobalResourceTypes"] is False  # Osaka: not the primary
    assert all(built.region_of(r) == REGION for r in (recorder, channel, status))
    # the organization's services are the administrator's: no hub, no enabler of the account's own
    assert built.of_type("aws:securityhub/account:Account") == []
    assert built.of_type("aws:inspector2/enabler:Enabler") == []


def test_bad_inputs_are_refused_together() -> None:
    with pytest.raises(ComponentInputError) as caught:
        build(region="us-east-1", with_after=False, frequency="DAILY")
    assert str(caught.value).splitlines() == [
        "ManagementDetection management: region = 'us-east-1' is outside Japan; expected one of "
        "ap-northeast-1, ap-northeast-3. [RES-01]",
        "ManagementDetection management: after is empty; expected the region's GuardDuty designation and "
        "organization configuration, which the membership follows. [LOG-03]",
        "ManagementDetection management: finding_publishing_frequency = 'DAILY' is not a GuardDuty "
        "frequency; expected one of FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS. [LOG-05]",
    ]
