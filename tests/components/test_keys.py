"""TenantKeys: one key per Japanese region, rotation, 30-day window, separated administration and use."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.keys import ADMIN_ACTIONS, CRYPTO_ACTIONS, TenantKeys, TenantKeysArgs, key_policy
from tests.pulumi_mocks import Registered, Run, run

ACCOUNT = "222222222222"
ORG_ROLE = f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole"
BREAK_GLASS = f"arn:aws:iam::{ACCOUNT}:role/tenant-zone/tz-break-glass"
SERVICE_ROLES = f"arn:aws:iam::{ACCOUNT}:role/tenant-zone/service/*"
COMPONENT = "tenant-zone:keys:TenantKeys"


def build(name: str = "acme-prod-keys", **changes: Any) -> Run:
    def program() -> TenantKeys:
        tokyo = aws.Provider("tokyo", region="ap-northeast-1")
        osaka = aws.Provider("osaka", region="ap-northeast-3")
        args = TenantKeysArgs(
            tenant="acme-prod", account_id=ACCOUNT, primary_provider=tokyo, secondary_provider=osaka
        )
        return TenantKeys(name, replace(args, **changes))

    return run(program)


@pytest.fixture(scope="module")
def keys() -> Run:
    return build()


def policy_of(key: Registered) -> dict[str, Any]:
    return json.loads(key.inputs["policy"])


def statement(policy: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in policy["Statement"] if s["Sid"] == sid)


def test_one_key_per_region_through_the_region_providers(keys: Run) -> None:
    by_region = {keys.region_of(k): k for k in keys.of_type("aws:kms/key:Key")}
    assert set(by_region) == {"ap-northeast-1", "ap-northeast-3"}
    assert by_region["ap-northeast-1"].name == "acme-prod-keys-primary"
    assert by_region["ap-northeast-3"].name == "acme-prod-keys-secondary"
    assert keys.of_type("aws:kms/replicaKey:ReplicaKey") == []


def test_keys_rotate_with_a_30_day_window(keys: Run) -> None:
    for key in keys.of_type("aws:kms/key:Key"):
        assert key.inputs["enableKeyRotation"] is True
        assert key.inputs["deletionWindowInDays"] == 30
        assert key.inputs["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
        assert key.inputs["keyUsage"] == "ENCRYPT_DECRYPT"
        assert key.inputs["multiRegion"] is False


def test_children_are_parented_and_named_after_the_component(keys: Run) -> None:
    component = keys.one(COMPONENT)
    children = [
        r for r in keys.resources if r.urn != component.urn and not r.type.startswith("pulumi:providers:")
    ]
    assert len(children) == 8
    assert all(r.parent == component.urn and r.name.startswith("acme-prod-keys-") for r in children)


def test_aliases_and_ebs_default_encryption_in_both_regions(keys: Run) -> None:
    aliases = {keys.region_of(a): a.inputs for a in keys.of_type("aws:kms/alias:Alias")}
    assert aliases["ap-northeast-1"]["name"] == "alias/tenant-zone/acme-prod-apne1"
    assert aliases["ap-northeast-3"]["name"] == "alias/tenant-zone/acme-prod-apne3"
    key_ids = {keys.region_of(k): k.outputs["keyId"] for k in keys.of_type("aws:kms/key:Key")}
    assert {r: a["targetKeyId"] for r, a in aliases.items()} == key_ids
    assert {keys.region_of(e) for e in keys.of_type("aws:ebs/encryptionByDefault:EncryptionByDefault")} == {
        "ap-northeast-1",
        "ap-northeast-3",
    }
    defaults = {
        keys.region_of(d): d.inputs["keyArn"] for d in keys.of_type("aws:ebs/defaultKmsKey:DefaultKmsKey")
    }
    assert defaults == {keys.region_of(k): k.outputs["arn"] for k in keys.of_type("aws:kms/key:Key")}


def test_ebs_default_encryption_can_be_left_out() -> None:
    result = build(ebs_default_encryption=False)
    assert result.of_type("aws:ebs/encryptionByDefault:EncryptionByDefault") == []
    # a key that is not the EBS default grants nothing through EC2
    for key in result.of_type("aws:kms/key:Key"):
        sids = {s["Sid"] for s in policy_of(key)["Statement"]}
        assert not sids & {"EbsThroughEc2ForTheAccount", "AutoScalingServiceLinkedRoleUse"}


def test_the_ebs_default_key_serves_ec2_only_through_ec2_and_the_service_linked_roles(keys: Run) -> None:
    for key in keys.of_type("aws:kms/key:Key"):
        region = keys.region_of(key)
        policy = policy_of(key)
        through_ec2 = statement(policy, "EbsThroughEc2ForTheAccount")
        assert through_ec2["Principal"] == {"AWS": "*"}
        assert through_ec2["Condition"] == {
            "StringEquals": {"kms:ViaService": f"ec2.{region}.amazonaws.com", "kms:CallerAccount": ACCOUNT}
        }
        for sid in ("AutoScalingServiceLinkedRoleUse", "AutoScalingServiceLinkedRoleGrants"):
            # matched by condition: KMS would refuse a named role that Auto Scaling has not created yet
            assert statement(policy, sid)["Principal"] == {"AWS": "*"}
            assert statement(policy, sid)["Condition"]["ArnEquals"] == {
                "aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/"
                "AWSServiceRoleForAutoScaling"
            }
        # the malware-protection role's own managed policy: a grant for an AWS resource, re-encryption via EC2
        grants = statement(policy, "GuardDutyMalwareProtectionGrants")
        assert grants["Action"] == ["kms:CreateGrant"]
        assert grants["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
        assert "StringEquals" not in grants["Condition"]  # no kms:ViaService on the grant
        reencrypt = statement(policy, "GuardDutyMalwareProtectionReEncrypt")
        assert reencrypt["Action"] == ["kms:ReEncryptFrom", "kms:ReEncryptTo"]
        assert reencrypt["Condition"]["StringEquals"] == {"kms:ViaService": f"ec2.{region}.amazonaws.com"}


def test_policy_separates_administration_from_use(keys: Run) -> None:
    for key in keys.of_type("aws:kms/key:Key"):
        policy = policy_of(key)
        admin = statement(policy, "KeyAdministration")
        use = statement(policy, "KeyUse")
        assert admin["Principal"] == {"AWS": [ORG_ROLE]}
        assert not set(admin["Action"]) & {
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey*",
            "kms:ReEncrypt*",
            "kms:CreateGrant",
        }
        assert not set(use["Action"]) & {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"}
        assert use["Condition"] == {
            "StringEquals": {"aws:PrincipalAccount": ACCOUNT},
            "ArnLike": {"aws:PrincipalArn": [SERVICE_ROLES]},
        }
        deny_admin = statement(policy, "DenyCryptographyToAdministrators")
        assert deny_admin["Effect"] == "Deny" and set(deny_admin["Action"]) == set(CRYPTO_ACTIONS)
        assert deny_admin["Condition"]["ArnLike"]["aws:PrincipalArn"] == sorted([BREAK_GLASS, ORG_ROLE])
        deny_users = statement(policy, "DenyKeyManagementToUsers")
        assert deny_users["Effect"] == "Deny" and {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"} <= set(
            deny_users["Action"]
        )
        assert deny_users["Condition"]["ArnLike"]["aws:PrincipalArn"] == [SERVICE_ROLES]
        actions = [
            a
            for s in policy["Statement"]
            for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        ]
        assert "kms:*" not in actions and "*" not in actions


def test_break_glass_can_only_shred(keys: Run) -> None:
    policy = policy_of(keys.one("aws:kms/key:Key", "acme-prod-keys-primary"))
    shred = statement(policy, "BreakGlassCryptoShredding")
    assert set(shred["Action"]) == {
        "kms:DescribeKey",
        "kms:DisableKey",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
    }
    assert shred["Condition"] == {"ArnLike": {"aws:PrincipalArn": [BREAK_GLASS]}}


def test_services_are_scoped_to_the_region_and_account(keys: Run) -> None:
    for key in keys.of_type("aws:kms/key:Key"):
        region = keys.region_of(key)
        policy = policy_of(key)
        logs = statement(policy, "CloudWatchLogs")
        assert logs["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
        assert (
            logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
            == f"arn:aws:logs:{region}:{ACCOUNT}:log-group:*"
        )
        publishers = statement(policy, "EncryptedTopicPublishers")
        assert publishers["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
        backup_grant = statement(policy, "BackupVaultGrantForAdministrators")
        assert backup_grant["Action"] == ["kms:CreateGrant"]
        assert backup_grant["Condition"]["StringEquals"] == {
            "kms:ViaService": f"backup.{region}.amazonaws.com"
        }
        assert backup_grant["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}


def test_workload_roles_become_users_and_admins_can_be_replaced() -> None:
    workload = f"arn:aws:iam::{ACCOUNT}:role/app/web"
    admin = f"arn:aws:iam::{ACCOUNT}:role/KeyAdmins"
    result = build(user_role_arns=[workload], admin_role_arns=[admin], break_glass_role_arns=[])
    policy = policy_of(result.one("aws:kms/key:Key", "acme-prod-keys-primary"))
    assert statement(policy, "KeyAdministration")["Principal"] == {"AWS": [admin]}
    assert statement(policy, "KeyUse")["Condition"]["ArnLike"]["aws:PrincipalArn"] == sorted(
        [SERVICE_ROLES, workload]
    )
    assert "BreakGlassCryptoShredding" not in {s["Sid"] for s in policy["Statement"]}


def test_key_policy_is_a_pure_function() -> None:
    policy = key_policy(ACCOUNT, "ap-northeast-3", [ORG_ROLE], [SERVICE_ROLES])
    assert statement(policy, "KeyAdministration")["Action"] == list(ADMIN_ACTIONS)
    assert statement(policy, "CloudWatchLogs")["Principal"] == {
        "Service": "logs.ap-northeast-3.amazonaws.com"
    }
    assert key_policy(ACCOUNT, "ap-northeast-3", [ORG_ROLE], [SERVICE_ROLES]) == policy


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"deletion_window_in_days": 7},
            "TenantKeys k: deletion_window_in_days 7 is not the agreed window; expected 30. [ENC-02]",
        ),
        (
            {"secondary_region": "us-west-2"},
            (
                "TenantKeys k: secondary_region 'us-west-2' is outside Japan; expected ap-northeast-1 or"
                " ap-northeast-3. [RES-01]"
            ),
        ),
        (
            {"secondary_region": "ap-northeast-1"},
            (
                "TenantKeys k: both keys are in ap-northeast-1; expected one key in each of the two Japanese"
                " regions. [RES-02]"
            ),
        ),
    ],
)
def test_bad_inputs_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(pulumi.RunError) as caught:
        build(name="k", **changes)
    assert str(caught.value) == message


def test_tags_are_kept_next_to_the_purpose_tag() -> None:
    result = build(tags={"cost-center": "acme"})
    assert all(
        k.tags == {"cost-center": "acme", "purpose": "tenant-data"} for k in result.of_type("aws:kms/key:Key")
    )


def test_primary_region_outside_japan_is_refused() -> None:
    with pytest.raises(pulumi.RunError) as caught:
        build(name="k", primary_region="us-east-1")
    assert (
        str(caught.value)
        == "TenantKeys k: primary_region 'us-east-1' is outside Japan; expected ap-northeast-1 or"
        " ap-northeast-3. [RES-01]"
    )
