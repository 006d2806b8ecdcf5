"""The lifecycle roles and their shipped least-privilege policies (``policies/iam/<role>.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policies.parameters import MANAGEMENT_TRUSTED_ROLES
from tenantctl.lifecycle.tenancy import BASELINE_ROLE_PATH, BREAK_GLASS_ROLE_NAME, ORG_ACCESS_ROLE_NAME
from tenantctl.paths import REPO_ROOT

POLICY_DIR = REPO_ROOT / "policies" / "iam"


def _baseline_machine_role() -> str:
    """The one management-trusted role of IAM-02 under the baseline path: its catalog parameter is the home of
    the name, so the live MFA check exempts exactly the role the lifecycle creates and assumes."""
    names = [
        r.removeprefix(BASELINE_ROLE_PATH)
        for r in MANAGEMENT_TRUSTED_ROLES
        if r.startswith(BASELINE_ROLE_PATH)
    ]
    if len(names) != 1 or "/" in names[0]:
        raise ValueError(
            "policies/catalog/IAM-02.yaml parameters.managementTrustedRoles:"
            f" {list(MANAGEMENT_TRUSTED_ROLES)}; expected exactly one role directly under"
            f" {BASELINE_ROLE_PATH} (the audit role)"
        )
    return names[0]


# In each tenant account: read-only, assumed by the audit (and by onboarding's preflight).
AUDIT_ROLE = _baseline_machine_role()
# In the management account: the principals that run audit, onboarding and offboarding.
AUDIT_ORG_ROLE = "tz-audit-org"
ONBOARDING_ROLE = "tz-onboarding"
OFFBOARDING_ROLE = "tz-offboarding"

ROLES_IN_TENANT_ACCOUNTS = (AUDIT_ROLE,)
ROLES_IN_MANAGEMENT = (AUDIT_ORG_ROLE, ONBOARDING_ROLE, OFFBOARDING_ROLE)


def policy_path(role: str) -> Path:
    return POLICY_DIR / f"{role}.json"


def policy_document(role: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(policy_path(role).read_text(encoding="utf-8"))
    return document


def role_arn(account_id: str, role: str) -> str:
    return f"arn:aws:iam::{account_id}:role{BASELINE_ROLE_PATH}{role}"


def access_role_arn(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:role/{ORG_ACCESS_ROLE_NAME}"


def break_glass_arn(account_id: str) -> str:
    return role_arn(account_id, BREAK_GLASS_ROLE_NAME)


def trust_policy(account_id: str) -> dict[str, Any]:
    """Trust the given account (the management account) and nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
