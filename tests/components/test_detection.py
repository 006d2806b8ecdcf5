"""Detection: GuardDuty features, Security Hub FSBP, Config recorder and delivery, Inspector, per region."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.detection import Detection, DetectionArgs, validate_detection_args
from components.errors import ComponentInputError
from tests.pulumi_mocks import Run, assert_all_under, run

TENANT = "444444444444"
BUCKET = "log-archive-bucket"
KEY = "arn:aws:kms:ap-northeast-1:222222222222:key/abcd"


def args(**overrides: object) -> DetectionArgs:
    values: dict[str, Any] = {
        "region": "ap-northeast-1",
        "account_id": TENANT,
        "config_bucket_name": BUCKET,
        "config_kms_key_arn": KEY,
    }
    values.update(overrides)
    return DetectionArgs(**values)


def build(**overrides: object) -> Run:
    def program() -> Detection:
        detection_args = args(**overrides)
        provider = aws.Provider(
            "tenant",
            region=detection_args.region,
            assume_roles=[
                aws.ProviderAssumeRoleArgs(
                    role_arn=f"arn:aws:iam::{TENANT}:role/OrganizationAccountAccessRole"
                )
            ],
        )
        return Detection(
            "acme-prod-detection", detection_args, opts=pulumi.ResourceOptions(provider=provider)
        )

    return run(program)


@pytest.fixture(scope="module")
def tokyo() -> Run:
    return build()


@pytest.fixture(scope="module")
def osaka() -> Run:
    return build(region="ap-northeast-3")


def test_every_child_is_parented_and_uses_the_region_provider(tokyo: Run, osaka: Run) -> None:
    for result, region in ((tokyo, "ap-northeast-1"), (osaka, "ap-northeast-3")):
        component = result.one("tenant-zone:detection:Detection")
        assert_all_under(result, component.urn)
        for resource in result.descendants_of(component.urn):
            if resource.custom and not resource.type.startswith("aws:iam"):
                assert result.region_of(resource) == region, resource.name


def test_guardduty_with_s3_and_malware_protection(tokyo: Run) -> None:
    detector = tokyo.one("aws:guardduty/detector:Detector")
    assert detector.inputs["enable"] is True
    assert detector.inputs["findingPublishingFrequency"] == "FIFTEEN_MINUTES"
    features = {
        f.inputs["name"]: f.inputs for f in tokyo.of_type("aws:guardduty/detectorFeature:DetectorFeature")
    }
    assert {"S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION"} <= set(features)
    for feature in features.values():
        assert feature["status"] == "ENABLED"
        assert feature["detectorId"] == detector.outputs["id"]


def test_security_hub_subscribes_the_regional_fsbp_standard(tokyo: Run, osaka: Run) -> None:
    for result, region in ((tokyo, "ap-northeast-1"), (osaka, "ap-northeast-3")):
        hub = result.one("aws:securityhub/account:Account")
        assert hub.inputs["enableDefaultStandards"] is False
        subscription = result.one("aws:securityhub/standardsSubscription:StandardsSubscription")
        assert (
            subscription.inputs["standardsArn"]
            == f"arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"
        )
        assert hub.urn in subscription.dependencies


def test_config_records_everything_and_global_types_only_in_tokyo(tokyo: Run, osaka: Run) -> None:
    for result, global_types in ((tokyo, True), (osaka, False)):
        recorder = result.one("aws:cfg/recorder:Recorder").inputs
        assert recorder["recordingGroup"] == {
            "allSupported": True,
            "includeGlobalResourceTypes": global_types,
        }
        assert recorder["roleArn"] == result.one("aws:iam/role:Role").outputs["arn"]


def test_global_recording_can_be_forced() -> None:
    result = build(region="ap-northeast-3", record_global_resources=True)
    assert (
        result.one("aws:cfg/recorder:Recorder").inputs["recordingGroup"]["includeGlobalResourceTypes"] is True
    )


def test_config_delivers_to_the_log_archive_and_is_enabled(tokyo: Run) -> None:
    channel = tokyo.one("aws:cfg/deliveryChannel:DeliveryChannel")
    assert channel.inputs["s3BucketName"] == BUCKET
    assert channel.inputs["s3KeyPrefix"] == "config"
    assert channel.inputs["s3KmsKeyArn"] == KEY
    assert tokyo.one("aws:cfg/recorder:Recorder").urn in channel.dependencies
    status = tokyo.one("aws:cfg/recorderStatus:RecorderStatus")
    assert status.inputs["isEnabled"] is True
    assert channel.urn in status.dependencies


def test_config_role_is_a_protected_baseline_role(tokyo: Run) -> None:
    role = tokyo.one("aws:iam/role:Role")
    assert role.inputs["path"] == "/tenant-zone/"
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "config.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": TENANT}}
    managed = tokyo.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs
    assert managed["policyArn"] == "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
    inline = {
        s["Sid"]: s
        for s in json.loads(tokyo.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])["Statement"]
    }
    assert inline["DeliverToLogArchive"]["Resource"] == f"arn:aws:s3:::{BUCKET}/config/AWSLogs/{TENANT}/*"
    assert inline["EncryptDeliveries"]["Resource"] == KEY


def test_without_a_delivery_key_the_role_gets_no_kms_rights() -> None:
    result = build(config_kms_key_arn=None)
    sids = {
        s["Sid"]
        for s in json.loads(result.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])["Statement"]
    }
    assert sids == {"DeliverToLogArchive", "CheckLogArchiveAcl"}


def test_inspector_scans_ec2_ecr_lambda_of_the_account(tokyo: Run) -> None:
    enabler = tokyo.one("aws:inspector2/enabler:Enabler").inputs
    assert enabler["accountIds"] == [TENANT]
    assert sorted(enabler["resourceTypes"]) == ["EC2", "ECR", "LAMBDA"]


def test_organization_administered_account_keeps_only_its_config_recorder() -> None:
    result = build(organization_administered=True)
    for kind in (
        "aws:guardduty/detector:Detector",
        "aws:guardduty/detectorFeature:DetectorFeature",
        "aws:securityhub/account:Account",
        "aws:securityhub/standardsSubscription:StandardsSubscription",
        "aws:inspector2/enabler:Enabler",
    ):
        assert result.of_type(kind) == [], kind
    assert result.one("aws:cfg/recorderStatus:RecorderStatus").inputs["isEnabled"] is True
    assert result.value.detector_id is None


def test_the_administrator_can_leave_its_own_inspector_to_the_organization_enabler() -> None:
    result = build(enable_inspector=False)
    assert result.of_type("aws:inspector2/enabler:Enabler") == []
    assert len(result.of_type("aws:guardduty/detector:Detector")) == 1


def test_outputs(tokyo: Run) -> None:
    assert tokyo.value.detector_id is not None
    assert (
        tokyo.resolve(tokyo.value.detector_id) == tokyo.one("aws:guardduty/detector:Detector").outputs["id"]
    )
    assert tokyo.resolve(tokyo.value.config_recorder_name) == "default"


PREFIX = "Detection acme-prod-detection: "


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"region": "us-east-1"},
            "region = 'us-east-1' is outside Japan; expected one of ap-northeast-1, ap-northeast-3. [RES-01]",
        ),
        (
            {"guardduty_features": ["EBS_MALWARE_PROTECTION"]},
            (
                "guardduty_features lacks S3_DATA_EVENTS; expected S3 protection (S3_DATA_EVENTS) and malware"
                " protection (EBS_MALWARE_PROTECTION) enabled. [LOG-03]"
            ),
        ),
        (
            {"guardduty_features": ["S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "S3_PROTECTION"]},
            (
                "guardduty_features contains unknown feature(s) S3_PROTECTION; expected names among"
                " EBS_MALWARE_PROTECTION, EKS_AUDIT_LOGS, EKS_RUNTIME_MONITORING, LAMBDA_NETWORK_LOGS,"
                " RDS_LOGIN_EVENTS, RUNTIME_MONITORING, S3_DATA_EVENTS. [LOG-03]"
            ),
        ),
        (
            {"inspector_resource_types": ["EC2", "ECR"]},
            (
                "inspector_resource_types lacks LAMBDA; expected Inspector scanning of EC2, ECR, LAMBDA."
                " [VUL-01]"
            ),
        ),
        (
            {"finding_publishing_frequency": "DAILY"},
            (
                "finding_publishing_frequency = 'DAILY' is not a GuardDuty frequency; expected one of"
                " FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS (FIFTEEN_MINUTES keeps alerts within minutes)."
                " [LOG-05]"
            ),
        ),
    ],
)
def test_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_detection_args("acme-prod-detection", args(**overrides))
    assert str(caught.value) == PREFIX + message


def test_the_component_runs_the_validation() -> None:
    with pytest.raises(ComponentInputError, match="guardduty_features lacks S3_DATA_EVENTS"):
        build(guardduty_features=["EBS_MALWARE_PROTECTION"])


def test_config_prefix_and_tags_are_reflected() -> None:
    result = build(config_key_prefix="org-config", tags={"cost-center": "security"})
    channel = result.one("aws:cfg/deliveryChannel:DeliveryChannel").inputs
    assert channel["s3KeyPrefix"] == "org-config"
    policy = json.loads(result.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    deliver = next(s for s in policy["Statement"] if s["Sid"] == "DeliverToLogArchive")
    assert deliver["Resource"] == f"arn:aws:s3:::{BUCKET}/org-config/AWSLogs/{TENANT}/*"
    assert result.one("aws:guardduty/detector:Detector").tags == {"cost-center": "security"}
    assert result.one("aws:iam/role:Role").tags == {"cost-center": "security"}
