"""The shipped lifecycle role policies: they pass our own gate, the audit role is read-only, and the audit
calls nothing its role does not allow (measured on a seeded tenant in moto)."""

from __future__ import annotations

import json

import pytest
from moto import mock_aws

from policies.parameters import MANAGEMENT_TRUSTED_ROLES
from tenantctl.lifecycle import org
from tenantctl.lifecycle.audit import TenantAccount, audit
from tenantctl.lifecycle.aws import Aws
from tenantctl.lifecycle.iam import (
    AUDIT_ORG_ROLE,
    AUDIT_ROLE,
    POLICY_DIR,
    ROLES_IN_MANAGEMENT,
    ROLES_IN_TENANT_ACCOUNTS,
    policy_document,
)
from tenantctl.lifecycle.tenancy import BASELINE_ROLE_PATH, ORG_ACCESS_ROLE_NAME
from tests.lifecycle.orgkit import new_tenant
from tests.rulekit import messages, resource

ROLES = (*ROLES_IN_TENANT_ACCOUNTS, *ROLES_IN_MANAGEMENT)
READ_ONLY_PREFIXES = ("Get", "List", "Describe", "BatchGet")
# botocore service IDs (hyphenized) -> IAM action prefixes, where they differ
SERVICE_PREFIX = {
    "elastic-load-balancing-v2": "elasticloadbalancing",
    "cloudwatch-logs": "logs",
    "config-service": "config",
    "eventbridge": "events",
    "sesv2": "ses",
    "route-53": "route53",
    "resource-groups-tagging-api": "tag",
}
# S3 operations whose IAM action has another name
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html)
S3_ACTIONS = {
    "ListBuckets": "ListAllMyBuckets",
    "GetBucketEncryption": "GetEncryptionConfiguration",
    "GetBucketReplication": "GetReplicationConfiguration",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
}


def _actions(document: dict[str, object]) -> set[str]:
    found: set[str] = set()
    for statement in document["Statement"]:  # type: ignore[attr-defined]
        action = statement["Action"]
        found.update([action] if isinstance(action, str) else action)
    return found


def test_every_role_ships_a_policy() -> None:
    assert sorted(p.stem for p in POLICY_DIR.glob("*.json")) == sorted(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_policy_passes_the_gate(role: str) -> None:
    document = policy_document(role)
    view = resource("aws:iam/policy:Policy", role, {"policy": json.dumps(document)})
    assert messages("iam_no_admin_policy", view) == []
    assert all(s["Effect"] == "Allow" and s["Action"] != "*" for s in document["Statement"])


def test_gate_would_catch_an_admin_policy() -> None:
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    view = resource("aws:iam/policy:Policy", "admin", {"policy": json.dumps(document)})
    assert messages("iam_no_admin_policy", view) != []


@pytest.mark.parametrize("role", [AUDIT_ROLE, AUDIT_ORG_ROLE])
def test_audit_roles_are_read_only(role: str) -> None:
    writes = [
        a
        for a in _actions(policy_document(role))
        if a != "sts:AssumeRole" and not a.split(":")[1].startswith(READ_ONLY_PREFIXES)
    ]
    assert writes == []


def test_audit_calls_only_what_the_audit_roles_allow() -> None:
    with mock_aws():
        aws = Aws()
        view = org.bootstrap(aws)
        tenant = new_tenant(aws, view, "clean-prod")
        iam = tenant.clients("iam")
        inline = iam.get_role_policy(RoleName=AUDIT_ROLE, PolicyName=AUDIT_ROLE)["PolicyDocument"]
        assert inline == policy_document(AUDIT_ROLE)  # the sandbox uses the shipped document
        auditor = Aws()
        result = audit(
            auditor, [TenantAccount("clean-prod", tenant.spec, tenant.account_id)], view, progress=None
        )
    assert result.violations == [] and result.undecided == []
    allowed = _actions(policy_document(AUDIT_ROLE)) | _actions(policy_document(AUDIT_ORG_ROLE))
    called = set()
    for key in auditor.calls.counts:
        service, operation = key.split(".")
        prefix = SERVICE_PREFIX.get(service, service)
        called.add(f"{prefix}:{S3_ACTIONS.get(operation, operation) if prefix == 's3' else operation}")
    assert sorted(called - allowed) == []


def test_the_roles_trusted_by_the_management_account_without_mfa() -> None:
    # IAM-02's list names the role Organizations creates (the org stack's role_name) and the audit role
    assert (f"/{ORG_ACCESS_ROLE_NAME}", f"{BASELINE_ROLE_PATH}{AUDIT_ROLE}") == MANAGEMENT_TRUSTED_ROLES
    assert ROLES_IN_TENANT_ACCOUNTS == (AUDIT_ROLE,)
