"""TenantKeys: the tenant's customer-managed KMS keys, one per Japanese region (ENC-01, ENC-02, TEN-01).

One key per region, not a multi-region primary with a replica, because:

- every cross-region path of the baseline re-encrypts at the destination (S3 replication writes replicas under
  the Osaka key, AWS Backup copies into a vault under the Osaka key), so shared key material buys nothing;
- two independent keys are two failure and blast-radius domains: a disabled key, a bad policy change or a
  scheduled deletion in one region does not make the other region's copies unreadable, which is the point of
  keeping them (004: ransomware, east/west copies);
- rotation and the deletion window are settings of each ``aws.kms.Key``, so ENC-02 can be read off each key
  (a ``ReplicaKey`` has no rotation setting of its own).

The key policy separates administration from use (ENC-02) and backs it with explicit denies, which win over
any IAM policy (OrganizationAccountAccessRole carries AdministratorAccess):

- administrators (the deployment role, named as principal: it exists in every member account) manage the key
  but are denied every cryptographic operation outside AWS Backup; through AWS Backup only
  (``kms:ViaService``) they get what creating a vault under the key needs (CreateGrant, DescribeKey,
  RetireGrant, Decrypt, GenerateDataKey) and nothing else;
- the break-glass role (``/tenant-zone/tz-break-glass``, the only role the SCPs let schedule key deletion) may
  disable the key and schedule its deletion for crypto-shredding (DATA-01), and recover the key policy if the
  administrators are lost (``key_policy_recovery_statement``), and nothing else: no cryptographic action;
- users (the data-plane service roles under ``/tenant-zone/service/`` and any workload role passed in) use the
  key and are denied changing its policy, disabling it or scheduling its deletion;
- AWS services that encrypt on the tenant's behalf (CloudWatch Logs, EventBridge and CloudWatch publishing to
  encrypted SNS topics) are scoped to this account.

The account root is never granted ``kms:*`` (that would hand the key to any IAM policy). Users and the
break-glass role are matched by ``aws:PrincipalArn`` conditions, not named as principals: KMS refuses a policy
naming a role that does not exist, and the service-role path pattern covers roles created after the key.

EBS default encryption with the tenant key is switched on in both regions here as well (ENC-01): it is an
account-level encryption setting with no better home. A key that is the account's EBS default must then be
usable by whatever creates volumes, or every launch fails with ``Client.InvalidKMSKey.InvalidState`` /
``Client.InternalError``. The policy therefore grants, in addition:

- every principal of the account, through EC2 only (``kms:ViaService = ec2.<region>.amazonaws.com`` and
  ``kms:CallerAccount``), what EBS needs: the statement AWS gives its own ``aws/ebs`` key
  (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html,
  https://docs.aws.amazon.com/kms/latest/developerguide/services-ebs.html). Administrators stay denied: the
  explicit deny below wins, so they still never reach plaintext, through EC2 or otherwise;
- the Auto Scaling service-linked role ``AWSServiceRoleForAutoScaling``, the two statements of "Required KMS
  key policy for use with encrypted volumes"
  (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html);
- the GuardDuty Malware Protection service-linked role ``AWSServiceRoleForAmazonGuardDutyMalwareProtection``,
  which copies snapshots of CMK-encrypted volumes under the same key for scanning
  (https://docs.aws.amazon.com/guardduty/latest/ug/gdu-malpro-supported-volumes.html), with exactly the
  statements of the role's managed policy (``MALWARE_GRANT_OPERATIONS``): its grant is conditioned on
  ``kms:GrantIsForAWSResource``, its re-encryption on ``kms:ViaService`` = EC2.

The service-linked roles are matched by ``aws:PrincipalArn``, not named: they do not exist in a freshly vended
account until the service is first used, and KMS refuses a policy naming a principal that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.checks import regions_in_japan
from components.errors import InputProblems
from components.naming import break_glass_role_arn, org_access_role_arn, region_code, service_role_pattern
from components.scps import BASELINE_ROLE_PATH, BREAK_GLASS_ROLE_NAME
from policies.parameters import PRIMARY_REGION, SECONDARY_REGION

_KIND = "TenantKeys"
DELETION_WINDOW_DAYS = 30

ADMIN_ACTIONS: tuple[str, ...] = (
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
)
CRYPTO_ACTIONS: tuple[str, ...] = (
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
)
USE_ACTIONS: tuple[str, ...] = (*CRYPTO_ACTIONS, "kms:DescribeKey")
KEY_MANAGEMENT_ACTIONS: tuple[str, ...] = (
    "kms:CancelKeyDeletion",
    "kms:DeleteAlias",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:UpdateKeyDescription",
)
# The key-policy recovery path: what the break-glass role may do to a key whose administrators are lost
# (the deploying role deleted, or its trust broken). PutKeyPolicy restores a working policy; DescribeKey,
# GetKeyPolicy and ListKeyPolicies read what is there; EnableKey undoes a DisableKey. No cryptographic action
# and no grant: the role never reaches plaintext, and the policy's explicit deny of cryptography to
# administrators names it as well.
KEY_POLICY_RECOVERY_ACTIONS: tuple[str, ...] = (
    "kms:DescribeKey",
    "kms:EnableKey",
    "kms:GetKeyPolicy",
    "kms:ListKeyPolicies",
    "kms:PutKeyPolicy",
)
GRANT_ACTIONS: tuple[str, ...] = ("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant")
# What the caller of backup:CreateBackupVault needs on a customer managed key besides kms:CreateGrant:
# https://repost.aws/knowledge-center/backup-vault-access-denied and
# https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html
BACKUP_VAULT_ACTIONS: tuple[str, ...] = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:GenerateDataKey",
    "kms:RetireGrant",
)


AUTO_SCALING_ROLE = "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
MALWARE_PROTECTION_ROLE = (
    "aws-service-role/malware-protection.guardduty.amazonaws.com/"
    "AWSServiceRoleForAmazonGuardDutyMalwareProtection"
)
EBS_ACTIONS: tuple[str, ...] = (
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
)
# What the GuardDuty malware-protection role may do with a customer managed key, as its managed policy
# AmazonGuardDutyMalwareProtectionServiceRolePolicy (v2) states it
# (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonGuardDutyMalwareProtectionServiceRolePolicy.html,
# https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions-malware-protection.html): a grant for an AWS
# resource (kms:GrantIsForAWSResource, not kms:ViaService) limited to these operations, on snapshot encryption
# contexts; ReEncryptFrom/To through EC2; DescribeKey. Keys tagged GuardDutyExcluded are left alone.
MALWARE_GRANT_OPERATIONS: tuple[str, ...] = (
    "Decrypt",
    "CreateGrant",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "RetireGrant",
    "DescribeKey",
)
MALWARE_REENCRYPT_ACTIONS: tuple[str, ...] = ("kms:ReEncryptFrom", "kms:ReEncryptTo")
NOT_EXCLUDED_FROM_SCANS = {"Null": {"aws:ResourceTag/GuardDutyExcluded": "true"}}


def break_glass_arn(account_id: str) -> str:
    """The break-glass role's ARN in ``account_id`` (``components.break_glass``), as key policies match it."""
    return f"arn:aws:iam::{account_id}:role{BASELINE_ROLE_PATH}{BREAK_GLASS_ROLE_NAME}"


def key_policy_recovery_statement(account_id: str, recovery_arns: Sequence[str]) -> dict[str, Any]:
    """The break-glass role's way back into a key's policy (``KEY_POLICY_RECOVERY_ACTIONS``).

    Without it, the deploying role named in the policy is the only principal allowed ``kms:PutKeyPolicy``:
    KMS pins a named role to its unique ID, so if the role is deleted, even a role recreated under the same
    name no longer matches, and nobody in the account can change the policy again (only AWS Support can;
    https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key).
    The recovery role is matched by ``aws:PrincipalArn`` instead, which survives its recreation, and through
    the account root, so its own IAM policy must allow the actions as well (two places to change, both
    protected by the SCPs: the role sits under the baseline path).

    Why ``kms:PutKeyPolicy`` here does not undo the separation of administration from use (ENC-02): the role
    holds no use, and the key policy's explicit deny of cryptography names it; to read data it would first
    have to replace the policy with one that grants it use and drops that deny, a management event that the
    organization trail writes to the Object Lock log archive and that the live audit's separation check
    reports. The role can be assumed only from the security account, with MFA, for an hour at a time."""
    return {
        "Sid": "KeyPolicyRecovery",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": list(KEY_POLICY_RECOVERY_ACTIONS),
        "Resource": "*",
        "Condition": {"ArnLike": {"aws:PrincipalArn": sorted(set(recovery_arns))}},
    }


def ebs_default_key_statements(account_id: str, region: str) -> list[dict[str, Any]]:
    """What the account's EBS default key must allow so EC2, Auto Scaling and GuardDuty can use it."""
    via_ec2 = {"kms:ViaService": f"ec2.{region}.amazonaws.com", "kms:CallerAccount": account_id}
    auto_scaling = f"arn:aws:iam::{account_id}:role/{AUTO_SCALING_ROLE}"
    malware_role = {"aws:PrincipalArn": f"arn:aws:iam::{account_id}:role/{MALWARE_PROTECTION_ROLE}"}
    return [
        {
            "Sid": "EbsThroughEc2ForTheAccount",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": list(EBS_ACTIONS),
            "Resource": "*",
            "Condition": {"StringEquals": via_ec2},
        },
        {
            "Sid": "AutoScalingServiceLinkedRoleUse",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:DescribeKey",
            ],
            "Resource": "*",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": auto_scaling}},
        },
        {
            "Sid": "AutoScalingServiceLinkedRoleGrants",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:CreateGrant"],
            "Resource": "*",
            "Condition": {
                "ArnEquals": {"aws:PrincipalArn": auto_scaling},
                "Bool": {"kms:GrantIsForAWSResource": "true"},
            },
        },
        {
            "Sid": "GuardDutyMalwareProtectionGrants",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:CreateGrant"],
            "Resource": "*",
            "Condition": {
                "ArnEquals": malware_role,
                "Bool": {"kms:GrantIsForAWSResource": "true"},
                "ForAllValues:StringEquals": {"kms:GrantOperations": list(MALWARE_GRANT_OPERATIONS)},
                "StringLike": {"kms:EncryptionContext:aws:ebs:id": "snap-*"},
                **NOT_EXCLUDED_FROM_SCANS,
            },
        },
        {
            "Sid": "GuardDutyMalwareProtectionReEncrypt",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": list(MALWARE_REENCRYPT_ACTIONS),
            "Resource": "*",
            # The managed policy says ec2.*.amazonaws.com; a regional key is only reached through its region.
            "Condition": {
                "ArnEquals": malware_role,
                "StringEquals": {"kms:ViaService": f"ec2.{region}.amazonaws.com"},
                **NOT_EXCLUDED_FROM_SCANS,
            },
        },
        {
            "Sid": "GuardDutyMalwareProtectionDescribeKey",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"ArnEquals": malware_role},
        },
    ]


def key_policy(
    account_id: str,
    region: str,
    admin_arns: Sequence[str],
    user_arns: Sequence[str],
    break_glass_arns: Sequence[str] = (),
    ebs_default: bool = False,
) -> dict[str, Any]:
    """The key policy of one tenant key.

    ``admin_arns`` must be existing roles (KMS validates named principals); ``user_arns`` and
    ``break_glass_arns`` are matched by condition and may hold ``*`` patterns or roles not created yet.
    """
    admins, users = sorted(set(admin_arns)), sorted(set(user_arns))
    via_backup = f"backup.{region}.amazonaws.com"
    break_glass = sorted(set(break_glass_arns))
    in_account = {"aws:PrincipalAccount": account_id}
    statements: list[dict[str, Any]] = [
        {
            "Sid": "KeyAdministration",
            "Effect": "Allow",
            "Principal": {"AWS": admins},
            "Action": list(ADMIN_ACTIONS),
            "Resource": "*",
        },
        {
            "Sid": "KeyUse",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": list(USE_ACTIONS),
            "Resource": "*",
            "Condition": {"StringEquals": in_account, "ArnLike": {"aws:PrincipalArn": users}},
        },
        {
            "Sid": "GrantsForAwsResourcesToUsers",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": list(GRANT_ACTIONS),
            "Resource": "*",
            "Condition": {
                "StringEquals": in_account,
                "ArnLike": {"aws:PrincipalArn": users},
                "Bool": {"kms:GrantIsForAWSResource": "true"},
            },
        },
        {
            "Sid": "BackupVaultGrantForAdministrators",
            "Effect": "Allow",
            "Principal": {"AWS": admins},
            "Action": ["kms:CreateGrant"],
            "Resource": "*",
            "Condition": {
                "Bool": {"kms:GrantIsForAWSResource": "true"},
                "StringEquals": {"kms:ViaService": via_backup},
            },
        },
        {
            "Sid": "BackupVaultCreationForAdministrators",
            "Effect": "Allow",
            "Principal": {"AWS": admins},
            "Action": list(BACKUP_VAULT_ACTIONS),
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": via_backup}},
        },
    ]
    if break_glass:
        statements.append(key_policy_recovery_statement(account_id, break_glass))
        statements.append(
            {
                "Sid": "BreakGlassCryptoShredding",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": [
                    "kms:DescribeKey",
                    "kms:DisableKey",
                    "kms:ScheduleKeyDeletion",
                    "kms:CancelKeyDeletion",
                ],
                "Resource": "*",
                "Condition": {"ArnLike": {"aws:PrincipalArn": break_glass}},
            }
        )
    if ebs_default:
        statements += ebs_default_key_statements(account_id, region)
    statements += [
        {
            "Sid": "CloudWatchLogs",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": [
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            "Resource": "*",
            "Condition": {
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account_id}:log-group:*"
                }
            },
        },
        {
            "Sid": "EncryptedTopicPublishers",
            "Effect": "Allow",
            "Principal": {"Service": ["events.amazonaws.com", "cloudwatch.amazonaws.com"]},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        },
        {
            "Sid": "DenyCryptographyToAdministrators",
            "Effect": "Deny",
            "Principal": "*",
            "Action": list(CRYPTO_ACTIONS),
            "Resource": "*",
            # Outside AWS Backup (a missing kms:ViaService key matches StringNotEquals): administrators never
            # see plaintext, yet can create the backup vaults that need these calls.
            "Condition": {
                "ArnLike": {"aws:PrincipalArn": sorted({*admins, *break_glass})},
                "StringNotEquals": {"kms:ViaService": via_backup},
            },
        },
        {
            "Sid": "DenyKeyManagementToUsers",
            "Effect": "Deny",
            "Principal": "*",
            "Action": list(KEY_MANAGEMENT_ACTIONS),
            "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": users}},
        },
    ]
    return {"Version": "2012-10-17", "Id": "tenant-zone-key-policy", "Statement": statements}


@dataclass
class TenantKeysArgs:
    """Inputs of the tenant keys. ``tenant`` is the stack name (``acme-prod``), used in aliases and
    descriptions.

    ``admin_role_arns`` defaults to the deployment role (OrganizationAccountAccessRole) and the break-glass
    role; ``user_role_arns`` adds workload roles to the data-plane service roles, which are always users."""

    tenant: str
    account_id: pulumi.Input[str]
    primary_provider: pulumi.ProviderResource | None = None
    secondary_provider: pulumi.ProviderResource | None = None
    primary_region: str = PRIMARY_REGION
    secondary_region: str = SECONDARY_REGION
    admin_role_arns: Sequence[pulumi.Input[str]] = ()
    user_role_arns: Sequence[pulumi.Input[str]] = ()
    break_glass_role_arns: Sequence[pulumi.Input[str]] | None = None
    deletion_window_in_days: int = DELETION_WINDOW_DAYS
    ebs_default_encryption: bool = True
    tags: dict[str, str] = field(default_factory=dict)


def validate_keys_args(name: str, args: TenantKeysArgs) -> None:
    problems = InputProblems(_KIND, name)
    if args.deletion_window_in_days != DELETION_WINDOW_DAYS:
        problems.add(
            f"deletion_window_in_days {args.deletion_window_in_days} is not the agreed window",
            f"{DELETION_WINDOW_DAYS}",
            "ENC-02",
        )
    in_japan = regions_in_japan(
        problems, primary_region=args.primary_region, secondary_region=args.secondary_region
    )
    if in_japan and args.primary_region == args.secondary_region:
        problems.add(
            f"both keys are in {args.primary_region}", "one key in each of the two Japanese regions", "RES-02"
        )
    problems.raise_if_any()


@dataclass(frozen=True)
class _Principals:
    admins: list[pulumi.Input[str]]
    users: list[pulumi.Input[str]]
    break_glass: list[pulumi.Input[str]]


@dataclass(frozen=True)
class RegionalKey:
    region: str
    key: aws.kms.Key
    alias: aws.kms.Alias

    @property
    def arn(self) -> pulumi.Output[str]:
        return self.key.arn


class TenantKeys(pulumi.ComponentResource):
    """One customer-managed key per Japanese region; see the module docstring for the policy."""

    primary: RegionalKey
    secondary: RegionalKey

    def __init__(self, name: str, args: TenantKeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_keys_args(name, args)
        super().__init__("tenant-zone:keys:TenantKeys", name, None, opts)
        principals = _Principals(
            admins=list(args.admin_role_arns) or [org_access_role_arn(args.account_id)],
            users=[service_role_pattern(args.account_id), *args.user_role_arns],
            break_glass=(
                list(args.break_glass_role_arns)
                if args.break_glass_role_arns is not None
                else [break_glass_role_arn(args.account_id)]
            ),
        )
        self.primary = self._regional(
            name, "primary", args.primary_region, args.primary_provider, args, principals
        )
        self.secondary = self._regional(
            name, "secondary", args.secondary_region, args.secondary_provider, args, principals
        )
        self.register_outputs(
            {
                "primaryKeyArn": self.primary.arn,
                "secondaryKeyArn": self.secondary.arn,
                "primaryAlias": self.primary.alias.name,
                "secondaryAlias": self.secondary.alias.name,
            }
        )

    def _regional(
        self,
        name: str,
        role: str,
        region: str,
        provider: pulumi.ProviderResource | None,
        args: TenantKeysArgs,
        principals: _Principals,
    ) -> RegionalKey:
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        policy = pulumi.Output.all(
            args.account_id,
            pulumi.Output.all(*principals.admins),
            pulumi.Output.all(*principals.users),
            pulumi.Output.all(*principals.break_glass),
        ).apply(
            lambda v: json.dumps(
                key_policy(v[0], region, v[1], v[2], v[3], ebs_default=args.ebs_default_encryption)
            )
        )
        key = aws.kms.Key(
            f"{name}-{role}",
            description=f"tenant-zone {args.tenant} data key ({region})",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",  # AES-256-GCM (ENC-01)
            enable_key_rotation=True,
            rotation_period_in_days=365,
            deletion_window_in_days=args.deletion_window_in_days,
            multi_region=False,
            policy=policy,
            tags={**args.tags, "purpose": "tenant-data"},
            opts=child,
        )
        alias = aws.kms.Alias(
            f"{name}-{role}",
            name=f"alias/tenant-zone/{args.tenant}-{region_code(region)}",
            target_key_id=key.key_id,
            opts=child,
        )
        if args.ebs_default_encryption:
            aws.ebs.EncryptionByDefault(f"{name}-{role}-ebs-encryption", enabled=True, opts=child)
            aws.ebs.DefaultKmsKey(f"{name}-{role}-ebs-key", key_arn=key.arn, opts=child)
        return RegionalKey(region=region, key=key, alias=alias)
