"""Raw pulumi_aws programs placing resources by provider and per-resource ``region`` (RES-01), with the
CloudFront pieces AWS requires in us-east-1: exempt as global, their data destinations not."""

from pathlib import Path

import pytest

from tenantctl.gate import check_program

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "raw" / "residency"
RULE = "region_allowed"


def gate(variant):
    return check_program(FIXTURES / variant, "test")


def findings(result):
    return {(v.control, v.rule, v.name) for v in result.violations if v.rule == RULE}


@pytest.fixture(scope="module")
def violating():
    return gate("violating")


def test_violating_program_yields_exactly_the_expected_findings(violating):
    assert findings(violating) == {
        ("RES-01", RULE, "oregon-jobs"),
        ("RES-01", RULE, "moved-data"),
        ("RES-01", RULE, "app-acl"),
        ("RES-01", RULE, "app-waf-logging"),
        ("RES-01", RULE, "cf-waf-logs"),
        ("RES-01", RULE, "spare-cert"),
        ("RES-01", RULE, "dns-profile"),
    }
    assert [u for u in violating.undecided if u.rule == RULE] == []


def test_cloudfront_log_destination_is_held_to_japan(violating):
    assert sorted(v.message for v in violating.violations if v.rule == RULE and v.name == "cf-waf-logs") == [
        "aws:cloudwatch/logGroup:LogGroup cf-waf-logs: is in region us-east-1; expected ap-northeast-1 or "
        "ap-northeast-3. [RES-01]"
    ]


def test_compliant_twin_with_cloudfront_pieces_in_us_east_1_is_not_flagged():
    result = gate("compliant")
    assert findings(result) == set()
    assert [u for u in result.undecided if u.rule == RULE] == []
