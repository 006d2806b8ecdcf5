"""The input reader: every malformed or hostile YAML input is one located message, never a crash or a
guess."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from tenantctl.inputs import DEFAULT_LIMITS, InputError, Limits, parse_yaml_text, read_yaml_document

SOURCE = "stack config file s.yaml"


def refusal(text: str, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(InputError) as caught:
        parse_yaml_text(text, SOURCE, limits)
    message = str(caught.value)
    assert "\n" not in message
    return message


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "Pulumi.x.yaml"
    path.write_bytes(data)
    return path


def test_yaml_1_2_core_schema_as_the_pulumi_cli_reads_it() -> None:
    text = "a: [x, 'y', 0o17, 0x1F, 010, 1.5, -2, .inf, yes, on, 2024-01-01, ~, true, False, !!str 12]\n"
    value = parse_yaml_text(text, SOURCE).to_python()
    assert value == {
        "a": ["x", "y", 15, 31, 10, 1.5, -2, math.inf, "yes", "on", "2024-01-01", None, True, False, "12"]
    }


def test_an_alias_to_a_complete_node_is_its_value() -> None:
    assert parse_yaml_text("a: &x [1, 2]\nb: *x\n", SOURCE).to_python() == {"a": [1, 2], "b": [1, 2]}


def test_nodes_keep_source_text_and_position() -> None:
    document = parse_yaml_text("config:\n  k: 1.50\n", SOURCE)
    root = document.root
    assert root is not None and hasattr(root, "get")
    config = root.get("config")  # type: ignore[attr-defined]
    (key, value), *_ = config.pairs
    assert (key.text, key.line, key.column) == ("k", 2, 3)
    assert (value.text, value.value) == ("1.50", 1.5)


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfa: 1\n")
    assert read_yaml_document(path, "--config-file").to_python() == {"a": 1}


@pytest.mark.parametrize(
    "data, where",
    [
        (b"a: 1\n# caf\xe9\n", "2:6: byte 10 (0xe9) is not UTF-8"),  # Latin-1
        (b"a: 1\n# \x93\xfa\x96\x7b\n", "2:3: byte 7 (0x93) is not UTF-8"),  # Shift_JIS
    ],
)
def test_bytes_that_are_not_utf8_are_located(tmp_path: Path, data: bytes, where: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as caught:
        read_yaml_document(path, "--config-file")
    assert str(caught.value).startswith(f"--config-file {path}:{where} (invalid")
    assert str(caught.value).endswith(
        "; expected UTF-8 text (re-save the file as UTF-8; a Latin-1 or Shift_JIS comment is the usual"
        " cause)."
    )


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\n".encode("utf-16"))
    with pytest.raises(InputError) as caught:
        read_yaml_document(path, "--config-file")
    assert (
        str(caught.value)
        == f"--config-file {path}: is encoded as UTF-16 (byte order mark ff fe); expected UTF-8 text."
    )


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = write(tmp_path, b"a: " + b"x" * 200 + b"\n")
    with pytest.raises(InputError) as caught:
        read_yaml_document(path, "--config-file", Limits(max_bytes=100))
    assert (
        str(caught.value)
        == f"--config-file {path}: is larger than 100 bytes; expected a YAML file of at most 100 bytes."
    )


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_yaml_document(tmp_path, "--config-file")
    assert str(caught.value).startswith(f"--config-file {tmp_path}: cannot be read (")


def test_duplicate_keys_name_both_lines() -> None:
    text = "config:\n  shieldAdvanced: false\n  shieldAdvanced: true\n"
    assert (
        refusal(text)
        == f"{SOURCE}:3:3: the key 'shieldAdvanced' is defined twice, on lines 2 and 3 (a reader sees the"
        " first, YAML 1.2 forbids the second); expected each key once."
    )


def test_duplicate_keys_are_found_at_any_depth() -> None:
    text = "config:\n  t:\n    primaryRegion: us-east-1\n    primaryRegion: ap-northeast-1\n"
    assert refusal(text).startswith(
        f"{SOURCE}:4:5: the key 'primaryRegion' is defined twice, on lines 3 and 4"
    )


@pytest.mark.parametrize("tag", ["!Ref", "!!python/object:os.system", "!!binary", "!!set", "!!timestamp"])
def test_tags_outside_the_core_schema_are_refused(tag: str) -> None:
    value = "{a, b}" if tag == "!!set" else "x"
    assert (
        refusal(f"a: {tag} {value}\n")
        == f"{SOURCE}:1:4: the tag '{tag}' is not supported; expected a plain string, number, boolean, null,"
        " list or mapping (config is JSON-shaped; quote the value to keep it as text)."
    )


def test_timestamp_and_binary_values_without_tags_stay_strings() -> None:
    assert parse_yaml_text("a: 2024-01-01T00:00:00Z\n", SOURCE).to_python() == {"a": "2024-01-01T00:00:00Z"}


@pytest.mark.parametrize(
    "text, kind",
    [("!!int abc", "an integer"), ("!!float abc", "a number"), ("!!bool maybe", "a boolean (true or false)")],
)
def test_a_core_tag_on_a_value_it_does_not_fit_is_refused(text: str, kind: str) -> None:
    tag, value = text.split()
    assert (
        refusal(f"a: {text}\n")
        == f"{SOURCE}:1:4: '{value}' is tagged {tag} but is not {kind}; expected {kind} as YAML 1.2 writes"
        " it, or no tag (quote the value to keep it as text)."
    )


def test_a_non_scalar_key_is_refused() -> None:
    assert (
        refusal("config:\n  ? [a]\n  : 1\n")
        == f"{SOURCE}:2:5: a mapping key is a list or a mapping; expected a string key (config is"
        " JSON-shaped: "
        "object keys are strings)."
    )


@pytest.mark.parametrize("digits", [21, 4301, 60_000])
def test_integers_beyond_64_bits_are_refused_before_conversion(digits: int) -> None:
    message = refusal(f"a: {'9' * digits}\n")
    assert message.startswith(f"{SOURCE}:1:4: the integer '9999")
    assert message.endswith(
        "does not fit in 64 bits; expected a smaller number, or a quoted string if it is an identifier."
    )
    assert len(message) < 300


def test_64_bit_integers_are_read() -> None:
    assert parse_yaml_text("a: 18446744073709551615\nb: -9223372036854775808\n", SOURCE).to_python() == {
        "a": 2**64 - 1,
        "b": -(2**63),
    }


def test_a_recursive_alias_is_refused() -> None:
    assert (
        refusal("a: &t\n  - 1\n  - *t\n")
        == f"{SOURCE}:3:5: the alias *t refers to the node that contains it (a recursive alias); expected an"
        " alias to a complete node defined before it."
    )


def test_an_alias_without_anchor_is_refused() -> None:
    assert refusal("a: *nowhere\n").startswith(f"{SOURCE}:1:4: the alias *nowhere has no anchor before it;")


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefg":  # 10^7 leaves under an unused key
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 10)}]")
    started = time.perf_counter()
    message = refusal("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert (
        message
        == f"{SOURCE}:5:36: aliases expand the document to more than 100000 nodes; expected aliases that"
        " repeat "
        "small parts only (an alias bomb is refused)."
    )


@pytest.mark.parametrize(
    "text, where",
    [
        ("a: " + "[" * 600 + "]" * 600 + "\n", "1:68"),
        ("a: " + "{b: " * 600 + "1" + "}" * 600 + "\n", "1:260"),
        ("".join("  " * i + "k:\n" for i in range(600)), "65:129"),
        ("".join("  " * i + "-\n" for i in range(600)), "65:129"),
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings", "block-sequences"],
)
def test_nesting_deeper_than_the_limit_is_refused(text: str, where: str) -> None:
    assert (
        refusal(text)
        == f"{SOURCE}:{where}: lists and mappings nest deeper than 64 levels; expected at most 64 levels of"
        " nesting."
    )


def test_ten_thousand_open_brackets_do_not_stall_the_parser() -> None:
    started = time.perf_counter()
    refusal("a: " + "[" * 10_000 + "\n")
    assert time.perf_counter() - started < 1.0


def test_brackets_inside_quotes_and_comments_do_not_count_as_nesting() -> None:
    text = "a: '" + "[" * 100 + "'\nb: \"" + "{" * 100 + '"  # ' + "[" * 100 + "\n"
    assert parse_yaml_text(text, SOURCE).to_python() == {"a": "[" * 100, "b": "{" * 100}


def test_a_scalar_over_the_length_limit_is_refused() -> None:
    assert (
        refusal("a: " + "x" * 101 + "\n", Limits(max_scalar=100))
        == f"{SOURCE}:1:4: a value of 101 characters is longer than the limit; expected at most 100"
        " characters."
    )


def test_a_second_document_is_refused() -> None:
    assert (
        refusal("a: 1\n---\nb: 2\n")
        == f"{SOURCE}:2:1: holds a second YAML document (after ---); expected one document per file."
    )


def test_syntax_errors_are_located() -> None:
    assert (
        refusal("config:\n  a: [1, 2\n")
        == f"{SOURCE}:3:1: is not valid YAML (while parsing a flow sequence expected ',' or ']', but got "
        "'<stream end>'); expected YAML syntax."
    )


def test_a_control_character_is_located_and_escaped() -> None:
    message = refusal("a: 1\nb: \x07\n")
    assert message.startswith(f"{SOURCE}:2:4: is not valid YAML (unacceptable character #x0007")
    assert "\x07" not in message


def test_the_readme_states_the_limits_the_reader_applies() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    limits = DEFAULT_LIMITS
    stated = [
        f"past {limits.max_nodes:,}\nnodes",
        f"deeper than {limits.max_depth} levels",
        f"values over {limits.max_scalar // 1024} KiB",
        f"integers over {limits.max_int_bits} bits",
        f"files over {limits.max_bytes // 2**20} MiB",
    ]
    assert [fact for fact in stated if fact not in readme] == []
