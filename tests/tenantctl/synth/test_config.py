"""Stack config as the CLI hands it to the program: stack files, project defaults, --config-file, --set,
secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenantctl.errors import UserError
from tenantctl.synth import synthesize
from tenantctl.synth.config import SECRET_PLACEHOLDER, load_stack_config
from tenantctl.synth.project import load_project
from tests.tenantctl.synth.conftest import DEFAULT_PROVIDER, MINIMAL, by_name


def project_with(tmp_path: Path, stack_yaml: str, project_extra: str = "") -> Path:
    (tmp_path / "Pulumi.yaml").write_text(f"name: demo\nruntime: python\n{project_extra}", encoding="utf-8")
    (tmp_path / "__main__.py").write_text("", encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text(stack_yaml, encoding="utf-8")
    return tmp_path


def test_stack_file_values_reach_the_program_as_the_cli_passes_them(tmp_path: Path) -> None:
    program = project_with(
        tmp_path,
        "config:\n"
        "  aws:region: ap-northeast-1\n"
        "  count: 1.50\n"              # a top-level scalar keeps its source text
        "  flag: yes\n"                # YAML 1.2: a string
        "  day: 2024-01-01\n"          # no timestamps either
        "  empty:\n"
        "  spec: {b: 2, a: [1, 2.0], c: {d: true}}\n"
        "  demo:config:legacy: old-form\n",
    )  # fmt: skip
    config = load_stack_config(load_project(program), "dev")
    assert dict(config.values) == {
        "aws:region": "ap-northeast-1",
        "demo:count": "1.50",
        "demo:flag": "yes",
        "demo:day": "2024-01-01",
        "demo:empty": "",
        "demo:spec": '{"a":[1,2],"b":2,"c":{"d":true}}',
        "demo:legacy": "old-form",
    }
    assert config.secret_keys == frozenset()
    assert config.namespace("aws") == {"region": "ap-northeast-1"}


def test_secure_values_become_secret_placeholders(tmp_path: Path) -> None:
    program = project_with(
        tmp_path,
        "config:\n  password:\n    secure: v1:AAAA\n  db:\n    host: db.local\n    password:\n      secure:"
        " v1:BBBB\n",
    )
    config = load_stack_config(load_project(program), "dev")
    assert config.values["demo:password"] == SECRET_PLACEHOLDER
    assert json.loads(config.values["demo:db"]) == {"host": "db.local", "password": SECRET_PLACEHOLDER}
    assert config.secret_keys == {"demo:password", "demo:db"}


def test_project_config_defaults_and_required_keys(tmp_path: Path) -> None:
    project_extra = (
        "config:\n"
        "  aws:region: ap-northeast-3\n"
        "  size:\n    type: integer\n    default: 3\n"
        "  owner:\n    type: string\n"
    )
    program = project_with(tmp_path, "config:\n  owner: platform\n  size: 5\n", project_extra)
    config = load_stack_config(load_project(program), "dev")
    assert config.values["aws:region"] == "ap-northeast-3"  # a plain project value applies to every stack
    assert config.values["demo:size"] == "5"  # the stack file wins over the default
    assert config.values["demo:owner"] == "platform"
    (program / "Pulumi.dev.yaml").write_text("config: {}\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_stack_config(load_project(program), "dev")
    assert str(caught.value).startswith(
        "stack dev: config key demo:owner is declared without a default in Pulumi.yaml but not set in"
        " Pulumi.dev.yaml"
    )
    assert (
        load_stack_config(load_project(program), "dev", overrides=["owner=ops"]).values["demo:owner"] == "ops"
    )


def test_set_overrides_reach_the_program() -> None:
    synth = synthesize(MINIMAL, "dev", overrides=["settings.retentionDays=30", "aws:region=ap-northeast-3"])
    assert by_name(synth, "pinned")["inputs"]["retentionInDays"] == 30
    assert by_name(synth, "reader")["inputs"]["tags"] == {
        "owner": "platform"
    }  # the rest of the object is kept
    assert by_name(synth, "data")["region"] == "ap-northeast-3"
    assert by_name(synth, DEFAULT_PROVIDER, "pulumi:providers:aws")["inputs"]["region"] == "ap-northeast-3"


def test_config_file_replaces_the_stack_file(tmp_path: Path) -> None:
    config_file = tmp_path / "other.yaml"
    config_file.write_text(
        "config:\n  minimal:bucketPrefix: other\n  minimal:settings: {retentionDays: 7, owner: ops}\n"
        "  minimal:dbPassword: plain\n",
        encoding="utf-8",
    )
    synth = synthesize(MINIMAL, "dev", config_file=config_file)
    assert by_name(synth, "logs")["inputs"]["bucket"] == "other-logs"
    # no aws:region in this file: the default provider has no region, so neither have its resources
    default = by_name(synth, DEFAULT_PROVIDER, "pulumi:providers:aws")
    assert "region" not in default["inputs"]
    assert by_name(synth, "data")["region"] is None
    assert by_name(synth, "replica")["region"] == "ap-northeast-3"  # the explicit provider still has one


def test_missing_config_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        synthesize(MINIMAL, "dev", config_file=tmp_path / "absent.yaml")
    assert str(caught.value).startswith(f"--config-file {tmp_path / 'absent.yaml'}: does not exist;")
