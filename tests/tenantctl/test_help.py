"""Every command's help lists exit code 3 and keeps examples and values whole at any terminal width."""

from __future__ import annotations

import re

import pytest

from tenantctl.cli import SUBCOMMANDS, build_parser


@pytest.mark.parametrize("width", ["60", "100"])
@pytest.mark.parametrize("command", [None, *SUBCOMMANDS])
def test_help_lists_exit_3_and_wraps_between_words_only(
    command: str | None, width: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([command, "--help"] if command else ["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "3 internal error" in " ".join(text.split())
    # a line that ends inside a hyphenated word (``us-`` + ``east-1``) is a value cut in two
    assert not re.search(r"\w-\n", text), text
    for line in text.splitlines():
        if line.lstrip().startswith("tenantctl "):
            assert line.startswith("  tenantctl "), f"example re-flowed: {line!r}"
