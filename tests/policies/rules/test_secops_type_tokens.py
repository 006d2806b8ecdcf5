"""Every pulumi_aws type token the logging/detection/backup/IAM/mail rules name exists in the installed SDK.

A misspelled token would make a rule silently never see its resources.
"""

import re
from pathlib import Path

import pytest

from policies.data.generate_taggable_types import pulumi_aws_dir

RULES_DIR = Path(__file__).resolve().parents[3] / "policies" / "rules"
MODULES = [
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
    "iam_no_admin_policy",
    "iam_no_users_or_keys",
    "iam_human_role_mfa",
    "ses_mail_authentication",
    "dmarc_policy",
]
SOURCES = [next(RULES_DIR.rglob(f"{m}.py")) for m in MODULES] + sorted((RULES_DIR / "_secops").glob("*.py"))
TOKENS = sorted(
    {
        t
        for path in SOURCES
        for t in re.findall(r'"(aws:[a-z0-9]+/[A-Za-z0-9]+:[A-Za-z0-9]+)"', path.read_text())
    }
)


@pytest.fixture(scope="module")
def sdk_tokens() -> set[str]:
    found: set[str] = set()
    for path in pulumi_aws_dir().rglob("*.py"):
        found.update(re.findall(r"__init__\(\s*'(aws:[^']+)'", path.read_text(encoding="utf-8")))
    return found


def test_tokens_were_collected():
    assert len(TOKENS) > 50


@pytest.mark.parametrize("token", TOKENS)
def test_token_exists_in_pulumi_aws(token, sdk_tokens):
    assert token in sdk_tokens
