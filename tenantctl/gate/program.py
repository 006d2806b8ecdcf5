"""Gate entry points: a synth dict, one stack of a program, or every stack of a program."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from tenantctl.errors import UserError
from tenantctl.gate.adapt import StackInput, stack_input
from tenantctl.gate.model import GateResult
from tenantctl.gate.runner import PackRunner


@cache
def default_runner() -> PackRunner:
    """The pack as ``policies/__main__.py`` builds it (built once per process)."""
    return PackRunner()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The gate allocates many short-lived containers and no cycles worth collecting; with the
    collector on, each generation-2 pass walks every synth held for the cross-stack rules, which
    makes ``--all`` superlinear (as it does for the synth, which pauses it too)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_synth(
    synth: Mapping[str, Any], *, runner: PackRunner | None = None, file: str | None = None
) -> GateResult:
    """One synthesized stack, judged as the CrossGuard pack judges it in ``pulumi preview``."""
    with _gc_paused():
        return (runner or default_runner()).check_stack(stack_input(synth), file=file)


def _project_root(program: Path) -> Path:
    """The repository holding the program (for paths code scanning can show), else the program dir."""
    for candidate in (program, *program.parents):
        if (candidate / ".git").exists():
            return candidate
    return program


def stack_file(program: Path, stack: str, config_file: Path | None = None) -> str:
    """The stack's config file relative to the repository, with forward slashes."""
    from tenancy.stackfiles import stack_files
    from tenantctl.synth.project import load_project, stack_file_name

    program = program.resolve()
    if config_file is None:
        directory = load_project(program).stack_config_dir
        config_file = stack_files(directory).get(stack, directory / stack_file_name(stack))
    path = config_file.resolve()
    try:
        return path.relative_to(_project_root(program)).as_posix()
    except ValueError:
        return Path(os.path.relpath(path)).as_posix()


def check_program(
    program: Path,
    stack: str,
    *,
    config_file: Path | None = None,
    overrides: Sequence[str] = (),
    runner: PackRunner | None = None,
) -> GateResult:
    """Synthesizes one stack of a Pulumi program and gates it (cross-stack rules see this stack only)."""
    from tenantctl.synth import synthesize

    synth = synthesize(program, stack, config_file=config_file, overrides=overrides)
    return check_synth(synth, runner=runner, file=stack_file(program, stack, config_file))


def check_all(
    program: Path,
    *,
    overrides: Sequence[str] = (),
    runner: PackRunner | None = None,
    stacks: Sequence[str] | None = None,
) -> GateResult:
    """Every stack of the program (``stacks`` narrows it), then the cross-stack rules over all of them."""
    from tenantctl.synth import list_stacks, synthesize

    chosen = runner or default_runner()
    names = list(stacks) if stacks is not None else list_stacks(program)
    if not names:
        raise UserError(
            f"--program {program}: no Pulumi.<stack>.yaml stack files; expected at least one stack"
        )
    inputs: list[StackInput] = []
    results: list[GateResult] = []
    for name in names:
        synth = synthesize(program, name, overrides=overrides)
        with _gc_paused():
            prepared = stack_input(synth)
            results.append(chosen.check_stack(prepared, file=stack_file(program, name), cross_stack=False))
            # The cross-stack rules read the stack view only; the per-resource args can go.
            inputs.append(replace(prepared, resources=()))
        del synth
    with _gc_paused():
        results.append(chosen.check_stacks(inputs))
        return GateResult.combine(results)
