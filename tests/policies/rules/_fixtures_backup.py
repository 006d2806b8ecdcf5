"""Compliant AWS Backup resources for the BAK-* rule tests (one field changed per violation test)."""

from __future__ import annotations

from typing import Any

from policies.framework import ResourceView
from tests.rulekit import resource, urn

PLAN = "aws:backup/plan:Plan"
SELECTION = "aws:backup/selection:Selection"
VAULT = "aws:backup/vault:Vault"
VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
OSAKA_VAULT_ARN = "arn:aws:backup:ap-northeast-3:111111111111:backup-vault:acme-prod-osaka"


def plan_rule(**overrides: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "ruleName": "daily",
        "targetVaultName": "acme-prod-tokyo",
        "schedule": "cron(0 17 * * ? *)",
        "lifecycle": {"deleteAfter": 90},
        "copyActions": [{"destinationVaultArn": OSAKA_VAULT_ARN, "lifecycle": {"deleteAfter": 90}}],
    }
    rule.update(overrides)
    return {k: v for k, v in rule.items() if v is not None}


def plan(
    *rules: dict[str, Any],
    region: str = "ap-northeast-1",
    preview: bool = False,
    deps: list[str] | None = None,
    name: str = "backup",
) -> ResourceView:
    return resource(
        PLAN,
        name,
        {"name": "acme-prod", "rules": list(rules) or [plan_rule()]},
        region=region,
        preview=preview,
        prop_deps={"rules": deps} if deps else None,
    )


def vault(name: str = "tokyo", region: str = "ap-northeast-1") -> ResourceView:
    account_region = region
    return resource(
        VAULT,
        f"backup-{name}",
        {
            "name": f"acme-prod-{name}",
            "kmsKeyArn": f"arn:aws:kms:{account_region}:111111111111:key/k",
            "arn": f"arn:aws:backup:{region}:111111111111:backup-vault:acme-prod-{name}",
        },
        region=region,
    )


def vault_lock(name: str = "tokyo", preview: bool = False, **overrides: Any) -> ResourceView:
    props = {
        "backupVaultName": f"acme-prod-{name}",
        "changeableForDays": 3,
        "minRetentionDays": 7,
        "maxRetentionDays": 3650,
    }
    props.update(overrides)
    return resource(
        VAULT_LOCK,
        f"backup-{name}-lock",
        {k: v for k, v in props.items() if v is not None},
        prop_deps={"backupVaultName": [urn(VAULT, f"backup-{name}")]},
        preview=preview,
    )


def selection(plan_name: str = "backup", preview: bool = False, **overrides: Any) -> ResourceView:
    props = {
        "planId": "plan-123",
        "iamRoleArn": "arn:aws:iam::111111111111:role/backup",
        "selectionTags": [{"type": "STRINGEQUALS", "key": "tenant", "value": "acme"}],
    }
    props.update(overrides)
    return resource(
        SELECTION,
        f"{plan_name}-selection",
        {k: v for k, v in props.items() if v is not None},
        prop_deps={"planId": [urn(PLAN, plan_name)]},
        preview=preview,
    )
