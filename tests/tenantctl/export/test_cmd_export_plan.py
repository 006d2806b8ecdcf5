"""`tenantctl export-plan`: the plan file from a recorded document, and bad input as one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenantctl.cli import main
from tenantctl.export import export, read_document

ROUNDTRIP = Path(__file__).resolve().parents[2] / "fixtures" / "checkov" / "roundtrip"


def test_from_state_writes_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.json"
    assert main(["export-plan", "--from-state", str(ROUNDTRIP / "state.json"), "--out", str(out)]) == 0
    expected = export(read_document(ROUNDTRIP / "state.json", "state")).plan
    assert json.loads(out.read_text(encoding="utf-8")) == expected
    err = capsys.readouterr().err
    assert "export-plan: 7 resources exported from the state of roundtrip/dev, 0 not exported" in err


def test_missing_document_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "preview.json"
    assert main(["export-plan", "--from-preview", str(missing), "--out", str(tmp_path / "p.json")]) == 2
    assert capsys.readouterr().err == (
        f"tenantctl export-plan: error: --from-preview {missing}: no such file; "
        "expected the output of `pulumi preview --json`.\n"
    )
    assert not (tmp_path / "p.json").exists()


def test_a_document_of_the_other_kind_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["export-plan", "--from-preview", str(ROUNDTRIP / "state.json"), "--out", str(tmp_path / "p.json")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("tenantctl export-plan: error: --from-preview ")
    assert "no `steps` list; expected the output of `pulumi preview --json`." in err


def test_not_json_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "state.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["export-plan", "--from-state", str(bad), "--out", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err
    assert "not JSON" in err and "expected the output of `pulumi stack export`." in err
    assert "Traceback" not in err


def test_a_document_with_stack_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "export-plan",
            "--from-state",
            str(ROUNDTRIP / "state.json"),
            "--stack",
            "dev",
            "--out",
            str(tmp_path / "p.json"),
        ]
    )
    assert code == 2
    assert "--stack/--program do not apply" in capsys.readouterr().err
