import pytest
from pulumi_policy.proxy import UNKNOWN_NUMBER_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "patch_baseline_approval"
BASELINE = "aws:ssm/patchBaseline:PatchBaseline"


def baseline(*rules, preview=False):
    props = {"operatingSystem": "AMAZON_LINUX_2023", "approvalRules": list(rules)}
    return tenant_resource(BASELINE, "linux", props, preview=preview)


def rule(days=7, **filters):
    patch_filters = [{"key": key, "values": values} for key, values in filters.items()]
    return {"approveAfterDays": days, "patchFilters": patch_filters}


def test_pass_security_patches_after_seven_days():
    assert outcome(RULE, baseline(rule(7, CLASSIFICATION=["Security", "Bugfix"]))) == "pass"
    windows = rule(
        0, CLASSIFICATION=["CriticalUpdates", "SecurityUpdates"], MSRC_SEVERITY=["Critical", "Important"]
    )
    assert outcome(RULE, baseline(windows)) == "pass"
    assert outcome(RULE, baseline(rule(30, CLASSIFICATION=["*"], SEVERITY=["*"]))) == "pass"


def test_fail_no_approval_rule():
    assert messages(RULE, tenant_resource(BASELINE, "linux", {"operatingSystem": "AMAZON_LINUX_2023"})) == [
        f"{BASELINE} linux: has no approval rule (only explicitly approved patches are installed); expected"
        " an approval rule approving security patches. [VUL-02]"
    ]


def test_fail_approval_too_late():
    assert messages(RULE, baseline(rule(45, CLASSIFICATION=["Security"]))) == [
        f"{BASELINE} linux: approvalRules[0] approveAfterDays is 45 (the patch misses the next monthly "
        "window); expected approveAfterDays <= 30. [VUL-02]"
    ]


def test_fail_fixed_approval_date():
    frozen = {
        "approveUntilDate": "2025-01-01",
        "patchFilters": [{"key": "CLASSIFICATION", "values": ["Security"]}],
    }
    assert messages(RULE, baseline(frozen)) == [
        f"{BASELINE} linux: approvalRules[0] approves only patches released before 2025-01-01; expected "
        "approveAfterDays <= 30 instead of a fixed approveUntilDate. [VUL-02]"
    ]


def test_fail_no_security_classification():
    assert messages(RULE, baseline(rule(7, CLASSIFICATION=["Bugfix", "Enhancement"]))) == [
        f"{BASELINE} linux: approvalRules[0] approves classifications Bugfix, Enhancement only, no "
        "security patches; expected a CLASSIFICATION filter including Security (Windows: SecurityUpdates or "
        "CriticalUpdates). [VUL-02]"
    ]


def test_fail_severity_filter_without_critical():
    assert messages(
        RULE, baseline(rule(7, CLASSIFICATION=["Security"], SEVERITY=["Important", "Medium"]))
    ) == [
        f"{BASELINE} linux: approvalRules[0] SEVERITY filter leaves out Critical patches; expected a "
        "SEVERITY filter including Critical, Important (or no severity filter). [VUL-02]"
    ]


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:ssm/maintenanceWindow:MaintenanceWindow", "w", {}))


def test_unknown_delay_in_preview():
    assert (
        outcome(RULE, baseline(rule(UNKNOWN_NUMBER_VALUE, CLASSIFICATION=["Security"]), preview=True))
        == "unknown"
    )
