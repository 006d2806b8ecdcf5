"""Every command's help lists exit code 3 and keeps examples and values whole at any terminal width."""

from __future__ import annotations

import re
import subprocess
import sys

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


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["controls", "--help"]])
def test_a_command_imports_neither_the_aws_sdk_nor_the_other_commands_needs(argv: list[str]) -> None:
    """Startup time: only the invoked command's arguments are built (the lifecycle's pull in boto3)."""
    code = (
        "import sys\n"
        "from tenantctl.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('boto3', 'pulumi_aws', 'tenantctl.lifecycle.seed') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_building_one_commands_parser_leaves_the_others_without_arguments() -> None:
    parser = build_parser("controls")
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "--stack", "acme-prod"])  # check's own flags were not built
    assert build_parser("check").parse_args(["check", "--stack", "acme-prod"]).stack == "acme-prod"
