"""Nested inputs the provider's Check would reject fail the synth naming the path, the type and the closest
keys."""

from __future__ import annotations

import pulumi_aws  # noqa: F401 - registers the resource modules the input types are read from
import pytest

from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.synth import synthesize
from tenantctl.synth.inputcheck import InputProblem, check
from tests.tenantctl.synth.conftest import PROGRAMS, REPO

NESTED = PROGRAMS / "nested"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
VISIBILITY = {"cloudwatchMetricsEnabled": True, "metricName": "m", "sampledRequestsEnabled": True}


def rule(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "r",
        "priority": 1,
        "action": {"block": {}},
        "visibilityConfig": VISIBILITY,
        "statement": {"geoMatchStatement": {"countryCodes": ["JP"]}},
    }
    base.update(changes)
    return base


def test_a_valid_nested_input_passes() -> None:
    assert (
        check(WEB_ACL, {"rules": [rule()], "visibilityConfig": VISIBILITY, "defaultAction": {"allow": {}}})
        == []
    )


def test_an_unknown_nested_key_names_the_path_the_type_and_the_closest_keys() -> None:
    statement = {"notStatement": {"statements": [{"geoMatchStatement": {"countryCodes": ["JP"]}}]}}
    assert check(WEB_ACL, {"rules": [rule(statement=statement)]}) == [
        InputProblem(
            "rules[0].statement.notStatement.statements",
            "is not an input of WebAclRuleStatementNotStatementArgs",
            "one of its keys (statement closest)",
        )
    ]


def test_a_wrong_shape_and_a_missing_required_field_are_named() -> None:
    assert check(WEB_ACL, {"rules": {"name": "r"}}) == [InputProblem("rules", "is an object", "a list")]
    without_name = rule()
    del without_name["name"]
    assert check(WEB_ACL, {"rules": [without_name]}) == [
        InputProblem("rules[0].name", "is missing, required by WebAclRuleArgs", "a value")
    ]
    assert check(WEB_ACL, {"rules": [rule(action="block")]}) == [
        InputProblem("rules[0].action", "is the str 'block'", "an object (WebAclRuleActionArgs)")
    ]


def test_types_no_sdk_describes_are_not_checked() -> None:
    assert check("random:index/randomPet:RandomPet", {"anything": {"at": "all"}}) == []


def test_the_synth_and_check_fail_on_the_resource_naming_the_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert synthesize(NESTED, "dev")["resources"]  # the key pulumi-aws 7 has
    with pytest.raises(UserError) as caught:
        synthesize(NESTED, "dev", overrides=("nested:key=statements",))
    assert (
        str(caught.value)
        == "stack dev: aws:wafv2/webAcl:WebAcl edge: input rules[0].statement.notStatement.statements is"
        " not an "
        "input of WebAclRuleStatementNotStatementArgs; expected one of its keys (statement closest) "
        "(declared at __main__.py:9); the provider would reject it at Check."
    )
    argv = ["check", "--program", str(NESTED), "--stack", "dev", "--set", "nested:key=statements"]
    assert main(argv) == 2
    assert "rules[0].statement.notStatement.statements" in capsys.readouterr().err


@pytest.mark.parametrize("stack", ["org", "acme-prod"])
def test_the_shipped_stacks_have_no_input_the_provider_would_reject(stack: str) -> None:
    assert synthesize(REPO, stack)["resources"]
