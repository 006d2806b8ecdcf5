"""``--set`` parsing and application: the pure functions behind ``pulumi config set --path`` semantics."""

from __future__ import annotations

from typing import Any

import pytest

from tenantctl.errors import UserError
from tenantctl.synth.configpath import apply_override, parse_override, parse_path

PROJECT = "tenant-zone"


@pytest.mark.parametrize(
    "path, segments",
    [
        ("tenant", ["tenant"]),
        ("tenant.vpcCidr", ["tenant", "vpcCidr"]),
        ("a.b[0].c", ["a", "b", 0, "c"]),
        ('tags["data-classification"]', ["tags", "data-classification"]),
        ('a["x.y"][2]', ["a", "x.y", 2]),
        ('a["say \\"hi\\""]', ["a", 'say "hi"']),
        ("a[10][3]", ["a", 10, 3]),
    ],
)
def test_parse_path(path: str, segments: list[Any]) -> None:
    assert parse_path(path) == segments


@pytest.mark.parametrize(
    "path, problem",
    [
        ("", "the key is empty"),
        (".a", "a path element is empty"),
        ("a..b", "a path element is empty"),
        ("a.", "the path ends with a dot"),
        ("a[x]", "index [x] is not a non-negative integer"),
        ("a[-1]", "index [-1] is not a non-negative integer"),
        ("a[0", "an index has no closing ']'"),
        ('a["x', "a quoted name has no closing quote"),
        ('a["x"y]', "a quoted name is not followed by ']'"),
        ("a[0]b", "expected '.' or '[' before 'b'"),
    ],
)
def test_parse_path_errors(path: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        parse_path(path)


@pytest.mark.parametrize(
    "text, key, path, value",
    [
        ("tenant-zone:tenant.vpcCidr=10.9.0.0/16", "tenant-zone:tenant", ("vpcCidr",), "10.9.0.0/16"),
        ("tenant.vpcCidr=10.9.0.0/16", "tenant-zone:tenant", ("vpcCidr",), "10.9.0.0/16"),
        ("aws:region=us-east-1", "aws:region", (), "us-east-1"),
        ("aws:config:region=us-east-1", "aws:region", (), "us-east-1"),
        ("a.b[0]=x", "tenant-zone:a", ("b", 0), "x"),
        ("tenant.logRetentionDays=400", "tenant-zone:tenant", ("logRetentionDays",), 400),
        ("tenant.shieldAdvanced=false", "tenant-zone:tenant", ("shieldAdvanced",), False),
        ("tenant.ratio=1.5", "tenant-zone:tenant", ("ratio",), 1.5),
        ("tenant.code=0123", "tenant-zone:tenant", ("code",), "0123"),  # a leading zero keeps it a string
        ("tenant.allowedCountries=[JP, KR]", "tenant-zone:tenant", ("allowedCountries",), ["JP", "KR"]),
        ("tenant.answer=yes", "tenant-zone:tenant", ("answer",), "yes"),  # YAML 1.2: not a boolean
        ("tenant.note=a=b", "tenant-zone:tenant", ("note",), "a=b"),  # only the first '=' separates
        ("tenant.empty=", "tenant-zone:tenant", ("empty",), ""),
    ],
)
def test_parse_override(text: str, key: str, path: tuple[Any, ...], value: Any) -> None:
    override = parse_override(text, PROJECT)
    assert (override.key, override.path, override.value) == (key, path, value)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("tenant.vpcCidr", "there is no '='"),
        ("=x", "the key before '=' is empty"),
        (":region=x", "the namespace before ':' is empty"),
        ("tenant..x=1", "the path 'tenant..x' is malformed: a path element is empty"),
        ("tenant[0=1", "the path 'tenant[0' is malformed: an index has no closing ']'"),
        ("[0]=1", "the config key 0 is not a name"),
    ],
)
def test_parse_override_errors(text: str, problem: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_override(text, PROJECT)
    message = str(caught.value)
    assert message.startswith(f"--set {text!r}: {problem}")
    assert "expected KEY=VALUE" in message and "tenant-zone:tenant.vpcCidr=10.9.0.0/16" in message


def test_a_malformed_value_is_located_in_the_value() -> None:
    with pytest.raises(UserError) as caught:
        parse_override("tenant.x=[1, 2", PROJECT)
    assert (
        str(caught.value)
        == "--set 'tenant.x=[1, 2': the value '[1, 2' is not valid YAML (while parsing a flow sequence"
        " expected ',' or ']', but got '<stream end>') (at column 6); expected YAML syntax."
    )


def apply(current: Any, text: str) -> Any:
    return apply_override(current, parse_override(text, PROJECT))


def test_apply_sets_inside_existing_objects_without_touching_the_rest() -> None:
    current = {"id": "acme", "backup": {"retentionDays": 90}}
    assert apply(current, "tenant.backup.retentionDays=35") == {"id": "acme", "backup": {"retentionDays": 35}}
    assert current == {"id": "acme", "backup": {"retentionDays": 90}}  # not mutated


def test_apply_creates_missing_objects_and_lists() -> None:
    assert apply(None, "a.b[0]=x") == {"b": ["x"]}
    assert apply(None, "a[0].name=x") == [{"name": "x"}]
    assert apply({"b": ["x"]}, "a.b[1]=y") == {"b": ["x", "y"]}  # index == length appends
    assert apply({"b": ["x"]}, "a.b[0]=z") == {"b": ["z"]}
    assert apply("", "a.b=1") == {"b": 1}  # an empty value counts as unset


def test_apply_top_level_keeps_scalars_as_typed_and_objects_as_objects() -> None:
    assert apply({"old": True}, "aws:region=ap-northeast-3") == "ap-northeast-3"
    assert apply(None, "count=1.50") == "1.50"  # the CLI stores a top-level value verbatim
    assert apply(None, "tenant={id: acme, environment: prod}") == {"id": "acme", "environment": "prod"}


@pytest.mark.parametrize(
    "current, text, problem",
    [
        (
            "plain",
            "a.b=1",
            "config key tenant-zone:a holds the str 'plain'; expected an object to set .b inside it",
        ),
        (
            {"b": []},
            "a.b[2]=1",
            "index [2] is out of range for tenant-zone:a.b with 0 items; expected at most 0",
        ),
        ({"b": {}}, "a.b[0]=1", "tenant-zone:a.b is an object; expected a list for the index [0]"),
        ({"b": [1]}, "a.b.c=1", "tenant-zone:a.b is a list; expected an object for the key .c"),
        (
            {"b": "s"},
            "a.b.c=1",
            "tenant-zone:a.b holds the str 's'; expected an object or list to set .c inside it",
        ),
    ],
)
def test_apply_errors(current: Any, text: str, problem: str) -> None:
    with pytest.raises(UserError) as caught:
        apply(current, text)
    assert str(caught.value).startswith(f"--set {text!r}: {problem}")
