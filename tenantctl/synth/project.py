"""A Pulumi project on disk: ``Pulumi.yaml`` and its stack files, read as the Pulumi CLI reads them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenancy.stackfiles import stack_file_in, stack_files, stack_name
from tenantctl.errors import UserError
from tenantctl.inputs import read_yaml_document
from tenantctl.inputs.memo import parsed_by_content

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


@dataclass(frozen=True)
class Project:
    """What the synth needs from ``Pulumi.yaml``.

    ``program`` is what the Python language host runs: a directory holding
    ``__main__.py`` or a ``.py`` file. ``workdir`` is the program's working
    directory: the CLI moves into ``main`` when it is a directory.
    ``config`` holds the project-level config (``config:`` in ``Pulumi.yaml``):
    plain values and declared defaults, keyed by full ``namespace:name``.
    """

    root: Path
    file: Path
    name: str
    program: Path
    workdir: Path
    stack_config_dir: Path
    config: Mapping[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()


def find_project_file(program_dir: Path) -> Path | None:
    for name in PROJECT_FILES:
        candidate = program_dir / name
        if candidate.is_file():
            return candidate
    return None


def read_yaml(path: Path, what: str) -> Any:
    """A YAML file as plain values, or a UserError naming the file, line, column, the problem and the fix."""
    return read_yaml_document(path, what).to_python()


def load_project(program_dir: Path) -> Project:
    root = Path(program_dir).resolve()
    if not root.is_dir():
        raise UserError(
            f"--program {program_dir}: is not a directory; expected a Pulumi project directory with a"
            " Pulumi.yaml."
        )
    project_file = find_project_file(root)
    if project_file is None:
        raise UserError(
            f"--program {program_dir}: no Pulumi.yaml in {root}; expected a Pulumi project directory "
            "(a Pulumi.yaml with name, runtime: python and optionally main and stackConfigDir)."
        )
    raw = parsed_by_content(project_file, "project file", lambda: read_yaml(project_file, "project file"))
    if not isinstance(raw, Mapping):
        raise UserError(
            f"project file {project_file}: is {type(raw).__name__}; expected a mapping with name and runtime."
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise UserError(
            f"project file {project_file}: `name` is {name!r}; expected the project name, a non-empty string."
        )
    runtime = raw.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, Mapping) else runtime
    if runtime_name != "python":
        raise UserError(
            f"project file {project_file}: `runtime` is {runtime_name!r}; expected python "
            "(the offline synth runs Python programs only)."
        )
    program, workdir = _program_location(root, project_file, raw.get("main"))
    stack_dir_raw = raw.get("stackConfigDir")
    if stack_dir_raw is not None and not isinstance(stack_dir_raw, str):
        raise UserError(
            f"project file {project_file}: `stackConfigDir` is {stack_dir_raw!r}; expected a relative path."
        )
    stack_config_dir = (root / stack_dir_raw).resolve() if stack_dir_raw else root
    config, required = _project_config(project_file, name, raw.get("config"))
    return Project(root, project_file, name, program, workdir, stack_config_dir, config, required)


def _program_location(root: Path, project_file: Path, main: Any) -> tuple[Path, Path]:
    if main is None or main == "":
        target = root
    elif isinstance(main, str):
        target = (root / main).resolve()
    else:
        raise UserError(
            f"project file {project_file}: `main` is {main!r}; expected a path relative to the project."
        )
    if target.is_dir():
        if not (target / "__main__.py").is_file():
            raise UserError(
                f"project file {project_file}: `main` {target} has no __main__.py; "
                "expected the program directory of a Python Pulumi project."
            )
        return target, target
    if target.is_file():
        return target, root
    raise UserError(
        f"project file {project_file}: `main` {main!r} does not exist; expected the program directory or"
        " file."
    )


def full_key(key: str, project_name: str) -> str:
    """Config keys without a namespace belong to the project, as in the CLI."""
    return key if ":" in key else f"{project_name}:{key}"


def _project_config(project_file: Path, project_name: str, raw: Any) -> tuple[dict[str, Any], frozenset[str]]:
    """Project-level config: a plain value applies to every stack; a declaration may carry a default."""
    if raw is None:
        return {}, frozenset()
    if not isinstance(raw, Mapping):
        raise UserError(
            f"project file {project_file}: `config` is {type(raw).__name__}; expected a mapping of keys."
        )
    values: dict[str, Any] = {}
    required: set[str] = set()
    for key, spec in raw.items():
        name = full_key(str(key), project_name)
        if isinstance(spec, Mapping) and ({"type", "default", "description", "secret", "items"} & set(spec)):
            if "default" in spec:
                values[name] = spec["default"]
            elif "value" in spec:
                values[name] = spec["value"]
            elif name.startswith(f"{project_name}:"):
                required.add(name)
        elif isinstance(spec, Mapping) and "value" in spec:
            values[name] = spec["value"]
        else:
            values[name] = spec
    return values, frozenset(required)


def stack_file_name(stack: str) -> str:
    return f"Pulumi.{stack}.yaml"


def list_stacks(program: Path) -> list[str]:
    """Stack names from the ``Pulumi.<stack>.yaml`` files in the project's stackConfigDir, sorted."""
    project = load_project(program)
    return stacks_of(project)


def stacks_of(project: Project) -> list[str]:
    return list(stack_files(project.stack_config_dir))


def stack_file(project: Project, stack: str) -> Path:
    """The stack's config file, or a UserError listing the stacks that do exist."""
    own = stack_file_in(project.stack_config_dir, stack)
    if own is not None:
        return own
    found = stack_files(project.stack_config_dir)
    listing = ", ".join(found) if found else "none"
    raise UserError(
        f"--stack {stack}: no {stack_file_name(stack)} in {project.stack_config_dir}; "
        f"expected one of the program's stacks ({listing}), or give its config with --config-file."
    )


def fingerprint(project: Project) -> str:
    """A digest of what another stack's synth depends on: the project file, every stack file, the program's
    sources."""
    digest = hashlib.sha256()
    digest.update(project.file.read_bytes())
    files: list[Path] = []
    if project.stack_config_dir.is_dir():
        files += [p for p in project.stack_config_dir.iterdir() if stack_name(p) is not None]
    program_dir = project.program if project.program.is_dir() else project.program.parent
    files += list(program_dir.glob("*.py"))
    for path in sorted(set(files)):
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
