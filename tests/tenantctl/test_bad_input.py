"""Bad input, tried the way a user would, on every subcommand: exit 2, one message naming the flag or
key, the value, the rule (control ID where there is one) and the fix, no traceback, nothing half-done."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from tenantctl.cli import main

REPO = Path(__file__).resolve().parents[2]
STACK_CONFIG = "config:\n  aws:region: ap-northeast-1\n"
PROGRAMS = {
    "ok": "import pulumi_aws as aws\naws.s3.Bucket('b')\n",
    "raises": "import pulumi\nraise ValueError('tier gold is not offered')\n",
    "syntax": "def broken(:\n    pass\n",
    "missing-module": "import tenant_zone_helpers_that_do_not_exist\n",
    "needs-config": "import pulumi\npulumi.Config().require('owner')\n",
}


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Pulumi project per case, each with one stack `dev`, plus a directory without Pulumi.yaml."""
    root = tmp_path_factory.mktemp("programs")
    for name, source in PROGRAMS.items():
        program = root / name
        program.mkdir()
        (program / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n", encoding="utf-8")
        (program / "Pulumi.dev.yaml").write_text(STACK_CONFIG, encoding="utf-8")
        (program / "__main__.py").write_text(source, encoding="utf-8")
    (root / "ok" / "Pulumi.two.yaml").write_text(STACK_CONFIG, encoding="utf-8")
    broken_yaml = root / "broken-yaml"
    broken_yaml.mkdir()
    (broken_yaml / "Pulumi.yaml").write_text("name: broken-yaml\nruntime: python\n", encoding="utf-8")
    (broken_yaml / "__main__.py").write_text(PROGRAMS["ok"], encoding="utf-8")
    (broken_yaml / "Pulumi.dev.yaml").write_text("config:\n  aws:region: [ap-northeast-1\n", encoding="utf-8")
    (root / "no-project").mkdir()
    (root / "no-project" / "__main__.py").write_text(PROGRAMS["ok"], encoding="utf-8")
    (root / "a-file").write_text("not a directory\n", encoding="utf-8")
    return root


def refused(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Runs the CLI expecting exit 2 (from the command or from argparse) and returns stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exited:  # argparse refuses unknown choices and conflicting flags itself
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return captured.err


def assert_names(err: str, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in {err!r}"


# --- the program and its stacks, for every command that runs a program -------------------------

PROGRAM_COMMANDS = ["synth", "check", "demo"]


@pytest.mark.parametrize("command", PROGRAM_COMMANDS)
def test_unknown_stack_names_it_and_lists_the_stacks(
    command: str, programs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused([command, "--program", str(programs / "ok"), "--stack", "prod"], capsys)
    assert_names(
        err, "--stack prod: no Pulumi.prod.yaml in", "expected one of the program's stacks (dev, two)"
    )


def test_synth_without_stack_when_the_program_has_several(
    programs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(["synth", "--program", str(programs / "ok")], capsys)
    assert_names(err, "--stack: not given and the program has 2 stacks (dev, two)", "expected --stack <name>")


@pytest.mark.parametrize("command", PROGRAM_COMMANDS)
def test_missing_program_directory(command: str, programs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = programs / "nowhere"
    err = refused([command, "--program", str(missing), "--stack", "dev"], capsys)
    assert_names(err, f"--program {missing}: is not a directory", "expected a Pulumi project directory")


@pytest.mark.parametrize("command", PROGRAM_COMMANDS)
def test_program_directory_without_pulumi_yaml(
    command: str, programs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = programs / "no-project"
    err = refused([command, "--program", str(directory), "--stack", "dev"], capsys)
    assert_names(err, f"--program {directory}: no Pulumi.yaml in", "expected a Pulumi project directory")


@pytest.mark.parametrize("command", PROGRAM_COMMANDS)
def test_unparsable_stack_file(command: str, programs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused([command, "--program", str(programs / "broken-yaml"), "--stack", "dev"], capsys)
    assert_names(
        err,
        f"stack config file {programs / 'broken-yaml' / 'Pulumi.dev.yaml'}:3:1: is not valid YAML (",
        "expected YAML syntax.",
    )


@pytest.mark.parametrize("command", PROGRAM_COMMANDS)
@pytest.mark.parametrize(
    "program, fragments",
    [
        (
            "raises",
            (
                "stack dev: the program raised ValueError: tier gold is not offered at __main__.py:2",
                "fix the program",
            ),
        ),
        ("syntax", ("stack dev: the program raised SyntaxError: ", "__main__.py, line 1", "fix the program")),
        (
            "missing-module",
            (
                (
                    "ModuleNotFoundError: No module named 'tenant_zone_helpers_that_do_not_exist' at"
                    " __main__.py:1"
                ),
                "fix the program",
            ),
        ),
        (
            "needs-config",
            ("stack dev: config key needs-config:owner is not set", "--set needs-config:owner=<value>"),
        ),
    ],
)
def test_a_failing_program(
    command: str, program: str, fragments: tuple[str, ...], programs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused([command, "--program", str(programs / program), "--stack", "dev"], capsys)
    assert_names(err, *fragments)
    assert err.count("\n") == 1  # one line: no warnings or asyncio noise beside it


@pytest.mark.parametrize("command", ["synth", "check"])
@pytest.mark.parametrize(
    "override, fragments",
    [
        ("owner", ("--set 'owner': there is no '='", "expected KEY=VALUE")),
        ("=ops", ("--set '=ops': the key before '=' is empty", "expected KEY=VALUE")),
        (
            "settings.tiers[0=gold",
            ("--set 'settings.tiers[0=gold': the path 'settings.tiers[0' is malformed", "expected KEY=VALUE"),
        ),
        ("owner=[ops", ("--set 'owner=[ops': the value '[ops' is not valid YAML", "expected YAML syntax.")),
        (
            "aws:region.zone=a",
            (
                "--set 'aws:region.zone=a': config key aws:region holds the str 'ap-northeast-1'",
                "expected an object",
            ),
        ),
    ],
)
def test_bad_set(
    command: str,
    override: str,
    fragments: tuple[str, ...],
    programs: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = refused([command, "--program", str(programs / "ok"), "--stack", "dev", "--set", override], capsys)
    assert_names(err, *fragments)


@pytest.mark.parametrize("command", ["synth", "check"])
def test_config_file_that_does_not_exist(
    command: str, programs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = programs / "Pulumi.elsewhere.yaml"
    err = refused(
        [command, "--program", str(programs / "ok"), "--stack", "dev", "--config-file", str(missing)], capsys
    )
    assert_names(err, f"--config-file {missing}: ", "expected a", "Pulumi.<stack>.yaml")


# --- the tenant specification of the shipped stacks --------------------------------------------


@pytest.mark.parametrize("command", ["synth", "check"])
@pytest.mark.parametrize(
    "override, fragments",
    [
        (
            "tenant-zone:tenant.bogusKey=1",
            ("tenant-zone:tenant.bogusKey: is not a known key", "expected one of accountEmail,"),
        ),
        (
            "tenant-zone:tenant.primaryRegion=us-east-1",
            (
                "tenant-zone:tenant.primaryRegion: 'us-east-1' is outside Japan",
                "expected ap-northeast-1 or ap-northeast-3",
                "[RES-01]",
            ),
        ),
        (
            "tenant-zone:tenant.dataClassification=secret",
            (
                "tenant-zone:tenant.dataClassification: 'secret' is not an allowed value",
                "expected public, internal, confidential or personal",
                "[TEN-04]",
            ),
        ),
        (
            "tenant-zone:tenant=hello",
            (
                "config key tenant-zone:tenant is 'hello', which is not a valid JSON object",
                "--set tenant-zone:tenant=<value>",
            ),
        ),
    ],
)
def test_tenant_spec_errors(
    command: str, override: str, fragments: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused([command, "--program", str(REPO), "--stack", "acme-prod", "--set", override], capsys)
    assert_names(err, *fragments)


# --- flags argparse refuses --------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, fragments",
    [
        (["check", "--format", "xml"], ("argument --format: invalid choice: 'xml'", "'sarif'", "'junit'")),
        (["controls", "--format", "html"], ("argument --format: invalid choice: 'html'", "'md'", "'json'")),
        (["check", "--stack", "acme-prod", "--all"], ("argument --all: not allowed with argument --stack",)),
        (["bogus"], ("argument COMMAND: invalid choice: 'bogus'",)),
    ],
)
def test_flags_refused_by_the_parser(
    argv: list[str], fragments: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert_names(refused(argv, capsys), *fragments)


def test_config_file_with_all_stacks(programs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = programs / "ok" / "Pulumi.dev.yaml"
    err = refused(["check", "--all", "--program", str(programs / "ok"), "--config-file", str(config)], capsys)
    assert_names(err, f"--config-file {config}: only applies to one stack", "expected --stack <name>")


# --- output files: refused before any work, never left half-written ---------------------------


@pytest.mark.parametrize(
    "argv_of",
    [
        lambda programs, out: [
            "synth",
            "--program",
            str(programs / "raises"),
            "--stack",
            "dev",
            "--out",
            str(out),
        ],
        lambda programs, out: [
            "check",
            "--program",
            str(programs / "raises"),
            "--stack",
            "dev",
            "--output",
            str(out),
        ],
        lambda programs, out: ["check", "--program", str(programs / "raises"), "--all", "--output", str(out)],
        lambda programs, out: ["controls", "--output", str(out)],
    ],
    ids=["synth", "check-stack", "check-all", "controls"],
)
def test_output_under_a_file_is_refused_before_the_run(
    argv_of, programs: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    blocker = programs / "a-file"
    out = blocker / "reports" / "result.json"
    err = refused(argv_of(programs, out), capsys)
    # the program would raise if it ran: the path was refused first
    assert "tier gold" not in err
    assert_names(err, f"{out}: {blocker} is not a directory", "expected a writable file path")
    assert blocker.read_text(encoding="utf-8") == "not a directory\n"


@pytest.mark.parametrize("command, flag", [("synth", "--out"), ("check", "--output")])
def test_output_that_is_a_directory(
    command: str, flag: str, programs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = programs / "ok"
    err = refused([command, "--program", str(directory), "--stack", "dev", flag, str(directory)], capsys)
    assert_names(err, f"{flag} {directory}: is a directory", "expected a writable file path")


def test_refused_check_still_writes_its_report_saying_why(
    programs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports" / "gate.sarif"
    err = refused(
        [
            "check",
            "--program",
            str(programs / "raises"),
            "--stack",
            "dev",
            "--format",
            "sarif",
            "--output",
            str(out),
        ],
        capsys,
    )
    assert "tier gold is not offered" in err
    # CI reads the report file even when the run was refused: it is valid SARIF and says why.
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["version"] == "2.1.0"
    assert "tier gold is not offered" in out.read_text(encoding="utf-8")


def test_refused_check_replaces_the_previous_report_whole(
    programs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gate.json"
    out.write_text('{"previous": true}\n', encoding="utf-8")
    refused(
        [
            "check",
            "--program",
            str(programs / "raises"),
            "--stack",
            "dev",
            "--format",
            "json",
            "--output",
            str(out),
        ],
        capsys,
    )
    # the refusal replaces the previous report whole (written atomically: no partial or temporary file)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "previous" not in report
    assert "tier gold is not offered" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gate.json"]


# --- flag combinations: each refusal is one line in the project's message format ---------------


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["audit", "--all", "--tenant", "acme", "--env", "prod"],
            "tenantctl audit: error: --all: cannot be combined with --tenant/--env;"
            " expected one or the other.",
        ),
        (
            ["audit", "--tenant", "acme"],
            "tenantctl audit: error: --tenant/--env: both are needed (or --all);"
            " expected e.g. --tenant acme --env prod.",
        ),
        (
            ["audit", "--all", "--processes", "0"],
            "tenantctl audit: error: --processes 0: not a positive number; expected 1 or more.",
        ),
        (
            ["audit", "--all", "--concurrency", "2", "--processes", "3"],
            "tenantctl audit: error: --processes 3: more worker processes than --concurrency 2 tenants at"
            " once; expected at most 2 (or a higher --concurrency).",
        ),
        (
            ["check", "--stack", "dev", "--jobs", "0"],
            "tenantctl check: error: --jobs 0: must be at least 1; expected a process count, e.g. --jobs 2.",
        ),
        (
            ["check", "--stack", "dev", "--shard", "1/2"],
            "tenantctl check: error: --shard 1/2: shares out the stacks of --all, so it cannot be combined"
            " with --stack; expected --stack or --shard, not both.",
        ),
        (
            ["check", "--stack", "dev", "--cross-stack-only"],
            "tenantctl check: error: --cross-stack-only: needs every stack;"
            " expected --all, without --stack and --shard.",
        ),
        (
            ["check", "--stack", "dev", "--also", "pdf=gate.pdf"],
            "tenantctl check: error: --also pdf=gate.pdf: not FORMAT=FILE with a known format;"
            " expected one of text=FILE, json=FILE, sarif=FILE, junit=FILE.",
        ),
        (
            ["report", "--from", "shard-1.json", "--all", "--out", "{tmp}/report.html"],
            "tenantctl report: error: --from: renders existing reports, so --all and --set do not apply;"
            " expected --from without --all and --set, or no --from to check now.",
        ),
    ],
)
def test_flag_refusals_are_one_line_in_the_message_format(
    argv: list[str], line: str, programs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = ["--program", str(programs / "ok")] if argv[0] in ("check", "report") else []
    err = refused([part.format(tmp=tmp_path) for part in argv] + program, capsys)
    assert err == line + "\n"
