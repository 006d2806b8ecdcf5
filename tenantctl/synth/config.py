"""A stack's configuration as the Pulumi CLI hands it to a program.

Project-level config from ``Pulumi.yaml``, then ``Pulumi.<stack>.yaml``'s
``config:`` (or the ``--config-file`` that replaces it), then each ``--set`` in
order. Keys without a namespace get the project's. The program receives
strings: a scalar as written in the file, an object or list JSON-encoded.
``secure:`` values cannot be decrypted offline; they become secrets holding
``SECRET_PLACEHOLDER``, so the program still sees a secret where it expects one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenantctl import inputs
from tenantctl.errors import UserError
from tenantctl.inputs import InputError, read_yaml_document, shown, to_python
from tenantctl.inputs.memo import parsed_by_content
from tenantctl.synth.configpath import apply_override, parse_override
from tenantctl.synth.project import Project, full_key, stack_file

SECRET_PLACEHOLDER = "[secret]"


@dataclass(frozen=True)
class StackConfig:
    """``values``: full key -> the string the SDK receives; ``secret_keys``: keys whose values are secrets."""

    values: Mapping[str, str]
    secret_keys: frozenset[str]
    source: Path | None
    # `--config-file <path>` when that file replaced the stack's own: messages about the config name it
    origin: str = ""

    def namespace(self, package: str) -> dict[str, str]:
        """The keys of one namespace without it (``aws:region`` -> ``region``): a default provider's
        inputs."""
        prefix = f"{package}:"
        return {key[len(prefix) :]: value for key, value in self.values.items() if key.startswith(prefix)}


def encode(value: Any) -> str:
    """A config value as the SDK receives it: strings verbatim, objects as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, int | float):
        return _scalar_text(value)
    return json.dumps(_json_numbers(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _scalar_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_numbers(value: Any) -> Any:
    # Go's encoder writes 1.0 as 1; keep the JSON the program parses identical to the CLI's.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _json_numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_numbers(v) for v in value]
    return value


def _is_secure(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"secure"}


def _strip_secure(value: Any) -> tuple[Any, bool]:
    """Replace every ``{secure: ...}`` inside a value with the placeholder; report whether any was found."""
    if _is_secure(value):
        return SECRET_PLACEHOLDER, True
    if isinstance(value, Mapping):
        found = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[str(key)], hit = _strip_secure(item)
            found = found or hit
        return out, found
    if isinstance(value, list):
        items = [_strip_secure(item) for item in value]
        return [item for item, _ in items], any(hit for _, hit in items)
    return value, False


def _read_stack_file(path: Path, project_name: str, what: str) -> dict[str, tuple[Any, bool]]:
    """Config entries of one stack file: full key -> (value, secret). Scalars keep their source text."""
    return parsed_by_content(
        path, f"{what}\0{project_name}", lambda: _parse_stack_file(path, project_name, what)
    )


def _parse_stack_file(path: Path, project_name: str, what: str) -> dict[str, tuple[Any, bool]]:
    document = read_yaml_document(path, what)
    node = document.root
    if node is None:
        return {}
    if not isinstance(node, inputs.Mapping):
        raise InputError(
            document.source, node.line, node.column, "is not a mapping", "top-level keys such as config:"
        )
    config_node = node.get("config")
    if config_node is None or (isinstance(config_node, inputs.Scalar) and config_node.value is None):
        return {}
    if not isinstance(config_node, inputs.Mapping):
        raise InputError(
            document.source,
            config_node.line,
            config_node.column,
            "`config` is not a mapping",
            "`config:` with one key per line",
        )
    entries: dict[str, tuple[Any, bool]] = {}
    origins: dict[str, int] = {}
    for key_node, value_node in config_node.pairs:
        key = full_key(key_node.text, project_name)
        if key.split(":", 1)[1].startswith("config:"):
            key = key.replace(":config:", ":", 1)
        if key in origins:
            # `name` and `<project>:name` (or the old `:config:` form) are one key to the CLI
            raise InputError(
                document.source,
                key_node.line,
                key_node.column,
                f"the config key {shown(key_node.text)} is {key} again (first set on line {origins[key]})",
                "each config key once",
            )
        origins[key] = key_node.line
        if isinstance(value_node, inputs.Scalar):
            # The CLI keeps a top-level scalar as its source text (1.50 stays "1.50").
            text = "" if value_node.value is None and not value_node.quoted else value_node.text
            entries[key] = (text, False)
            continue
        value, secret = _strip_secure(to_python(value_node))
        entries[key] = (value, secret)
    return entries


def load_stack_config(
    project: Project,
    stack: str,
    *,
    config_file: Path | None = None,
    overrides: Sequence[str] = (),
) -> StackConfig:
    entries: dict[str, tuple[Any, bool]] = {}
    for key, value in project.config.items():
        stripped, secret = _strip_secure(value)
        entries[key] = (stripped, secret)
    if config_file is not None:
        source: Path | None = Path(config_file)
        if not Path(config_file).is_file():
            raise UserError(
                f"--config-file {config_file}: does not exist; expected a stack config file"
                " (Pulumi.<stack>.yaml)."
            )
    else:
        source = stack_file(project, stack)
    assert source is not None
    what = "--config-file" if config_file is not None else "stack config file"
    entries.update(_read_stack_file(source, project.name, what))
    for text in overrides:
        override = parse_override(text, project.name)
        current, secret = entries.get(override.key, (None, False))
        entries[override.key] = (apply_override(current, override), secret)
    missing = sorted(project.required - set(entries))
    if missing:
        raise UserError(
            f"stack {stack}: config key {missing[0]} is declared without a default in {project.file.name} but"
            f" not set in {source.name}; expected a value (add it to the stack file or pass --set"
            f" {missing[0]}=...)."
        )
    values = {key: encode(value) for key, (value, _) in entries.items()}
    secret_keys = frozenset(key for key, (_, secret) in entries.items() if secret)
    return StackConfig(values, secret_keys, source, f"{what} {source}" if config_file is not None else "")


def _without_secrets(value: Any) -> Any:
    if value == SECRET_PLACEHOLDER:
        return None
    if isinstance(value, Mapping):
        return {key: _without_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_secrets(item) for item in value]
    return value


def stack_file_entries(project: Project, stack: str, *, config_file: Path | None = None) -> dict[str, Any]:
    """What the stack's config file (or ``--config-file``) stores, by full key, with every ``secure:`` part
    None: the plain text a reader of the repository sees."""
    source = Path(config_file) if config_file is not None else stack_file(project, stack)
    what = "--config-file" if config_file is not None else "stack config file"
    entries = _read_stack_file(source, project.name, what)
    return {key: _without_secrets(value) if secret else value for key, (value, secret) in entries.items()}
