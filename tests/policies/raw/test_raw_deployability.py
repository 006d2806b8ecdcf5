"""Raw pulumi_aws programs (family: deployability) through the offline gate: DEP-01..06, what AWS would
reject."""

import pytest

from tenantctl.gate import GateResult, check_program
from tests.policies.raw._data_rules import FIXTURES

STACK = "test"
VIOLATING = {
    ("DEP-01", "scp_size_within_quota", "guardrails"),
    ("DEP-01", "scp_attachments_within_quota", "guardrails-prod"),
    ("DEP-02", "kms_key_policy_lockout", "tenant-key"),
    ("DEP-02", "cmk_service_access", "app-logs"),
    ("DEP-02", "cmk_service_access", "alerts"),
    ("DEP-03", "availability_zone_exists", "app-b"),
    ("DEP-03", "shield_protectable_arn", "egress-ip-shield"),
    ("DEP-04", "delegated_admin_enabled_first", "guardduty-admin"),
    ("DEP-04", "shield_subscription_declared", "egress-ip-shield"),
    ("DEP-03", "service_available_in_region", "app-scaling"),
    ("DEP-04", "provider_account_ready", "acme-dev"),
    ("DEP-05", "policy_grammar_valid", "protect-entry-point"),
    ("DEP-06", "waf_capacity_within_limit", "edge-acl"),
    ("DEP-07", "inspector_enable_within_limit", "inspector-members"),
}


def gate(variant: str) -> GateResult:
    return check_program(FIXTURES / "deployability" / variant, STACK)


def deployability(result: GateResult) -> set[tuple[str, str, str]]:
    return {(v.control, v.rule, v.name) for v in result.violations if v.control.startswith("DEP-")}


@pytest.fixture(scope="module")
def violating() -> GateResult:
    return gate("violating")


def test_violating_program_yields_exactly_the_expected_findings(violating: GateResult) -> None:
    assert deployability(violating) == VIOLATING
    assert [u for u in violating.undecided if u.rule in {r for _, r, _ in VIOLATING}] == []


def test_each_finding_names_what_aws_returns(violating: GateResult) -> None:
    by_rule = {v.rule: v.message for v in violating.violations if v.control.startswith("DEP-")}
    assert "POLICY_CONTENT_LIMIT_EXCEEDED" in by_rule["scp_size_within_quota"]
    assert "POLICY_NUMBER_LIMIT_EXCEEDED" in by_rule["scp_attachments_within_quota"]
    assert "MalformedPolicyDocumentException" in by_rule["kms_key_policy_lockout"]
    assert "InvalidResourceException" in by_rule["shield_protectable_arn"]
    assert "ResourceNotFoundException" in by_rule["shield_subscription_declared"]
    assert "ap-northeast-1b does not exist in a new account" in by_rule["availability_zone_exists"]
    assert "apprunner, which has no endpoint in ap-northeast-3" in by_rule["service_available_in_region"]
    assert "AssumeRole fails with AccessDenied" in by_rule["provider_account_ready"]
    assert "wafv2:DisassociateWebAcls is not an action of wafv2" in by_rule["policy_grammar_valid"]
    assert "needs 5,200 WCUs" in by_rule["waf_capacity_within_limit"]
    assert "You exceeded the capacity limit" in by_rule["waf_capacity_within_limit"]
    assert "accountIds lists 150 accounts" in by_rule["inspector_enable_within_limit"]
    assert "ValidationException" in by_rule["inspector_enable_within_limit"]


def test_compliant_twin_is_not_flagged() -> None:
    result = gate("compliant")
    assert deployability(result) == set()
    assert [u for u in result.undecided if u.rule in {r for _, r, _ in VIOLATING}] == []
