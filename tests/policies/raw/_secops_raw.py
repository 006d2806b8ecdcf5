"""Shared by the raw-program tests of the logging, detection, vulnerability, backup, IAM and mail rules.

Each family has a compliant and a violating program in ``tests/fixtures/raw/<family>/``, a team's own
pulumi_aws code run through the real offline gate (synth + CrossGuard policies), as stack ``test``. The
families about the tenant baseline (backup, detection, vulnerability) declare ``tenant-zone:stackKind:
tenant``, so the baseline rules judge them; each family still answers only for the baseline rules it is
about, since one family's program does not hold the others' part of the baseline.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tenantctl.gate import GateResult, Undecided, check_program

RAW = Path(__file__).resolve().parents[2] / "fixtures" / "raw"
STACK = "test"

SECOPS_RULES = frozenset(
    {
        "tags_required",
        "org_trail",
        "trail_bucket_object_lock",
        "log_group_retention",
        "guardduty_detector",
        "detection_both_regions",
        "upload_malware_protection",
        "incident_routing",
        "inspector_scanning",
        "ecr_scan_immutable",
        "patch_baseline_monthly",
        "backup_plan_daily",
        "backup_selection_by_tenant_tag",
        "backup_copy_osaka",
        "backup_vault_lock",
        "backup_restore_testing",
        "iam_no_admin_policy",
        "iam_no_users_or_keys",
        "iam_human_role_mfa",
        "ses_mail_authentication",
        "dmarc_policy",
    }
)
TENANT_BASELINE_RULES = frozenset(
    {
        "detection_both_regions",
        "inspector_scanning",
        "incident_routing",
        "patch_baseline_monthly",
        "backup_selection_by_tenant_tag",
        "backup_restore_testing",
    }
)


def judged_rules(*baseline_rules_in_family: str) -> frozenset[str]:
    """The rules a family's programs answer for: every rule of ours but the baseline rules it is not about."""
    assert set(baseline_rules_in_family) <= TENANT_BASELINE_RULES
    return SECOPS_RULES - (TENANT_BASELINE_RULES - set(baseline_rules_in_family))


@cache
def gate(family: str, variant: str) -> GateResult:
    return check_program(RAW / family / variant, STACK)


def findings(result: GateResult, rules: frozenset[str]) -> set[tuple[str, str, str]]:
    """(control, rule, resource name) of each violation of ``rules``; stack-level findings have name ''."""
    return {(v.control, v.rule, v.name) for v in result.violations if v.rule in rules}


def undecided(result: GateResult, rules: frozenset[str]) -> list[Undecided]:
    return [u for u in result.undecided if u.rule in rules]
