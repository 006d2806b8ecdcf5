"""The guardrail SCP documents: valid JSON, stable names and Sids, the statements each control needs."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import Any

import pytest

from components import scps
from policies import aws_facts

PATHS = scps.OrgPaths("o-abcdef1234", "r-ab12", "ou-ab12-tenants1", "ou-ab12-prod0001", "ou-ab12-nonprod1")


def doc(name: str) -> dict[str, Any]:
    definition = next(d for d in scps.SCP_DEFINITIONS if d.name == name)
    return json.loads(scps.render(definition.document(PATHS)))


def statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    found = [s for s in document["Statement"] if s["Sid"] == sid]
    assert len(found) == 1, f"{sid}: {[s['Sid'] for s in document['Statement']]}"
    return found[0]


def test_names_controls_and_targets_are_stable() -> None:
    assert [(d.name, d.controls, d.targets) for d in scps.SCP_DEFINITIONS] == [
        ("tz-deny-regions", ("RES-01",), ("tenants", "security")),
        ("tz-deny-root-user", ("IAM-02",), ("tenants", "security")),
        ("tz-protect-baseline", ("IAM-03",), ("tenants", "security")),
        ("tz-deny-iam-users", ("IAM-01",), ("tenants",)),
        ("tz-separate-environments", ("TEN-03",), ("prod", "nonprod")),
        ("tz-protect-tenant-baseline", ("IAM-03",), ("prod", "nonprod")),
        ("tz-data-perimeter", ("IAM-03",), ("prod", "nonprod")),
        ("tz-freeze-suspended", ("DATA-01",), ("suspended",)),
    ]


@pytest.mark.parametrize("definition", scps.SCP_DEFINITIONS, ids=lambda d: d.name)
def test_every_document_is_valid_cites_its_control_and_fits_the_quota(definition: scps.ScpDefinition) -> None:
    text = scps.render(definition.document(PATHS))
    document = json.loads(text)
    assert document["Version"] == "2012-10-17"
    assert len(text) <= aws_facts.SCP_MAX_CHARS
    compact_ids = {c.replace("-", "") for c in definition.controls}
    for item in document["Statement"]:
        assert item["Effect"] == "Deny"  # an SCP here only ever takes permissions away
        assert re.fullmatch(r"[A-Za-z0-9]+", item["Sid"])
        assert any(item["Sid"].startswith(c) for c in compact_ids), item["Sid"]
    for control in definition.controls:
        assert f"[{control}]" in definition.description


def test_sids_are_unique_across_documents() -> None:
    sids = [
        s["Sid"]
        for d in scps.SCP_DEFINITIONS
        for s in json.loads(scps.render(d.document(PATHS)))["Statement"]
    ]
    assert len(sids) == len(set(sids))


def test_region_deny_lists_exactly_tokyo_and_osaka_and_exempts_global_services() -> None:
    document = doc("tz-deny-regions")
    main = statement(document, "RES01DenyOutsideJapan")
    assert main["Condition"] == {
        "StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1", "ap-northeast-3"]}
    }
    assert main["Resource"] == "*"
    for exempt in (
        "iam:*",
        "organizations:*",
        "route53:*",
        "cloudfront:*",
        "waf:*",
        "wafv2:*",
        "shield:*",
        "sts:*",
        "support:*",
        "budgets:*",
        "ce:*",
        "health:*",
        "trustedadvisor:*",
    ):
        assert exempt in main["NotAction"], exempt
    for regional in (
        "s3:*",
        "kms:*",
        "ec2:*",
        "ec2:RunInstances",
        "rds:*",
        "config:*",
        "guardduty:*",
        "logs:*",
    ):
        assert regional not in main["NotAction"], regional
    # ACM escapes the main statement only for CloudFront's us-east-1 certificates.
    acm = statement(document, "RES01DenyAcmOutsideJapanExceptCloudFront")
    assert acm["Action"] == "acm:*"
    assert acm["Condition"]["StringNotEquals"]["aws:RequestedRegion"] == [
        "ap-northeast-1",
        "ap-northeast-3",
        "us-east-1",
    ]


def test_root_user_is_denied_everything() -> None:
    deny = statement(doc("tz-deny-root-user"), "IAM02DenyRootUser")
    assert deny["Action"] == "*" and deny["Resource"] == "*"
    assert deny["Condition"] == {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}


def test_iam_users_and_access_keys_are_denied_for_everyone() -> None:
    deny = statement(doc("tz-deny-iam-users"), "IAM01DenyIamUsersAndAccessKeys")
    assert {"iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"} <= set(deny["Action"])
    assert "Condition" not in deny


def test_baseline_protection_covers_every_iam03_guardrail() -> None:
    document = doc("tz-protect-baseline")
    leave = statement(document, "IAM03DenyLeaveOrganization")
    assert leave["Action"] == "organizations:LeaveOrganization" and "Condition" not in leave
    expected = {
        "IAM03ProtectCloudTrail": {"cloudtrail:StopLogging", "cloudtrail:DeleteTrail"},
        "IAM03ProtectGuardDuty": {
            "guardduty:DeleteDetector",
            "guardduty:DisassociateFromAdministratorAccount",
        },
        "IAM03ProtectSecurityHub": {"securityhub:DisableSecurityHub", "securityhub:BatchDisableStandards"},
        "IAM03ProtectConfig": {
            "config:StopConfigurationRecorder",
            "config:DeleteConfigurationRecorder",
            "config:DeleteDeliveryChannel",
        },  # fmt: skip
        "IAM03ProtectBackupVaults": {"backup:DeleteBackupVault", "backup:DeleteBackupVaultLockConfiguration"},
        "IAM03ProtectFlowLogs": {"ec2:DeleteFlowLogs"},
    }
    exempt = {
        "ArnNotLike": {
            "aws:PrincipalArn": [
                "arn:aws:iam::*:role/OrganizationAccountAccessRole",
                "arn:aws:iam::*:role/tenant-zone/tz-break-glass",
            ]
        }
    }
    for sid, actions in expected.items():
        item = statement(document, sid)
        assert actions <= set(item["Action"]), sid
        assert item["Condition"] == exempt, sid


def test_only_the_deployment_role_creates_or_changes_roles_under_the_baseline_path() -> None:
    # the archive buckets and tenant keys trust role/tenant-zone/* by ARN pattern: a new role there is trusted
    roles = statement(doc("tz-protect-baseline"), "IAM03ProtectBaselineRoles")
    assert {
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:AttachRolePolicy",
        "iam:PutRolePolicy",
    } <= set(roles["Action"])
    assert roles["Resource"] == [
        "arn:aws:iam::*:role/OrganizationAccountAccessRole",
        "arn:aws:iam::*:role/tenant-zone/*",
    ]
    # break-glass only crypto-shreds; it is not exempt here
    assert roles["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}
    }


def test_baseline_log_groups_cannot_be_deleted_or_shortened() -> None:
    item = statement(doc("tz-protect-baseline"), "IAM03ProtectBaselineLogGroups")
    assert {"logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"} <= set(
        item["Action"]
    )
    assert item["Resource"] == [
        "arn:aws:logs:*:*:log-group:/tenant-zone/*",
        "arn:aws:logs:*:*:log-group:aws-waf-logs-*",
    ]
    assert "ArnNotLike" in item["Condition"]


def test_key_deletion_is_left_to_the_break_glass_role_alone() -> None:
    item = statement(doc("tz-protect-baseline"), "IAM03DenyKeyDeletionExceptBreakGlass")
    assert "kms:ScheduleKeyDeletion" in item["Action"]
    # Not even the deployment role may crypto-shred: only break-glass is exempt.
    assert item["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/tenant-zone/tz-break-glass"}
    }


def test_environment_separation_uses_the_org_paths_both_ways() -> None:
    document = doc("tz-separate-environments")
    prod = "o-abcdef1234/r-ab12/ou-ab12-tenants1/ou-ab12-prod0001/*"
    nonprod = "o-abcdef1234/r-ab12/ou-ab12-tenants1/ou-ab12-nonprod1/*"
    to_prod = statement(document, "TEN03DenyNonProdToProd")
    assert to_prod["Action"] == "*"
    assert to_prod["Condition"] == {
        "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [nonprod], "aws:ResourceOrgPaths": [prod]}
    }
    to_nonprod = statement(document, "TEN03DenyProdToNonProd")
    assert to_nonprod["Condition"] == {
        "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [prod], "aws:ResourceOrgPaths": [nonprod]}
    }


def test_environment_separation_cannot_render_without_paths() -> None:
    definition = next(d for d in scps.SCP_DEFINITIONS if d.name == "tz-separate-environments")
    assert definition.needs_org_paths
    with pytest.raises(ValueError, match="tz-separate-environments needs the organization paths"):
        definition.document()


def test_suspended_accounts_are_frozen_except_break_glass() -> None:
    item = statement(doc("tz-freeze-suspended"), "DATA01FreezeSuspendedAccounts")
    assert item["Action"] == "*"
    assert item["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/tenant-zone/tz-break-glass"}
    }


def test_no_target_exceeds_the_five_scp_quota() -> None:
    counts = scps.targets_within_quota()
    assert counts == {"security": 4, "tenants": 5, "prod": 4, "nonprod": 4, "suspended": 2}
    assert max(counts.values()) <= aws_facts.SCP_MAX_PER_TARGET


def test_catalog_scp_checks_name_exactly_the_scps_citing_each_control() -> None:
    from policies.catalog import load_catalog

    catalog = load_catalog()
    for definition in scps.SCP_DEFINITIONS:
        for control in definition.controls:
            assert control in catalog, f"{definition.name} cites unknown control {control}"
    with_scp_layer = {cid: c for cid, c in catalog.items() if c.layer("scp") is not None}
    assert sorted(with_scp_layer) == ["IAM-01", "IAM-02", "IAM-03", "RES-01", "TEN-03"]
    for cid, control in with_scp_layer.items():
        citing = sorted(d.name for d in scps.SCP_DEFINITIONS if cid in d.controls)
        assert sorted(control.checks("scp")) == citing, cid


def test_tenant_baseline_guardrails_deny_the_tamper_actions_outside_the_platform() -> None:
    document = scps.protect_tenant_baseline_policy()
    denied = {action: item for item in document["Statement"] for action in item["Action"]}
    for action in (
        "logs:DeleteLogStream", "logs:PutSubscriptionFilter", "logs:DeleteSubscriptionFilter",
        "ec2:DisableEbsEncryptionByDefault", "wafv2:DisassociateWebACL", "wafv2:DeleteLoggingConfiguration",
        "shield:DeleteProtection", "guardduty:CreateFilter", "events:DeleteRule", "events:DisableRule",
        "events:RemoveTargets", "sns:DeleteTopic", "sns:Unsubscribe",
    ):  # fmt: skip
        assert denied[action]["Condition"] == {
            "ArnNotLike": {
                "aws:PrincipalArn": [scps.ORG_ACCESS_ROLE_ARN_PATTERN, scps.BREAK_GLASS_ROLE_ARN_PATTERN]
            }
        }, action
    assert denied["logs:PutSubscriptionFilter"]["Resource"] == list(scps.BASELINE_LOG_GROUP_PATTERNS)
    assert denied["sns:Unsubscribe"]["Resource"] == list(scps.BASELINE_ALERTING_PATTERNS)


def test_tenant_baseline_guardrails_keep_account_guardrails_waf_and_its_logs_in_place() -> None:
    denied = {
        action: item
        for item in scps.protect_tenant_baseline_policy()["Statement"]
        for action in item["Action"]
    }
    exempt = {
        "ArnNotLike": {
            "aws:PrincipalArn": [scps.ORG_ACCESS_ROLE_ARN_PATTERN, scps.BREAK_GLASS_ROLE_ARN_PATTERN]
        }
    }
    account_wide = (
        "s3:PutAccountPublicAccessBlock", "ec2:DisableSnapshotBlockPublicAccess",
        "ec2:EnableSnapshotBlockPublicAccess", "ec2:DisableEbsEncryptionByDefault",
    )  # fmt: skip
    for action in account_wide:
        assert denied[action]["Resource"] == "*", action
        assert denied[action]["Condition"] == exempt, action
    scoped = {
        "access-analyzer:DeleteAnalyzer": "arn:aws:access-analyzer:ap-northeast-1:523606519280:analyzer/"
        "acme-prod-guardrails-apne1",
        "access-analyzer:CreateArchiveRule": "arn:aws:access-analyzer:ap-northeast-3:523606519280:analyzer/"
        "acme-prod-guardrails-apne3/archive-rule/quiet",
        "wafv2:UpdateIPSet": "arn:aws:wafv2:ap-northeast-1:523606519280:regional/ipset/"
        "acme-prod-edge-allow-list-d3b624d/d26fee6f-1d58-4a8c-8f16-e1ebe485d4af",
        "wafv2:DeleteIPSet": "arn:aws:wafv2:ap-northeast-1:523606519280:regional/ipset/"
        "acme-prod-edge-deny-list-a1dc13b/bf54ed9d-5c56-4ad3-8144-2ce175b4d47e",
        "wafv2:AssociateWebACL": "arn:aws:elasticloadbalancing:ap-northeast-1:523606519280:loadbalancer/app/"
        "acme-prod-edge-alb-b038f9e/1fc18a854e99df74",
        "wafv2:PutLoggingConfiguration": "arn:aws:wafv2:ap-northeast-1:523606519280:regional/webacl/"
        "acme-prod-edge-web-acl-a704978/70440d26-fbf8-49fc-ac7d-5e631b24d3ea",
        "firehose:UpdateDestination": "arn:aws:firehose:ap-northeast-1:523606519280:deliverystream/"
        "aws-waf-logs-acme-prod-edge",
        "firehose:PutRecordBatch": "arn:aws:firehose:ap-northeast-1:523606519280:deliverystream/"
        "aws-waf-logs-acme-prod-edge",
    }
    for action, arn in scoped.items():
        item = denied[action]
        assert item["Condition"] == exempt, action
        assert any(fnmatchcase(arn, pattern) for pattern in item["Resource"]), action
    # the tenant's own analyzers, IP sets and streams stay theirs
    ours = {
        "access-analyzer:DeleteAnalyzer": "arn:aws:access-analyzer:ap-northeast-1:523606519280:analyzer/mine",
        "wafv2:UpdateIPSet": "arn:aws:wafv2:ap-northeast-1:523606519280:regional/ipset/office/0a1b",
        "wafv2:AssociateWebACL": "arn:aws:elasticloadbalancing:ap-northeast-1:523606519280:loadbalancer/app/"
        "acme-prod-api/0a1b2c3d4e5f6789",
        "firehose:UpdateDestination": "arn:aws:firehose:ap-northeast-1:523606519280:deliverystream/"
        "aws-waf-logs-api-gateway",
    }
    for action, arn in ours.items():
        assert not any(fnmatchcase(arn, pattern) for pattern in denied[action]["Resource"]), action


def test_data_perimeter_keeps_writes_and_shares_inside_the_organization() -> None:
    document = doc("tz-data-perimeter")
    writes = statement(document, "IAM03DenyS3WritesOutsideOrganization")
    assert {"s3:PutObject", "s3:ReplicateObject"} <= set(writes["Action"])
    assert writes["Resource"] == "*"
    # absent for a bucket of an account in no organization, so IfExists denies that too
    assert writes["Condition"] == {"StringNotEqualsIfExists": {"aws:ResourceOrgID": "o-abcdef1234"}}
    ebs = statement(document, "IAM03DenyEbsSnapshotSharing")
    assert ebs["Action"] == "ec2:ModifySnapshotAttribute"
    assert ebs["Condition"] == {"Null": {"ec2:Add/userId": "false"}}
    unscoped = statement(document, "IAM03DenyImageAndDbSnapshotSharing")
    assert {"rds:ModifyDBSnapshotAttribute", "rds:ModifyDBClusterSnapshotAttribute"} <= set(
        unscoped["Action"]
    )
    assert "Condition" not in unscoped
    # no principal is exempt, not even the deployment path or break-glass
    for item in document["Statement"]:
        assert "aws:PrincipalArn" not in json.dumps(item), item["Sid"]
