"""Bad input and failing programs: one clear UserError each, and the process stays usable afterwards."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pulumi
import pytest

from tenantctl.errors import UserError
from tenantctl.synth import synthesize, to_text
from tests.tenantctl.synth.conftest import MINIMAL, PROGRAMS

FAILING = PROGRAMS / "failing"


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def error_of(program: Path, stack: str, **kwargs: Any) -> str:
    with pytest.raises(UserError) as caught:
        synthesize(program, stack, **kwargs)
    message = str(caught.value)
    assert "Traceback" not in message
    return message


def test_duplicate_urn_fails_like_the_engine_and_names_both_registrations() -> None:
    message = error_of(PROGRAMS / "duplicate", "dev")
    assert (
        message
        == "Duplicate resource URN 'urn:pulumi:dev::duplicate::aws:s3/bucket:Bucket::data'; try giving it a"
        " unique name (registered at __main__.py:4 and at __main__.py:5)."
    )


def test_exception_in_program_code_names_type_message_and_location() -> None:
    message = error_of(FAILING, "value-error")
    assert (
        message == "stack value-error: the program raised ValueError: vpc cidr 10.0.0.0/8 must be a /16 "
        f"at helpers.py:{line_of(FAILING / 'helpers.py', 'raise ValueError')}; "
        "fix the program or its configuration and run the synth again."
    )


def test_run_error_is_shown_as_the_programs_own_message() -> None:
    assert error_of(FAILING, "run-error") == "failing:mode: 'bad' is not allowed; expected 'good'. [TEST-01]"


def test_exception_inside_an_apply_points_at_the_callback() -> None:
    message = error_of(FAILING, "apply-error")
    line = line_of(FAILING / "__main__.py", "1 / 0")
    assert message.startswith(
        f"stack apply-error: the program raised ZeroDivisionError: division by zero at __main__.py:{line};"
    )


def test_misspelled_keyword_is_a_type_error_at_the_call() -> None:
    message = error_of(FAILING, "type-error")
    assert (
        "TypeError" in message
        and "'bukket'" in message
        and message.endswith(
            f"at __main__.py:{line_of(FAILING / '__main__.py', 'bukket')}; fix the program or its"
            " configuration and run the synth again."
        )
    )


def test_unknown_stack_lists_the_available_ones() -> None:
    message = error_of(FAILING, "nope")
    assert (
        message == f"--stack nope: no Pulumi.nope.yaml in {FAILING}; expected one of the program's stacks "
        "(apply-error, run-error, type-error, value-error), or give its config with --config-file."
    )


def test_missing_project_file(tmp_path: Path) -> None:
    message = error_of(tmp_path, "dev")
    assert message.startswith(
        f"--program {tmp_path}: no Pulumi.yaml in {tmp_path}; expected a Pulumi project directory"
    )


def test_non_python_runtime_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: nodejs\n", encoding="utf-8")
    assert "`runtime` is 'nodejs'; expected python" in error_of(tmp_path, "dev")


def test_unparsable_stack_file(tmp_path: Path) -> None:
    program = tmp_path / "program"
    shutil.copytree(MINIMAL, program)
    (program / "Pulumi.dev.yaml").write_text("config:\n  aws:region: [ap-northeast-1\n", encoding="utf-8")
    message = error_of(program, "dev")
    assert message.startswith(f"stack config file {program / 'Pulumi.dev.yaml'}:3:1: is not valid YAML (")
    assert "\n" not in message


def test_unparsable_project_file(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: {name: python\n", encoding="utf-8")
    assert error_of(tmp_path, "dev").startswith(
        f"project file {tmp_path / 'Pulumi.yaml'}:3:1: is not valid YAML ("
    )


def test_bad_set_syntax() -> None:
    message = error_of(MINIMAL, "dev", overrides=["settings.retentionDays"])
    assert message.startswith("--set 'settings.retentionDays': there is no '='; expected KEY=VALUE")


def test_many_runs_in_one_process_including_after_failures() -> None:
    first = to_text(synthesize(MINIMAL, "dev"))
    for program, stack in (
        (FAILING, "value-error"),
        (PROGRAMS / "duplicate", "dev"),
        (FAILING, "apply-error"),
    ):
        with pytest.raises(UserError):
            synthesize(program, stack)
        assert to_text(synthesize(MINIMAL, "dev")) == first


def test_the_callers_pulumi_state_and_environment_do_not_leak_in(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = to_text(synthesize(MINIMAL, "dev"))
    pulumi.runtime.set_all_config({"minimal:bucketPrefix": "leaked", "aws:region": "us-east-1"})
    monkeypatch.setenv("PULUMI_CONFIG", '{"minimal:bucketPrefix": "leaked"}')
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    cwd = os.getcwd()
    assert to_text(synthesize(MINIMAL, "dev")) == expected
    assert os.getcwd() == cwd
    assert os.environ["AWS_REGION"] == "us-east-1"  # restored after the run
    assert pulumi.Config("minimal").get("bucketPrefix") == "leaked"  # the caller's own config is untouched
    pulumi.runtime.set_all_config({})
