"""Output files are written whole or not at all; standard output failures and crashes are told apart
from verdicts (exit 1 means "mandatory violation" to CI and must mean only that)."""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tenantctl import cli, cmd_controls
from tenantctl.errors import UserError
from tenantctl.output import check_writable, write_file, write_stdout


def test_missing_directories_are_created_and_the_mode_follows_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "report.sarif"
    write_file("--output", out, "whole\n")
    assert out.read_text(encoding="utf-8") == "whole\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.sarif"]  # no temporary file left


def test_an_existing_file_is_replaced_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("old and longer than the new text\n", encoding="utf-8")
    out.chmod(0o640)
    write_file("--output", out, "new\n")
    assert out.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previous = tmp_path / "kept.json"
    previous.write_text("previous report\n", encoding="utf-8")

    def no_space(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(UserError) as caught:
        write_file("--output", previous, "new report\n")
    assert (
        str(caught.value) == f"--output {previous}: cannot be written (No space left on device); "
        "expected a writable file path (missing directories are created)."
    )
    assert previous.read_text(encoding="utf-8") == "previous report\n"
    nested = tmp_path / "new" / "deeper" / "report.json"
    with pytest.raises(UserError):
        write_file("--output", nested, "report\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kept.json"
    ]  # temporary file and new directories gone


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda root: root, "is a directory"),
        (lambda root: root / "file" / "report.json", "{root}/file is not a directory"),
        (lambda root: root / "file" / "deeper" / "report.json", "{root}/file is not a directory"),
    ],
)
def test_paths_that_cannot_become_a_file(make, problem: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "file").write_text("", encoding="utf-8")
    target = make(tmp_path)
    with pytest.raises(UserError) as caught:
        check_writable("--out", target)
    assert (
        str(caught.value)
        == f"--out {target}: {problem.format(root=tmp_path)}; expected a writable file path (missing"
        " directories are created)."
    )


def test_a_new_nested_path_is_fine_and_nothing_is_created_by_the_check(tmp_path: Path) -> None:
    check_writable("--out", tmp_path / "x" / "y" / "synth.json")
    assert list(tmp_path.iterdir()) == []


class FullStdout(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_standard_output_that_cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", FullStdout())
    with pytest.raises(UserError) as caught:
        write_stdout("report", "--output")
    assert (
        str(caught.value) == "standard output: cannot be written (No space left on device); "
        "expected a writable standard output, or write to a file with --output <path>"
    )


def test_a_crash_is_exit_3_with_its_traceback_never_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(fmt: str) -> str:
        raise KeyError("a bug")

    monkeypatch.setattr(cmd_controls, "render", crash)
    assert cli.main(["controls"]) == cli.INTERNAL_ERROR == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "KeyError: 'a bug'" in err
    assert err.rstrip().endswith(
        "internal error (a bug in tenantctl or a policy rule, not in your input); the traceback above is what"
        " to report"
    )


def tenantctl() -> list[str]:
    script = Path(sys.executable).with_name("tenantctl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tenantctl"]


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    # `tenantctl controls | head -1`: the pipe closes before the command writes
    process = subprocess.Popen([*tenantctl(), "controls"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert err == ""
