"""The management account's own detection, the key-policy recovery path, the EBS default key's malware-scan
grant and Inspector's activation batches, asserted on the shipped stacks' synth JSON."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from typing import Any

import pytest

from tests.stacks.shipped import synth

REGIONS = ("ap-northeast-1", "ap-northeast-3")


def of_type(state: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in state["resources"] if r["type"] == resource_type]


def provider_of(state: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in of_type(state, "pulumi:providers:aws") if r["urn"] == resource["provider"])


@pytest.fixture(scope="module")
def org() -> dict[str, Any]:
    return synth("org")


def in_management(state: dict[str, Any], resource_type: str, region: str) -> list[dict[str, Any]]:
    """Resources of the type declared with the caller's own credentials, allowed in the management account
    only."""
    management = [state["outputs"]["managementAccountId"]]
    found = []
    for r in of_type(state, resource_type):
        inputs = provider_of(state, r)["inputs"]
        if r["region"] == region and "assumeRoles" not in inputs:
            assert json.loads(inputs["allowedAccountIds"]) == management, r["name"]
            found.append(r)
    return found


@pytest.mark.parametrize("region", REGIONS)
def test_the_management_account_is_a_guardduty_member_of_the_security_account(
    org: dict[str, Any], region: str
) -> None:
    management = org["outputs"]["managementAccountId"]
    security = org["outputs"]["securityAccountId"]
    (detector,) = in_management(org, "aws:guardduty/detector:Detector", region)
    assert detector["outputs"]["accountId"] == management
    assert org["outputs"]["guardDutyDetectorIds"]["management"][region] == detector["id"]
    plans = {
        r["inputs"]["name"]: r["inputs"]["status"]
        for r in of_type(org, "aws:guardduty/detectorFeature:DetectorFeature")
        if r["inputs"]["detectorId"] == detector["id"]
    }
    assert plans == {"S3_DATA_EVENTS": "ENABLED", "EBS_MALWARE_PROTECTION": "ENABLED"}
    (member,) = [r for r in of_type(org, "aws:guardduty/member:Member") if r["region"] == region]
    assert member["inputs"]["accountId"] == management
    assert member["inputs"]["detectorId"] == org["outputs"]["guardDutyDetectorIds"]["security"][region]
    assert json.loads(provider_of(org, member)["inputs"]["allowedAccountIds"]) == [security]
    # The management account has GuardDuty on before it is added, and the administrator adds it only once
    # designated there and once the organization configuration it then applies exists.
    (designation,) = [
        r
        for r in of_type(org, "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount")
        if r["inputs"]["region"] == region
    ]
    (configuration,) = [
        r
        for r in of_type(org, "aws:guardduty/organizationConfiguration:OrganizationConfiguration")
        if r["region"] == region
    ]
    for earlier in (detector, designation, configuration):
        assert earlier["urn"] in member["dependencies"], earlier["name"]


@pytest.mark.parametrize("region", REGIONS)
def test_the_management_account_records_aws_config_into_the_log_archive(
    org: dict[str, Any], region: str
) -> None:
    (recorder,) = in_management(org, "aws:cfg/recorder:Recorder", region)
    (channel,) = in_management(org, "aws:cfg/deliveryChannel:DeliveryChannel", region)
    (status,) = in_management(org, "aws:cfg/recorderStatus:RecorderStatus", region)
    assert recorder["inputs"]["recordingGroup"]["allSupported"] is True
    # global resource types (IAM) once, in the primary region
    assert recorder["inputs"]["recordingGroup"]["includeGlobalResourceTypes"] is (region == REGIONS[0])
    assert channel["inputs"]["s3BucketName"] == org["outputs"]["logArchiveBucket"]
    assert channel["inputs"]["s3KmsKeyArn"] == org["outputs"]["logArchiveKeyArn"]
    assert channel["inputs"]["s3KeyPrefix"] == org["outputs"]["logArchiveConfigPrefix"]
    assert status["inputs"]["isEnabled"] is True
    # AWS's order: recorder, then delivery channel, then recording on
    assert recorder["urn"] in channel["dependencies"]
    assert channel["urn"] in status["dependencies"]


MALWARE_ROLE = (
    "role/aws-service-role/malware-protection.guardduty.amazonaws.com/"
    "AWSServiceRoleForAmazonGuardDutyMalwareProtection"
)


def test_malware_scanning_uses_the_ebs_default_key_as_its_managed_policy_states() -> None:
    # https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonGuardDutyMalwareProtectionServiceRolePolicy.html
    acme = synth("acme-prod")
    account = acme["outputs"]["accountId"]
    defaults = {r["inputs"]["keyArn"] for r in of_type(acme, "aws:ebs/defaultKmsKey:DefaultKmsKey")}
    keys = [k for k in of_type(acme, "aws:kms/key:Key") if k["outputs"]["arn"] in defaults]
    assert len(keys) == 2
    role = {"aws:PrincipalArn": f"arn:aws:iam::{account}:{MALWARE_ROLE}"}
    not_excluded = {"aws:ResourceTag/GuardDutyExcluded": "true"}
    for key in keys:
        statements = [
            s
            for s in json.loads(key["inputs"]["policy"])["Statement"]
            if s.get("Condition", {}).get("ArnEquals") == role
        ]
        by_action = {tuple(s["Action"]): s for s in statements}
        assert sorted(by_action) == [
            ("kms:CreateGrant",),
            ("kms:DescribeKey",),
            ("kms:ReEncryptFrom", "kms:ReEncryptTo"),
        ]
        grant = by_action[("kms:CreateGrant",)]["Condition"]
        # the grant is made for an AWS resource (the scanned volume), not through EC2
        assert grant == {
            "ArnEquals": role,
            "Bool": {"kms:GrantIsForAWSResource": "true"},
            "ForAllValues:StringEquals": {
                "kms:GrantOperations": [
                    "Decrypt",
                    "CreateGrant",
                    "GenerateDataKeyWithoutPlaintext",
                    "ReEncryptFrom",
                    "ReEncryptTo",
                    "RetireGrant",
                    "DescribeKey",
                ]
            },
            "StringLike": {"kms:EncryptionContext:aws:ebs:id": "snap-*"},
            "Null": not_excluded,
        }
        reencrypt = by_action[("kms:ReEncryptFrom", "kms:ReEncryptTo")]["Condition"]
        assert reencrypt == {
            "ArnEquals": role,
            "StringEquals": {"kms:ViaService": f"ec2.{key['region']}.amazonaws.com"},
            "Null": not_excluded,
        }
        # nothing that yields plaintext or a data key to the role itself
        assert not {a for s in statements for a in s["Action"]} & {"kms:Decrypt", "kms:GenerateDataKey*"}


RECOVERY_ACTIONS = {
    "kms:DescribeKey",
    "kms:EnableKey",
    "kms:GetKeyPolicy",
    "kms:ListKeyPolicies",
    "kms:PutKeyPolicy",
}
CRYPTO_PREFIXES = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt", "kms:CreateGrant")


def _as_list(value: Any) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _account_of(state: dict[str, Any], resource: dict[str, Any]) -> str:
    (account,) = json.loads(provider_of(state, resource)["inputs"]["allowedAccountIds"])
    return str(account)


@pytest.mark.parametrize("stack", ["org", "acme-prod", "acme-staging", "beta-prod"])
def test_every_key_has_a_recovery_path_that_never_reaches_plaintext(stack: str) -> None:
    state = synth(stack)
    keys = of_type(state, "aws:kms/key:Key")
    assert keys
    roles = {
        _account_of(state, r): r
        for r in of_type(state, "aws:iam/role:Role")
        if r["inputs"].get("name") == "tz-break-glass"
    }
    for key in keys:
        account = _account_of(state, key)
        break_glass = f"arn:aws:iam::{account}:role/tenant-zone/tz-break-glass"
        statements = json.loads(key["inputs"]["policy"])["Statement"]
        (recovery,) = [s for s in statements if s.get("Sid") == "KeyPolicyRecovery"]
        # through the account root and matched by ARN: a recreated role still matches
        assert recovery["Principal"] == {"AWS": f"arn:aws:iam::{account}:root"}
        assert recovery["Condition"] == {"ArnLike": {"aws:PrincipalArn": [break_glass]}}
        assert set(recovery["Action"]) == RECOVERY_ACTIONS
        # the role exists in the key's account, taken from the security account with MFA only
        role = roles[account]
        trust = json.loads(role["inputs"]["assumeRolePolicy"])["Statement"][0]
        assert trust["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": "true"}
        # nothing narrowed to the recovery role lets it use the key, and where a statement admits every
        # principal of the account through EC2, the explicit deny of cryptography names the role too; the
        # deploying role keeps kms:PutKeyPolicy, so CreateKey's lockout safety check still passes
        allows = [s for s in statements if s["Effect"] == "Allow"]
        denies = [s for s in statements if s.get("Sid") == "DenyCryptographyToAdministrators"]
        for statement in allows:
            crypto = [a for a in statement["Action"] if a.startswith(CRYPTO_PREFIXES)]
            if not crypto or statement["Principal"] != {"AWS": "*"} and "root" not in json.dumps(statement):
                continue  # no use, or named principals (services, reader accounts)
            condition = statement.get("Condition", {})
            narrowed = [
                pattern
                for operator in ("ArnLike", "ArnEquals")
                for pattern in _as_list(condition.get(operator, {}).get("aws:PrincipalArn"))
            ]
            if narrowed and not any(fnmatchcase(break_glass, p) for p in narrowed):
                continue  # narrowed to other roles
            assert break_glass not in narrowed, statement["Sid"]
            # what reaches every principal does so only through an AWS service (EC2 for EBS, S3 for log
            # deliveries), never a direct call, and where the policy denies cryptography to administrators,
            # the recovery role is named there too
            assert "kms:ViaService" in json.dumps(condition), statement["Sid"]
            if denies:
                assert break_glass in denies[0]["Condition"]["ArnLike"]["aws:PrincipalArn"]
                assert "kms:Decrypt" in denies[0]["Action"] and denies[0]["Effect"] == "Deny"
        (administration,) = [s for s in allows if s.get("Sid") == "KeyAdministration"]
        deployer = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        assert deployer in json.dumps(administration["Principal"])
        assert any(a in ("kms:PutKeyPolicy", "kms:Put*") for a in administration["Action"])
