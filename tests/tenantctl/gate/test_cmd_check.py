"""`tenantctl check`: flags, output destinations and exit codes (the gate itself is replaced here;
tests/tenantctl/gate/test_check_program.py runs it for real)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tenantctl.gate
from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.gate import GateResult, StackReport, Violation


def violation(enforcement: str) -> Violation:
    return Violation(
        "acme-prod", "RES-01", "region_allowed", "urn:x", "aws:s3/bucket:Bucket", "b", "msg", enforcement
    )


@pytest.fixture
def program(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text("", encoding="utf-8")  # flags are checked against a real project
    return tmp_path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Records how the command called the gate; the result to return is set per test."""
    recorded: list[tuple[str, dict[str, Any]]] = []
    state: dict[str, Any] = {"result": GateResult(stacks=[StackReport("acme-prod", 3)])}

    def fake_all(program: Path, **kwargs: Any) -> GateResult:
        recorded.append(("all", {"program": program, **kwargs}))
        if "error" in state:
            raise state["error"]
        return state["result"]

    def fake_program(program: Path, stack: str, **kwargs: Any) -> GateResult:
        recorded.append(("stack", {"program": program, "stack": stack, **kwargs}))
        if "error" in state:
            raise state["error"]
        return state["result"]

    monkeypatch.setattr(tenantctl.gate, "check_all", fake_all)
    monkeypatch.setattr(tenantctl.gate, "check_program", fake_program)
    recorded.append(("state", state))
    return recorded


def set_result(calls: list[tuple[str, dict[str, Any]]], **state: Any) -> None:
    calls[0][1].update(state)


def test_clean_run_exits_0_and_defaults_to_all_stacks(
    program: Path, calls: list, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--program", str(program)]) == 0
    assert calls[1] == ("all", {"program": program.resolve(), "overrides": [], "waivers_file": None})
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "0 mandatory, 0 advisory violations in 1 stacks; 0 rules over 3 resources"
    )


def test_mandatory_violation_exits_1(program: Path, calls: list) -> None:
    set_result(
        calls, result=GateResult(stacks=[StackReport("acme-prod", 3)], violations=[violation("mandatory")])
    )
    assert main(["check", "--all", "--program", str(program)]) == 1


def test_advisory_only_exits_0(program: Path, calls: list) -> None:
    set_result(
        calls, result=GateResult(stacks=[StackReport("acme-prod", 3)], violations=[violation("advisory")])
    )
    assert main(["check", "--all", "--program", str(program)]) == 0


def test_one_stack_with_config_file_and_overrides(program: Path, calls: list) -> None:
    config = program / "alt.yaml"
    config.write_text("config: {}\n", encoding="utf-8")
    argv = ["check", "--stack", "acme-prod", "--program", str(program), "--config-file", str(config)]
    assert main([*argv, "--set", "aws:region=us-east-1", "--set", "tenant-zone:x=1"]) == 0
    assert calls[1] == (
        "stack",
        {
            "program": program.resolve(),
            "stack": "acme-prod",
            "config_file": config,
            "overrides": ["aws:region=us-east-1", "tenant-zone:x=1"],
            "waivers_file": None,
        },
    )


def test_bad_input_from_the_synth_exits_2_with_the_message(
    program: Path, calls: list, capsys: pytest.CaptureFixture[str]
) -> None:
    message = "tenant spec `regions.secondary` is 'us-west-2': not in Japan; expected ap-northeast-3 [RES-01]"
    set_result(calls, error=UserError(message))
    assert main(["check", "--stack", "acme-prod", "--program", str(program)]) == 2
    err = capsys.readouterr().err
    assert "RES-01" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--all", "--config-file", "x.yaml"], "--config-file x.yaml: only applies to one stack"),
        (["--stack", "s", "--config-file", "missing.yaml"], "--config-file missing.yaml: no such file"),
        (["--set", "novalue"], "--set 'novalue': there is no '='; expected KEY=VALUE"),
    ],
)
def test_bad_flags_exit_2(
    program: Path, calls: list, capsys: pytest.CaptureFixture[str], extra: list[str], fragment: str
) -> None:
    assert main(["check", "--program", str(program), *extra]) == 2
    assert fragment in capsys.readouterr().err
    assert [c for c in calls if c[0] != "state"] == []


def test_missing_program_dir_exits_2(tmp_path: Path, calls: list, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--program", str(tmp_path / "nope")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_stack_and_all_are_exclusive(program: Path, calls: list) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["check", "--stack", "a", "--all", "--program", str(program)])
    assert exited.value.code == 2


def test_output_file_gets_the_report_and_stderr_the_summary(
    program: Path, calls: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_result(
        calls, result=GateResult(stacks=[StackReport("acme-prod", 3)], violations=[violation("mandatory")])
    )
    out = tmp_path / "reports" / "gate.sarif"
    assert main(["check", "--program", str(program), "--format", "sarif", "--output", str(out)]) == 1
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "1 mandatory, 0 advisory violations in 1 stacks; 0 rules over 3 resources"


@pytest.mark.parametrize("fmt", ["json", "junit", "text"])
def test_formats_go_to_stdout(
    program: Path, calls: list, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["check", "--program", str(program), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.startswith({"json": "{", "junit": "<?xml", "text": "Stack acme-prod"}[fmt])
