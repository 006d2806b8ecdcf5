"""The policy pack config as the engine reads and reconciles it, sent through the pack's servicer
(https://github.com/pulumi/pulumi/blob/master/pkg/resource/analyzer/config.go)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy

from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.gate.engineconfig import (
    ConfiguredPack,
    PolicyConfig,
    canonical,
    configure_request,
    load,
    parse,
    reconcile,
)
from tenantctl.gate.runner import PackRunner

ADVISORY, MANDATORY, DISABLED = (
    EnforcementLevel.ADVISORY,
    EnforcementLevel.MANDATORY,
    EnforcementLevel.DISABLED,
)


def policy(name: str, level: EnforcementLevel | None = None, **defaults: object) -> ResourceValidationPolicy:
    schema = PolicyConfigSchema({k: {"type": "number", "default": v} for k, v in defaults.items()})
    return ResourceValidationPolicy(
        name,
        f"{name} description",
        lambda args, report: None,
        level,
        config_schema=schema if defaults else None,
    )


def test_the_file_forms_the_cli_reads() -> None:
    parsed = parse(
        {"all": "advisory", "a": {"enforcementLevel": "disabled", "limit": 3}, "b": {"limit": 1}, "c": {}},
        "f",
    )
    assert parsed == {
        "all": PolicyConfig(ADVISORY, {}),
        "a": PolicyConfig(DISABLED, {"limit": 3}),
        "b": PolicyConfig(None, {"limit": 1}),
    }  # an empty entry is dropped, as the CLI drops it
    assert parse(json.loads(canonical(parsed)), "f") == parsed


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"a": "strict"}, "f a: 'strict' is not an enforcement level; expected one of advisory, mandatory, "),
        ({"a": {"enforcementLevel": 1}}, "f a.enforcementLevel: 1 is not an enforcement level; expected"),
        ({"a": 3}, "f a: 3 is not a valid value; expected an enforcement level"),
        ([1], "f: is a JSON list; expected an object of policy names (or `all`)."),
    ],
)
def test_bad_entries_are_refused_naming_the_key(data: object, expected: str) -> None:
    with pytest.raises(UserError) as refused:
        parse(data, "f")
    assert str(refused.value).startswith(expected)


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"a": "advisory", "a": "disabled"}', encoding="utf-8")
    with pytest.raises(UserError, match=r"not JSON \(duplicate key 'a'\); expected a JSON object"):
        load(path)
    path.write_text("  \n", encoding="utf-8")
    assert load(path) == {}


def test_reconcile_like_the_engine_defaults_then_all_then_each_policy() -> None:
    policies = [policy("a", MANDATORY, limit=5), policy("b"), policy("c", ADVISORY)]
    result = reconcile(
        policies,
        MANDATORY,
        {
            "all": PolicyConfig(ADVISORY, {}),
            "b": PolicyConfig(DISABLED, {"x": "y"}),
            "a": PolicyConfig(None, {}),
        },
    )
    assert result["a"] == PolicyConfig(ADVISORY, {"limit": 5})  # schema default kept, `all` level
    assert result["b"] == PolicyConfig(DISABLED, {"x": "y"})
    assert result["c"] == PolicyConfig(ADVISORY, {})
    # without a file: each policy's own level, else the pack's
    assert reconcile(policies, MANDATORY, {})["b"] == PolicyConfig(MANDATORY, {})


def test_configure_request_carries_every_policy_and_the_servicer_applies_it() -> None:
    policies = [policy("a", MANDATORY, limit=5), policy("b")]
    request = configure_request(reconcile(policies, MANDATORY, {"b": PolicyConfig(DISABLED, {})}))
    assert sorted(request.policyConfig) == ["a", "b"]
    assert request.policyConfig["b"].enforcementLevel == analyzer_pb2.DISABLED
    pack = ConfiguredPack("p", policies, MANDATORY, {"b": PolicyConfig(DISABLED, {})})
    assert pack.enforcement(policies[1]) == DISABLED
    # the properties cross the wire as a protobuf Struct: numbers arrive as floats, as in the engine
    assert pack.config("a") == {"limit": 5.0}
    assert pack.configure_stack("proj", "dev", {"k": "v"}) == {"k": "v"}


def test_the_runner_runs_what_the_configured_servicer_holds() -> None:
    runner = PackRunner(policy_config={"all": "advisory", "region_allowed": "disabled"})
    assert "region_allowed" not in runner.policy_names
    assert runner.policy_names  # the others still run, at the `all` level


def test_check_takes_a_policy_pack_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "p"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: p\nruntime: python\n", encoding="utf-8")
    (program / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n", encoding="utf-8")
    (program / "__main__.py").write_text(
        'import pulumi_aws as aws\n\naws.sqs.Queue("jobs")\n', encoding="utf-8"
    )
    base = ["check", "--program", str(program), "--stack", "dev", "--no-cache", "--format", "json"]
    assert main(base) == 1
    failed = json.loads(capsys.readouterr().out)
    assert "region_allowed" in {v["rule"] for v in failed["violations"] if v["enforcement"] == "mandatory"}
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"all": "advisory"}), encoding="utf-8")
    assert main([*base, "--policy-pack-config", str(config)]) == 0
    advisory = json.loads(capsys.readouterr().out)
    assert advisory["summary"]["mandatory"] == 0
    assert {v["rule"] for v in advisory["violations"]} == {v["rule"] for v in failed["violations"]}
    config.write_text(json.dumps({"region_allowed": "sometimes"}), encoding="utf-8")
    assert main([*base, "--policy-pack-config", str(config)]) == 2
    assert f"--policy-pack-config {config} region_allowed: 'sometimes' is not an enforcement level" in (
        capsys.readouterr().err
    )
