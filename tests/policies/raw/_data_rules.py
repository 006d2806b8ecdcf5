"""Running the gate over the data-protection raw programs
(tests/fixtures/raw/{s3,kms,datastores,messaging})."""

from __future__ import annotations

from pathlib import Path

from tenantctl.gate import GateResult, check_program

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "raw"
STACK = "test"

# The rules these programs exercise (TEN-01, TEN-03, RES-02, ENC-01..04); other rules' findings are filtered
# out.
DATA_RULES = frozenset(
    {
        "tenant_single_account",
        "bucket_public_access_blocked",
        "tenant_identity_unique",
        "prod_accounts_in_prod_ou",
        "bucket_replication_to_osaka",
        "replication_rule_settings",
        "bucket_versioning_enabled",
        "s3_bucket_kms_encryption",
        "bucket_encryption_configured",
        "ebs_encryption",
        "rds_encryption",
        "dynamodb_kms_encryption",
        "efs_encryption",
        "log_group_kms_encryption",
        "sns_topic_kms_encryption",
        "sqs_queue_kms_encryption",
        "secret_kms_encryption",
        "backup_vault_kms_encryption",
        "kms_key_rotation",
        "kms_key_deletion_window",
        "kms_key_policy_separation",
        "bucket_tls_only_policy",
        "no_plaintext_db_password",
    }
)


def gate(family: str, variant: str) -> GateResult:
    return check_program(FIXTURES / family / variant, STACK)


def findings(result: GateResult) -> set[tuple[str, str, str]]:
    """(control, rule, resource name) of every violation by a data-protection rule."""
    return {(v.control, v.rule, v.name) for v in result.violations if v.rule in DATA_RULES}


def undecided(result: GateResult) -> list[str]:
    return [f"{u.rule} {u.name}: {u.reason}" for u in result.undecided if u.rule in DATA_RULES]


def messages(result: GateResult, rule: str, name: str) -> list[str]:
    return sorted(v.message for v in result.violations if v.rule == rule and v.name == name)
