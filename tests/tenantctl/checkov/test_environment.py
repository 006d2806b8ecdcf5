"""checkov runs from its own pinned environment; a missing or wrong checkov is bad input with the install
command, before any synthesis; whether `check` runs it comes from the flag, the environment or the project."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tenantctl.checkov import enabled
from tenantctl.checkov.environment import CHECKOV_VERSION, TOOL_DIR, locate
from tenantctl.cli import main
from tenantctl.errors import UserError
from tenantctl.settings import project_setting

REPO = Path(__file__).resolve().parents[3]


def test_the_pin_is_the_locked_environments() -> None:
    assert f'"checkov=={CHECKOV_VERSION}"' in (TOOL_DIR / "pyproject.toml").read_text(encoding="utf-8")
    assert f'name = "checkov"\nversion = "{CHECKOV_VERSION}"' in (TOOL_DIR / "uv.lock").read_text(
        encoding="utf-8"
    )


def test_the_installed_checkov_is_the_pinned_one() -> None:
    assert locate().version == CHECKOV_VERSION == "3.3.30"


def test_checkov_is_not_in_the_project_venv() -> None:
    import importlib.util

    assert importlib.util.find_spec("checkov") is None


def test_missing_checkov_is_bad_input_naming_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TENANTCTL_CHECKOV", str(tmp_path / "no-checkov"))
    code = main(["check", "--stack", "acme-prod", "--with-checkov"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert (
        captured.err == "tenantctl check: error: --with-checkov: checkov 3.3.30 not found at"
        f" TENANTCTL_CHECKOV={tmp_path / 'no-checkov'}; expected its own environment, installed with: make"
        " setup (or: uv sync --frozen --project tools/checkov).\n"
    )


def test_another_checkov_version_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "checkov"
    fake.write_text("#!/bin/sh\necho 2.0.1\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("TENANTCTL_CHECKOV", str(fake))
    with pytest.raises(
        UserError, match=r"is checkov 2\.0\.1; expected checkov 3\.3\.30, installed with: make setup"
    ):
        locate()
    assert main(["check", "--stack", "acme-prod", "--with-checkov"]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "flag, setting, environ, expected",
    [
        (True, "never", {}, True),
        (False, "always", {"TENANTCTL_WITH_CHECKOV": "1"}, False),
        (None, "never", {"TENANTCTL_WITH_CHECKOV": "1"}, True),
        (None, "always", {"TENANTCTL_WITH_CHECKOV": "0"}, False),
        (None, "always", {}, True),
        (None, "ci", {"CI": "true"}, True),
        (None, "ci", {}, False),
        (None, "never", {"CI": "true"}, False),
        (None, None, {"CI": "true"}, False),
    ],
)
def test_when_check_runs_checkov(
    flag: bool | None, setting: str | None, environ: dict[str, str], expected: bool
) -> None:
    assert enabled(flag, setting, environ) is expected


def test_the_project_makes_checkov_the_default_in_ci() -> None:
    assert project_setting(REPO, "with-checkov") == "ci"


def test_a_bad_project_setting_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tenantctl]\nwith-checkov = "sometimes"\n', encoding="utf-8"
    )
    with pytest.raises(UserError) as refused:
        project_setting(tmp_path, "with-checkov")
    assert (
        str(refused.value)
        == f"{tmp_path / 'pyproject.toml'} [tool.tenantctl] with-checkov: 'sometimes' is not allowed; "
        "expected one of always, ci, never."
    )


def test_no_setting_outside_a_project(tmp_path: Path) -> None:
    assert project_setting(tmp_path, "with-checkov") is None
