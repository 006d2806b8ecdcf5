"""``tenantctl synth``: JSON on stdout or in --out, exit 2 with one clear message on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenantctl.cli import main
from tenantctl.synth import synthesize, to_text
from tests.tenantctl.synth.conftest import MINIMAL, PROGRAMS


def test_writes_the_synth_json_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--program", str(MINIMAL), "--stack", "dev"]) == 0
    captured = capsys.readouterr()
    assert captured.out == to_text(synthesize(MINIMAL, "dev"))
    assert json.loads(captured.out)["stack"] == "dev"


def test_defaults_to_the_current_directory_and_its_only_stack(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(MINIMAL)
    assert main(["synth"]) == 0
    assert json.loads(capsys.readouterr().out)["project"] == "minimal"


def test_out_file_and_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nested" / "synth.json"
    assert main(["synth", "--program", str(MINIMAL), "--set", "settings.owner=ops", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    synth = json.loads(out.read_text(encoding="utf-8"))
    reader = next(r for r in synth["resources"] if r["name"] == "reader")
    assert reader["inputs"]["tags"] == {"owner": "ops"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--program", str(MINIMAL), "--stack", "nope"], "--stack nope: no Pulumi.nope.yaml in"),
        (
            ["--program", str(PROGRAMS / "refs")],
            "--stack: not given and the program has 6 stacks (app, broken,",
        ),
        (["--program", str(PROGRAMS)], f"--program {PROGRAMS}: no Pulumi.yaml in"),
        (["--program", str(MINIMAL), "--set", "oops"], "--set 'oops': there is no '='"),
        (
            ["--program", str(PROGRAMS / "failing"), "--stack", "value-error"],
            "stack value-error: the program raised ValueError",
        ),
        (
            ["--program", str(PROGRAMS / "duplicate")],
            "Duplicate resource URN 'urn:pulumi:dev::duplicate::aws:s3/bucket:Bucket::data'",
        ),
    ],
)
def test_bad_input_exits_2_with_one_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["synth", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"tenantctl synth: error: {message}")
    assert "Traceback" not in captured.err
    assert captured.err.count("\n") == 1


def test_unwritable_out_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["synth", "--program", str(MINIMAL), "--out", str(blocker / "synth.json")]) == 2
    assert (
        f"--out {blocker / 'synth.json'}: {blocker} is not a directory; expected a writable file path"
        in capsys.readouterr().err
    )
