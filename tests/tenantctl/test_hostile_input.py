"""Hostile and malformed stack files and --set values, through `tenantctl check` as CI runs it.

Each input either made the tool crash (exit 3) or was accepted although a reviewer of the pull request would
read it differently from the tool. Each must now exit 2 with a message that names the file (or the --set
argument), the place, the problem and the fix, and write nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tenantctl.cli import main

REPO = Path(__file__).resolve().parents[2]
BASE = (REPO / "stacks" / "Pulumi.acme-prod.yaml").read_text(encoding="utf-8")


def refused(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The stderr lines of a run that must exit 2, with nothing on stdout and no traceback."""
    code = main(["check", "--stack", "acme-prod", *argv])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err and "never awaited" not in captured.err
    return captured.err.splitlines()


def config_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "Pulumi.acme-prod.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def with_value(key: str, value: str) -> str:
    """The shipped acme-prod stack file with one tenant setting's value replaced by ``value`` (YAML
    source)."""
    lines = BASE.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith(f"    {key}:"):
            lines[index] = f"    {key}: {value}\n"
            return "".join(lines)
    raise AssertionError(f"{key} is not in the shipped stack file")


def appended(extra: str) -> str:
    """The shipped stack file with ``extra`` lines appended inside the tenant object."""
    return BASE + extra


def one_line(lines: list[str], expected: str) -> None:
    assert lines == [f"tenantctl check: error: {expected}"]


# --- crashes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment, column, byte",
    [(b"# caf\xe9\n", 6, "0xe9"), (b"# \x93\xfa\x96\x7b\n", 3, "0x93")],
    ids=["latin-1", "shift_jis"],
)
def test_a_comment_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], comment: bytes, column: int, byte: str
) -> None:
    path = config_file(tmp_path, comment + BASE.encode())
    lines = refused(["--config-file", str(path)], capsys)
    one_line(
        lines,
        f"--config-file {path}:1:{column}: byte {column - 1} ({byte}) is not UTF-8 (invalid "
        + lines[0].split("(invalid ", 1)[1],
    )
    assert lines[0].endswith(
        "; expected UTF-8 text (re-save the file as UTF-8; a Latin-1 or Shift_JIS comment is the usual"
        " cause)."
    )


def test_a_utf16_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, BASE.encode("utf-16"))
    one_line(
        refused(["--config-file", str(path)], capsys),
        f"--config-file {path}: is encoded as UTF-16 (byte order mark ff fe); expected UTF-8 text.",
    )


UNSUPPORTED = (
    "is not supported; expected a plain string, number, boolean, null, list or mapping (config is"
    " JSON-shaped; quote the value to keep it as text)."
)


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!Ref Something", "!Ref"),
        ("!!python/object:os.system ls", "!!python/object:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!timestamp 2024-01-01", "!!timestamp"),
    ],
)
def test_a_tag_outside_the_core_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, tag: str
) -> None:
    path = config_file(tmp_path, with_value("domainName", value))
    line = BASE.splitlines().index("    domainName: app.acme.example.jp") + 1
    one_line(
        refused(["--config-file", str(path)], capsys),
        f"--config-file {path}:{line}:17: the tag '{tag}' {UNSUPPORTED}",
    )


def test_a_key_that_is_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, appended("    ? [a]\n    : 1\n"))
    line = len(BASE.splitlines()) + 1
    one_line(
        refused(["--config-file", str(path)], capsys),
        f"--config-file {path}:{line}:7: a mapping key is a list or a mapping; expected a string key (config"
        " is JSON-shaped: object keys are strings).",
    )


@pytest.mark.parametrize("value, kind", [("!!int abc", "an integer"), ("!!float abc", "a number")])
def test_a_core_tag_that_does_not_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, kind: str
) -> None:
    path = config_file(tmp_path, with_value("rateLimit", value))
    line = BASE.splitlines().index(next(x for x in BASE.splitlines() if x.startswith("    rateLimit:"))) + 1
    tag = value.split()[0]
    one_line(
        refused(["--config-file", str(path)], capsys),
        f"--config-file {path}:{line}:16: 'abc' is tagged {tag} but is not {kind}; expected {kind} as YAML"
        " 1.2 writes it, or no tag (quote the value to keep it as text).",
    )


def test_an_integer_longer_than_pythons_conversion_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, with_value("rateLimit", "9" * 4301))
    (line,) = refused(["--config-file", str(path)], capsys)
    assert line.startswith(f"tenantctl check: error: --config-file {path}:")
    assert line.endswith(
        "... (4301 characters)' does not fit in 64 bits; expected a smaller number, or a quoted string if it"
        " is an identifier."
    )


@pytest.mark.parametrize(
    "override, problem",
    [
        ("tenant.rateLimit=!!int abc", "'abc' is tagged !!int but is not an integer"),
        ("tenant.rateLimit=" + "9" * 4301, "the integer '99999999999999999999"),
        ("tenant.x=!!binary aGk=", "the tag '!!binary' is not supported"),
    ],
)
def test_the_same_values_through_set(override: str, problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = refused(["--set", override], capsys)
    assert line.startswith("tenantctl check: error: --set 'tenant.")
    assert f": {problem}" in line
    assert len(line) < 600


def test_a_recursive_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, appended("    extra: &t\n      - *t\n"))
    line = len(BASE.splitlines()) + 2
    one_line(
        refused(["--config-file", str(path)], capsys),
        f"--config-file {path}:{line}:9: the alias *t refers to the node that contains it (a recursive"
        " alias); expected an alias to a complete node defined before it.",
    )


def test_nesting_500_levels_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, appended("    extra: " + "[" * 500 + "]" * 500 + "\n"))
    line = len(BASE.splitlines()) + 1
    one_line(
        refused(["--config-file", str(path)], capsys),
        f"--config-file {path}:{line}:76: lists and mappings nest deeper than 64 levels; expected at most 64 "
        "levels of nesting.",
    )


def test_a_set_path_500_segments_deep(capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = refused(["--set", "tenant" + ".a" * 500 + "=1"], capsys)
    assert line.startswith("tenantctl check: error: --set 'tenant.a.a.a")
    assert line.endswith(
        "the path has 501 elements, more than the 64 levels of nesting a config value may have; expected "
        "KEY=VALUE where KEY is a config key with an optional path, e.g. --set "
        "'tenant-zone:tenant.vpcCidr=10.9.0.0/16' or --set aws:region=ap-northeast-1."
    )


# --- inputs that were accepted ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, first, second",
    [("shieldAdvanced", "false", "true"), ("primaryRegion", "us-east-1", "ap-northeast-1")],
)
def test_a_duplicate_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, first: str, second: str
) -> None:
    text = with_value(key, first).replace(
        f"    {key}: {first}\n", f"    {key}: {first}\n    {key}: {second}\n"
    )
    path = config_file(tmp_path, text)
    line = text.splitlines().index(f"    {key}: {first}") + 1
    one_line(
        refused(["--config-file", str(path)], capsys),
        f"--config-file {path}:{line + 1}:5: the key '{key}' is defined twice, on lines {line} and {line + 1}"
        " (a reader sees the first, YAML 1.2 forbids the second); expected each key once.",
    )


def test_an_alias_bomb_under_an_unused_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = ["  bomb:", "    a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefg":
        bomb.append(f"    {level}: &{level} [{', '.join([f'*{chr(ord(level) - 1)}'] * 10)}]")
    text = BASE.replace(
        "config:\n", "config:\n" + "\n".join(bomb).replace("  bomb:", "  tenant-zone:bomb:") + "\n"
    )
    path = config_file(tmp_path, text)
    (line,) = refused(["--config-file", str(path)], capsys)
    assert line.startswith(f"tenantctl check: error: --config-file {path}:")
    assert line.endswith(
        ": aliases expand the document to more than 100000 nodes; expected aliases that repeat small parts"
        " only (an alias bomb is refused)."
    )


def spec_problem(lines: list[str], path: Path, problem: str) -> None:
    assert lines == [
        (
            f"tenantctl check: error: --config-file {path}: invalid tenant specification in stack acme-prod"
            " (1 problem):"
        ),
        problem,
    ]


@pytest.mark.parametrize(
    "key, problem",
    [
        (
            "domainName",
            (
                "tenant-zone:tenant.domainName: 'app.acme.example.jp\\n' is not a fully qualified lower-case"
                " domain name (it has characters outside printable ASCII (write an internationalized name in"
                " its xn-- form)); expected a DNS name such as 'app.example.co.jp'."
            ),
        ),
        (
            "incidentEmail",
            (
                "tenant-zone:tenant.incidentEmail: 'security@acme.example.jp\\n' is not a valid e-mail"
                " address (the part after the @-sign contains invalid characters: U+000A); expected the"
                " incident contact's address of at most 254 characters. [LOG-05]"
            ),
        ),
        (
            "hostedZoneId",
            (
                "tenant-zone:tenant.hostedZoneId: 'Z0418273ACMEPRODEXMPL\\n' is not a Route 53 hosted zone"
                " ID; expected an ID such as 'Z0123456789ABCDEFGHIJ'."
            ),
        ),
    ],
)
def test_a_trailing_newline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, problem: str
) -> None:
    current = next(x for x in BASE.splitlines() if x.startswith(f"    {key}:")).split(": ", 1)[1]
    path = config_file(tmp_path, with_value(key, f'"{current}\\n"'))
    spec_problem(refused(["--config-file", str(path)], capsys), path, problem)


@pytest.mark.parametrize(
    "address, why",
    [
        ("a..b@acme.example.jp", "an email address cannot have two periods in a row"),
        (".a@acme.example.jp", "an email address cannot start with a period"),
        (
            "a" * 65 + "@acme.example.jp",
            "the email address is too long before the @-sign (1 character too many)",
        ),
        ("soc@[192.0.2.1]", "a bracketed IP address after the @-sign is not allowed here"),
        ("soc@acme.j", "its domain ends in 'j', which is not a top-level domain (two or more letters)"),
    ],
)
def test_a_malformed_email(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str, why: str
) -> None:
    path = config_file(tmp_path, with_value("incidentEmail", f"'{address}'"))
    spec_problem(
        refused(["--config-file", str(path)], capsys),
        path,
        f"tenant-zone:tenant.incidentEmail: '{address}' is not a valid e-mail address ({why}); expected the "
        "incident contact's address of at most 254 characters. [LOG-05]",
    )


def test_a_set_key_with_a_space_before_the_colon(capsys: pytest.CaptureFixture[str]) -> None:
    one_line(
        refused(["--set", "tenant-zone :tenant.rateLimit=10"], capsys),
        "--set 'tenant-zone :tenant.rateLimit=10': the namespace 'tenant-zone ' is not a package name"
        " (letters, digits, '-', '_', '.'), so no program would read the key; expected KEY=VALUE where KEY is"
        " a config key with an optional path, e.g. --set 'tenant-zone:tenant.vpcCidr=10.9.0.0/16' or --set"
        " aws:region=ap-northeast-1.",
    )


def test_a_snake_case_spelling_of_a_known_key(capsys: pytest.CaptureFixture[str]) -> None:
    lines = refused(["--set", "tenant.vpc_cidr=10.99.0.0/16"], capsys)
    assert lines[1:] == [
        "tenant-zone:tenant.vpc_cidr: is not a known key (did you mean vpcCidr?); expected one of"
        " accountEmail, allowedCidrs, allowedCountries, availabilityZones, backup, blockedCidrs,"
        " dataClassification, domainName, environment, hostedZoneId, id, incidentEmail, logRetentionDays,"
        " mail, primaryRegion, rateLimit, secondaryRegion, shieldAdvanced, vpcCidr."
    ]


def test_org_stack_naming_a_tenant_stack(capsys: pytest.CaptureFixture[str]) -> None:
    lines = refused(["--set", "tenant-zone:orgStack=beta-prod"], capsys)
    assert lines[1:] == [
        "tenant-zone:orgStack: 'beta-prod' is not the org stack; expected org, <organization>/org or "
        "<organization>/tenant-zone/org (the stack that creates the tenant accounts). [TEN-01]"
    ]


def test_a_netmask_is_not_called_host_bits(capsys: pytest.CaptureFixture[str]) -> None:
    lines = refused(["--set", "tenant.vpcCidr=10.16.0.0/255.255.0.0"], capsys)
    assert lines[1:] == [
        "tenant-zone:tenant.vpcCidr: '10.16.0.0/255.255.0.0' is written with a netmask instead of a prefix "
        "length; expected the CIDR notation '10.16.0.0/16'."
    ]


def test_a_raw_newline_and_a_long_value_are_escaped_and_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, with_value("id", '"acme\\n\\x1b[31mred' + "x" * 10_000 + '"'))
    lines = refused(["--config-file", str(path)], capsys)
    assert len(lines) == 2
    assert lines[1].startswith("tenant-zone:tenant.id: 'acme\\n\\x1b[31mred")
    assert "... (10" in lines[1] and "characters)' is not a lowercase slug" in lines[1]
    assert len(lines[1]) < 300


def test_a_problem_in_a_config_file_names_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, with_value("rateLimit", "5"))
    lines = refused(["--config-file", str(path)], capsys)
    assert lines[0].startswith(f"tenantctl check: error: --config-file {path}: ")
    assert "Pulumi.acme-prod.yaml" not in lines[0].replace(str(path), "")


def test_a_set_key_with_a_control_character(capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = refused(["--set", "tenant.backup.retentionDays\x10x=90"], capsys)
    assert line.startswith(
        "tenantctl check: error: --set 'tenant.backup.retentionDays\\x10x=90': the path element "
        "'retentionDays\\x10x' has a control or non-printable character, so a reviewer cannot read the key;"
    )


def test_a_key_with_a_control_character_in_a_file_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, appended('    "rate\\x1bLimit": 10\n'))
    lines = refused(["--config-file", str(path)], capsys)
    assert lines[1].startswith("tenant-zone:tenant.rate\\x1bLimit: is not a known key")
