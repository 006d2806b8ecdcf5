"""Service control policies: one document per guardrail, as pure functions.

Every document cites its control ID in the policy description and in each
statement's Sid (``RES01...``, ``IAM03...``), so the catalog, the audit and a
reader of the live organization can trace a statement back to its control.

Where the SCPs are attached (``ScpDefinition.targets``):

- ``tenants``: the Tenants OU (covers Tenants/Prod and Tenants/NonProd).
- ``security``: the Security OU (log-archive and security accounts).
- ``prod`` / ``nonprod``: the environment OUs under Tenants.
- ``suspended``: accounts being offboarded.

AWS allows at most five SCPs directly attached to one target, and
``FullAWSAccess`` is one of them, so a target carries at most four of ours;
``targets_within_quota`` checks that.

Principals exempt from the baseline protection (IAM-03):

- ``OrganizationAccountAccessRole``: the platform's deployment path (assumed
  from the management account by the tenant stacks); it creates and updates
  the baseline, so it must be able to touch it. Tenant administrators never
  get this role (its trust policy names only the management account).
- the break-glass role ``/tenant-zone/tz-break-glass``: the only principal that
  may schedule KMS key deletion (crypto-shredding at offboarding, DATA-01).

Baseline roles live under the IAM path ``/tenant-zone/`` so one ARN pattern
protects all of them, whatever their generated names; only the deployment path
creates or changes roles there. The data perimeter (``tz-data-perimeter``)
exempts no one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from components.policy_documents import policy_document
from policies.parameters import JAPAN_REGIONS

# CloudFront only accepts ACM certificates from us-east-1; the region deny
# lets ACM (and nothing else regional) through there and nowhere else.
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"

ORG_ACCESS_ROLE_NAME = "OrganizationAccountAccessRole"
BASELINE_ROLE_PATH = "/tenant-zone/"
BREAK_GLASS_ROLE_NAME = "tz-break-glass"

ORG_ACCESS_ROLE_ARN_PATTERN = f"arn:aws:iam::*:role/{ORG_ACCESS_ROLE_NAME}"
BASELINE_ROLES_ARN_PATTERN = f"arn:aws:iam::*:role{BASELINE_ROLE_PATH}*"
BREAK_GLASS_ROLE_ARN_PATTERN = f"arn:aws:iam::*:role{BASELINE_ROLE_PATH}{BREAK_GLASS_ROLE_NAME}"

# Global services and global read-only calls that must keep working whatever
# region the SDK sends them to (AWS's own region-deny example, trimmed to the
# services controls.md names plus the billing/health/support consoles). The
# Billing and Cost Management console's fine-grained actions (billing, payments,
# tax, invoicing) are served from us-east-1 only, so denying them outside Japan
# would lock the account out of its own invoices (the action list:
# https://docs.aws.amazon.com/cost-management/latest/userguide/
# migrate-granularaccess-iam-mapping-reference.html).
GLOBAL_SERVICE_ACTIONS: tuple[str, ...] = (
    "account:*",
    "aws-portal:*",
    "billing:*",
    "budgets:*",
    "ce:*",
    "cloudfront:*",
    "cur:*",
    "ec2:DescribeRegions",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "invoicing:*",
    "networkmanager:*",
    "organizations:*",
    "payments:*",
    "pricing:*",
    "route53:*",
    "route53domains:*",
    "s3:GetAccountPublic*",
    "s3:ListAllMyBuckets",
    "s3:PutAccountPublic*",
    "shield:*",
    "sts:*",
    "support:*",
    "supportplans:*",
    "tax:*",
    "trustedadvisor:*",
    "waf:*",
    "wafv2:*",
)

# SCP documents are limited to 5,120 characters; documents are rendered
# without whitespace to stay well inside it.


@dataclass(frozen=True)
class OrgPaths:
    """Organization entity paths (``o-x/r-x/ou-x/``) used by ``aws:*OrgPaths`` conditions."""

    organization_id: str
    root_id: str
    tenants_ou_id: str
    prod_ou_id: str
    nonprod_ou_id: str

    @property
    def prod(self) -> str:
        return f"{self.organization_id}/{self.root_id}/{self.tenants_ou_id}/{self.prod_ou_id}/"

    @property
    def nonprod(self) -> str:
        return f"{self.organization_id}/{self.root_id}/{self.tenants_ou_id}/{self.nonprod_ou_id}/"


def _platform_exempt() -> dict[str, Any]:
    return {"ArnNotLike": {"aws:PrincipalArn": [ORG_ACCESS_ROLE_ARN_PATTERN, BREAK_GLASS_ROLE_ARN_PATTERN]}}


def _deployer_exempt() -> dict[str, Any]:
    """Only the deployment path: break-glass crypto-shreds keys and never needs to create or change roles."""
    return {"ArnNotLike": {"aws:PrincipalArn": ORG_ACCESS_ROLE_ARN_PATTERN}}


def deny_regions_policy() -> dict[str, Any]:
    """RES-01: nothing regional outside Tokyo and Osaka; global services exempt."""
    return policy_document(
        {
            "Sid": "RES01DenyOutsideJapan",
            "Effect": "Deny",
            "NotAction": list(GLOBAL_SERVICE_ACTIONS) + ["acm:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": list(JAPAN_REGIONS)}},
        },
        {
            "Sid": "RES01DenyAcmOutsideJapanExceptCloudFront",
            "Effect": "Deny",
            "Action": "acm:*",
            "Resource": "*",
            "Condition": {
                "StringNotEquals": {
                    "aws:RequestedRegion": [*JAPAN_REGIONS, CLOUDFRONT_CERTIFICATE_REGION],
                }
            },
        },
    )


def deny_root_user_policy() -> dict[str, Any]:
    """IAM-02: the root user of a member account can do nothing."""
    return policy_document(
        {
            "Sid": "IAM02DenyRootUser",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
        },
    )


def deny_iam_users_policy() -> dict[str, Any]:
    """IAM-01: no IAM users, console passwords or access keys; roles and SSO only."""
    return policy_document(
        {
            "Sid": "IAM01DenyIamUsersAndAccessKeys",
            "Effect": "Deny",
            "Action": [
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:CreateUser",
                "iam:UpdateAccessKey",
                "iam:UpdateLoginProfile",
            ],
            "Resource": "*",
        },
    )


# Actions an account could use to switch off or blind a baseline service.
_BASELINE_SERVICE_ACTIONS: Mapping[str, tuple[str, ...]] = {
    "IAM03ProtectCloudTrail": (
        "cloudtrail:DeleteTrail",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:StopLogging",
        "cloudtrail:UpdateTrail",
    ),
    "IAM03ProtectGuardDuty": (
        "guardduty:CreateIPSet",
        "guardduty:DeleteDetector",
        "guardduty:DeleteMalwareProtectionPlan",
        "guardduty:DeletePublishingDestination",
        "guardduty:DisassociateFromAdministratorAccount",
        "guardduty:DisassociateFromMasterAccount",
        "guardduty:UpdateDetector",
        "guardduty:UpdateIPSet",
        "guardduty:UpdateMalwareProtectionPlan",
    ),
    "IAM03ProtectSecurityHub": (
        "securityhub:BatchDisableStandards",
        "securityhub:DisableSecurityHub",
        "securityhub:DisassociateFromAdministratorAccount",
        "securityhub:DisassociateFromMasterAccount",
    ),
    "IAM03ProtectConfig": (
        "config:DeleteConfigurationRecorder",
        "config:DeleteDeliveryChannel",
        "config:DeleteRetentionConfiguration",
        "config:PutConfigurationRecorder",
        "config:PutDeliveryChannel",
        "config:StopConfigurationRecorder",
    ),
    "IAM03ProtectInspector": (
        "inspector2:Disable",
        "inspector2:DisassociateMember",
    ),
    "IAM03ProtectBackupVaults": (
        "backup:DeleteBackupPlan",
        "backup:DeleteBackupSelection",
        "backup:DeleteBackupVault",
        "backup:DeleteBackupVaultLockConfiguration",
        "backup:DeleteRecoveryPoint",
        "backup:UpdateRecoveryPointLifecycle",
    ),
    "IAM03ProtectFlowLogs": ("ec2:DeleteFlowLogs",),
}

# The log archive's buckets and the tenant keys trust every role under ``BASELINE_ROLE_PATH``
# (``aws:PrincipalArn`` like ``role/tenant-zone/*``), so creating a role there is as good as changing one.
_ROLE_CHANGE_ACTIONS: tuple[str, ...] = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
)

# Log groups of the baseline: flow logs (/tenant-zone/...) and WAF logs
# (aws-waf-logs-...), which stay in the tenant account (LOG-02).
BASELINE_LOG_GROUP_PATTERNS: tuple[str, ...] = (
    "arn:aws:logs:*:*:log-group:/tenant-zone/*",
    "arn:aws:logs:*:*:log-group:aws-waf-logs-*",
)
_LOG_GROUP_ACTIONS: tuple[str, ...] = (
    "logs:DeleteLogGroup",
    "logs:DeleteRetentionPolicy",
    "logs:DisassociateKmsKey",
    "logs:PutRetentionPolicy",
)

_KEY_DESTRUCTION_ACTIONS: tuple[str, ...] = (
    "kms:DeleteImportedKeyMaterial",
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
)


def protect_baseline_policy() -> dict[str, Any]:
    """IAM-03: accounts cannot leave the organization or switch the baseline off."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "IAM03DenyLeaveOrganization",
            "Effect": "Deny",
            "Action": "organizations:LeaveOrganization",
            "Resource": "*",
        }
    ]
    for sid, actions in _BASELINE_SERVICE_ACTIONS.items():
        statements.append(
            {
                "Sid": sid,
                "Effect": "Deny",
                "Action": list(actions),
                "Resource": "*",
                "Condition": _platform_exempt(),
            }
        )
    statements.append(
        {
            "Sid": "IAM03ProtectBaselineRoles",
            "Effect": "Deny",
            "Action": list(_ROLE_CHANGE_ACTIONS),
            "Resource": [
                f"arn:aws:iam::*:role/{ORG_ACCESS_ROLE_NAME}",
                BASELINE_ROLES_ARN_PATTERN,
            ],
            "Condition": _deployer_exempt(),
        }
    )
    statements.append(
        {
            "Sid": "IAM03ProtectBaselineLogGroups",
            "Effect": "Deny",
            "Action": list(_LOG_GROUP_ACTIONS),
            "Resource": list(BASELINE_LOG_GROUP_PATTERNS),
            "Condition": _platform_exempt(),
        }
    )
    statements.append(
        {
            "Sid": "IAM03DenyKeyDeletionExceptBreakGlass",
            "Effect": "Deny",
            "Action": list(_KEY_DESTRUCTION_ACTIONS),
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": BREAK_GLASS_ROLE_ARN_PATTERN}},
        }
    )
    return policy_document(*statements)


# Tenant-account baseline that tenant administrators could otherwise switch off; attached on the Prod and
# NonProd OUs, which have room (the Tenants OU is at AWS's five SCPs with FullAWSAccess, and
# tz-protect-baseline close to the 5,120-character document limit). Alerting resources are named after the
# baseline's Notifications component.
BASELINE_ALERTING_PATTERNS: tuple[str, ...] = (
    "arn:aws:events:*:*:rule/*-notifications-*",
    "arn:aws:sns:*:*:*-notifications-*",
)
# The baseline's buckets are named ``<stack>-<purpose>-<account ID>-<region code>`` (TenantStorage). S3
# evaluates no resource tags for bucket-level actions such as PutBucketPolicy (bucket-level condition keys:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html), so the SCP scopes
# them by that name: a 12-character account ID and a Japanese region code at the end. Tenants' own buckets
# must not end so.
BASELINE_BUCKET_NAME = "{stack}-{purpose}-{account}-{region}"
BASELINE_BUCKET_PATTERN = "arn:aws:s3:::" + BASELINE_BUCKET_NAME.format(
    stack="*", purpose="*", account="?" * 12, region="apne?"
)
# The entry point's web ACL is auto-named after its EdgeProtection: ``<stack>-edge-web-acl-<suffix>``.
BASELINE_WEB_ACL_PATTERN = "arn:aws:wafv2:*:*:regional/webacl/*-edge-web-acl-*/*"
# and its ALB ``<stack>-edge-alb-<suffix>``, which takes one web ACL: associating another one with it is how
# the baseline's would be swapped out. wafv2:AssociateWebACL is authorized on the load balancer's ARN too
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html); the companion
# elasticloadbalancing:SetWebACL names no resource, so a pattern could not scope it.
BASELINE_ALB_PATTERN = "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*-edge-alb-*/*"
# Its IP sets likewise, ``<stack>-edge-allow-list-<suffix>`` and ``<stack>-edge-deny-list-<suffix>``: the
# allow set exempts its sources from the Japan-only geo rule, so widening it opens the entry point abroad.
BASELINE_IP_SET_PATTERN = "arn:aws:wafv2:*:*:regional/ipset/*-edge-*-list-*/*"
# WAF refuses a logging destination whose name lacks this prefix:
# https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
WAF_LOG_PREFIX = "aws-waf-logs-"
# The entry point's WAF logs leave the account through the Firehose stream ``aws-waf-logs-<stack>-edge``
# (ARN format: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondatafirehose.html).
BASELINE_WAF_LOG_STREAM_PATTERN = f"arn:aws:firehose:*:*:deliverystream/{WAF_LOG_PREFIX}*-edge"
# AccountGuardrails names its Access Analyzer of each region so; the tenant baseline names the component
# ``<stack>-guardrails``. An archive rule is a sub-resource of its analyzer
# (``analyzer/<name>/archive-rule/<rule>``:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementaccessanalyzer.html).
ACCESS_ANALYZER_NAME = "{guardrails}-{region}"
_BASELINE_ANALYZER = "arn:aws:access-analyzer:*:*:analyzer/" + ACCESS_ANALYZER_NAME.format(
    guardrails="*-guardrails", region="apne?"
)
BASELINE_ANALYZER_PATTERNS: tuple[str, ...] = (_BASELINE_ANALYZER, f"{_BASELINE_ANALYZER}/archive-rule/*")
_TENANT_BASELINE_ACTIONS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # log delivery of the baseline's log groups: no stream deletion, no redirecting or dropping subscriptions
    "IAM03ProtectLogDelivery": (
        ("logs:DeleteLogStream", "logs:DeleteSubscriptionFilter", "logs:PutSubscriptionFilter"),
        BASELINE_LOG_GROUP_PATTERNS,
    ),
    # Account-wide settings of AccountGuardrails and the EBS default encryption, which name no resource.
    # DeleteAccountPublicAccessBlock is authorized by s3:PutAccountPublicAccessBlock (there is no delete
    # action: https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_DeletePublicAccessBlock.html).
    # EnableSnapshotBlockPublicAccess has no condition key on the state it sets (only ec2:Region:
    # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html), so
    # ``block-new-sharing``, weaker than the baseline's ``block-all-sharing``, can only be kept out by
    # denying the action itself.
    "IAM03ProtectAccountGuardrails": (
        (
            "ec2:DisableEbsEncryptionByDefault",
            "ec2:DisableSnapshotBlockPublicAccess",
            "ec2:EnableSnapshotBlockPublicAccess",
            "ec2:ModifyEbsDefaultKmsKeyId",
            "ec2:ResetEbsDefaultKmsKeyId",
            "s3:PutAccountPublicAccessBlock",
        ),
        ("*",),
    ),
    # the baseline's analyzers stay, and no archive rule hides their findings (deleting a rule hides nothing)
    "IAM03ProtectAccessAnalyzer": (
        (
            "access-analyzer:ApplyArchiveRule",
            "access-analyzer:CreateArchiveRule",
            "access-analyzer:DeleteAnalyzer",
            "access-analyzer:UpdateArchiveRule",
        ),
        BASELINE_ANALYZER_PATTERNS,
    ),
    "IAM03ProtectEdge": (
        ("shield:DeleteProtection", "wafv2:DeleteLoggingConfiguration", "wafv2:DisassociateWebACL"),
        ("*",),
    ),
    # the entry point's web ACL rules (Japan only, rate limit, managed rules) stay as the stack set them
    # and its logging points at the baseline's stream
    "IAM03ProtectWebAcl": (
        ("wafv2:DeleteWebACL", "wafv2:PutLoggingConfiguration", "wafv2:UpdateWebACL"),
        (BASELINE_WEB_ACL_PATTERN,),
    ),
    "IAM03ProtectEntryPointAcl": (("wafv2:AssociateWebACL",), (BASELINE_ALB_PATTERN,)),
    "IAM03ProtectIpSets": (("wafv2:DeleteIPSet", "wafv2:UpdateIPSet"), (BASELINE_IP_SET_PATTERN,)),
    # The stream is neither redirected, re-keyed nor deleted, and takes no forged records: WAF puts its
    # records through its service-linked role AWSServiceRoleForWAFV2Logging
    # (https://docs.aws.amazon.com/waf/latest/developerguide/using-service-linked-roles.html), which SCPs do
    # not restrict (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
    "IAM03ProtectWafLogStream": (
        (
            "firehose:DeleteDeliveryStream",
            "firehose:PutRecord",
            "firehose:PutRecordBatch",
            "firehose:StartDeliveryStreamEncryption",
            "firehose:StopDeliveryStreamEncryption",
            "firehose:UpdateDestination",
        ),
        (BASELINE_WAF_LOG_STREAM_PATTERN,),
    ),
    # encryption, versioning, replication to Osaka, public access block, TLS-only policy of baseline buckets
    "IAM03ProtectBuckets": (
        (
            "s3:DeleteBucketPolicy",
            "s3:PutBucketPolicy",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketVersioning",
            "s3:PutEncryptionConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:PutReplicationConfiguration",
        ),
        (BASELINE_BUCKET_PATTERN,),
    ),
    # a GuardDuty filter can auto-archive findings before anyone is alerted
    "IAM03ProtectFindings": (("guardduty:CreateFilter", "guardduty:UpdateFilter"), ("*",)),
    "IAM03ProtectAlerting": (
        (
            "events:DeleteRule",
            "events:DisableRule",
            "events:RemoveTargets",
            "sns:DeleteTopic",
            "sns:SetTopicAttributes",
            "sns:Unsubscribe",
        ),
        BASELINE_ALERTING_PATTERNS,
    ),
}


def protect_tenant_baseline_policy() -> dict[str, Any]:
    """IAM-03 (tenant accounts): log delivery, account guardrails, edge, buckets, findings and alerting."""
    return policy_document(
        *(
            {
                "Sid": sid,
                "Effect": "Deny",
                "Action": list(actions),
                "Resource": list(resources) if resources != ("*",) else "*",
                "Condition": _platform_exempt(),
            }
            for sid, (actions, resources) in _TENANT_BASELINE_ACTIONS.items()
        )
    )


# Writes that put data into a bucket: uploads and copies (s3:PutObject) and S3 replication, which the source
# account's replication role performs on the destination (s3:Replicate*:
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
_S3_WRITE_ACTIONS: tuple[str, ...] = (
    "s3:PutObject",
    "s3:ReplicateDelete",
    "s3:ReplicateObject",
    "s3:ReplicateTags",
)
# Sharing a snapshot or image with another account, where no condition key names that account: RDS's
# snapshot-attribute actions have no condition keys at all
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html) and EC2's
# ModifyImageAttribute only names the attribute
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html), so only the
# action itself can be denied.
_UNSCOPED_SHARING_ACTIONS: tuple[str, ...] = (
    "ec2:ModifyImageAttribute",
    "rds:ModifyDBClusterSnapshotAttribute",
    "rds:ModifyDBSnapshotAttribute",
)


def data_perimeter_policy(paths: OrgPaths) -> dict[str, Any]:
    """IAM-03 (tenant accounts): tenant data cannot be copied out of the organization.

    The resource perimeter of AWS's data perimeter guidance
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_data-perimeters.html), for writes:
    ``aws:ResourceOrgID`` is the organization of the account that owns the bucket, and is absent for a
    bucket of an account in no organization
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid),
    so ``IfExists`` denies that too. AWS-owned buckets are not exempted: the baseline only reads them (the S3
    gateway endpoint's list) and reads are not denied here. Service principals and service-linked roles are
    outside SCPs; the S3 replication role is a role of the account, so replication to an outside bucket is
    refused. EBS snapshots name the account they are shared with (``ec2:Add/userId``), and a tenant account
    shares a snapshot with no one: other tenants are other accounts of the same organization (TEN-01). Public
    sharing is already refused by snapshot block public access (``block-all-sharing``). AWS Backup copies
    across accounts only within the organization
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).

    Unlike the baseline protection, no principal is exempt: neither the deployment path nor break-glass
    ever moves tenant data out of the organization, and an exemption would make either role a way out.
    """
    return policy_document(
        {
            "Sid": "IAM03DenyS3WritesOutsideOrganization",
            "Effect": "Deny",
            "Action": list(_S3_WRITE_ACTIONS),
            "Resource": "*",
            "Condition": {"StringNotEqualsIfExists": {"aws:ResourceOrgID": paths.organization_id}},
        },
        {
            "Sid": "IAM03DenyEbsSnapshotSharing",
            "Effect": "Deny",
            "Action": "ec2:ModifySnapshotAttribute",
            "Resource": "*",
            "Condition": {"Null": {"ec2:Add/userId": "false"}},
        },
        {
            "Sid": "IAM03DenyImageAndDbSnapshotSharing",
            "Effect": "Deny",
            "Action": list(_UNSCOPED_SHARING_ACTIONS),
            "Resource": "*",
        },
    )


def separate_environments_policy(paths: OrgPaths) -> dict[str, Any]:
    """TEN-03: production and non-production cannot reach each other's resources.

    A principal in a non-production account cannot assume roles in, read from
    or write to a production account, and a production principal cannot write
    to (copy data into) or read from a non-production account. The keys are
    absent for AWS-owned resources and resources outside the organization, so
    ``ForAnyValue`` leaves those calls alone.
    """
    return policy_document(
        {
            "Sid": "TEN03DenyNonProdToProd",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {
                "ForAnyValue:StringLike": {
                    "aws:PrincipalOrgPaths": [f"{paths.nonprod}*"],
                    "aws:ResourceOrgPaths": [f"{paths.prod}*"],
                }
            },
        },
        {
            "Sid": "TEN03DenyProdToNonProd",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {
                "ForAnyValue:StringLike": {
                    "aws:PrincipalOrgPaths": [f"{paths.prod}*"],
                    "aws:ResourceOrgPaths": [f"{paths.nonprod}*"],
                }
            },
        },
    )


def deny_all_suspended_policy() -> dict[str, Any]:
    """DATA-01: an offboarded account is frozen until it is closed.

    Only the break-glass role still acts, to crypto-shred the tenant keys.
    """
    return policy_document(
        {
            "Sid": "DATA01FreezeSuspendedAccounts",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": BREAK_GLASS_ROLE_ARN_PATTERN}},
        },
    )


@dataclass(frozen=True)
class ScpDefinition:
    """One guardrail: its stable name, the controls it enforces and where it is attached."""

    name: str
    description: str
    controls: tuple[str, ...]
    targets: tuple[str, ...]
    build: Callable[[], dict[str, Any]] | None = None
    build_with_paths: Callable[[OrgPaths], dict[str, Any]] | None = None

    @property
    def needs_org_paths(self) -> bool:
        return self.build_with_paths is not None

    def document(self, paths: OrgPaths | None = None) -> dict[str, Any]:
        if self.build is not None:
            return self.build()
        if self.build_with_paths is None or paths is None:
            raise ValueError(f"SCP {self.name} needs the organization paths to render")
        return self.build_with_paths(paths)


SCP_DEFINITIONS: tuple[ScpDefinition, ...] = (
    ScpDefinition(
        name="tz-deny-regions",
        description="[RES-01] Deny every regional action outside ap-northeast-1 and ap-northeast-3",
        controls=("RES-01",),
        targets=("tenants", "security"),
        build=deny_regions_policy,
    ),
    ScpDefinition(
        name="tz-deny-root-user",
        description="[IAM-02] Deny the root user of member accounts",
        controls=("IAM-02",),
        targets=("tenants", "security"),
        build=deny_root_user_policy,
    ),
    ScpDefinition(
        name="tz-protect-baseline",
        description="[IAM-03] Deny leaving the organization and switching off the security baseline",
        controls=("IAM-03",),
        targets=("tenants", "security"),
        build=protect_baseline_policy,
    ),
    ScpDefinition(
        name="tz-deny-iam-users",
        description="[IAM-01] Deny IAM users, login profiles and access keys in tenant accounts",
        controls=("IAM-01",),
        targets=("tenants",),
        build=deny_iam_users_policy,
    ),
    ScpDefinition(
        name="tz-separate-environments",
        description="[TEN-03] Deny access between production and non-production tenant accounts",
        controls=("TEN-03",),
        targets=("prod", "nonprod"),
        build_with_paths=separate_environments_policy,
    ),
    ScpDefinition(
        name="tz-protect-tenant-baseline",
        description=(
            "[IAM-03] Deny switching off tenant log delivery, account guardrails, edge protection and"
            " alerting"
        ),
        controls=("IAM-03",),
        targets=("prod", "nonprod"),
        build=protect_tenant_baseline_policy,
    ),
    ScpDefinition(
        name="tz-data-perimeter",
        description=(
            "[IAM-03] Deny copying tenant data out of the organization: S3 writes and replication to outside"
            " buckets, snapshot and image sharing"
        ),
        controls=("IAM-03",),
        targets=("prod", "nonprod"),
        build_with_paths=data_perimeter_policy,
    ),
    ScpDefinition(
        name="tz-freeze-suspended",
        description="[DATA-01] Freeze suspended accounts; only the break-glass role may act",
        controls=("DATA-01",),
        targets=("suspended",),
        build=deny_all_suspended_policy,
    ),
)

SCP_TARGETS: tuple[str, ...] = ("security", "tenants", "prod", "nonprod", "suspended")


def render(document: Mapping[str, Any]) -> str:
    """The JSON sent to Organizations: compact, keys in declaration order (stable diffs)."""
    return json.dumps(document, separators=(",", ":"))


def scps_for_target(
    target: str, definitions: Sequence[ScpDefinition] = SCP_DEFINITIONS
) -> list[ScpDefinition]:
    return [d for d in definitions if target in d.targets]


def targets_within_quota(definitions: Sequence[ScpDefinition] = SCP_DEFINITIONS) -> dict[str, int]:
    """Directly attached SCPs per target, counting the default ``FullAWSAccess``."""
    return {target: 1 + len(scps_for_target(target, definitions)) for target in SCP_TARGETS}
