"""Gate entry points: a synth dict, one stack of a program, or every stack of a program."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from policies.framework import StackConfigView
from policies.scopes import KIND_KEY, StackKindError, resolve_kind
from tenantctl.errors import UserError
from tenantctl.gate.adapt import StackInput, stack_input
from tenantctl.gate.model import GateResult, WaiverRecord
from tenantctl.gate.runner import PackRunner
from tenantctl.gate.siblings import refuse_collisions
from tenantctl.gate.waivers import WAIVER_FILE, apply_waivers, inline_waivers, load_waivers


@cache
def default_runner(policy_config: str = "") -> PackRunner:
    """The pack as ``policies/__main__.py`` builds it (built once per process and policy config), configured
    with ``policy_config`` (``--policy-pack-config`` as JSON text) as the engine configures it."""
    return PackRunner(policy_config=json.loads(policy_config) if policy_config else None)


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


def synth_kind(synth: Mapping[str, Any], declared: str | None = None) -> str:
    """The kind of a synthesized stack (``policies.scopes``): ``declared`` checked against its
    resources, else inferred from them; a wrong or ambiguous kind is bad input."""
    stack = str(synth.get("stack") or "")
    resources = synth.get("resources")
    types = (
        [str(r.get("type")) for r in resources if isinstance(r, Mapping)]
        if isinstance(resources, list)
        else []
    )
    try:
        return resolve_kind(stack, declared, types).kind
    except StackKindError as error:
        raise UserError(str(error)) from None


def declared_kind(
    program: Path, stack: str, *, config_file: Path | None = None, overrides: Sequence[str] = ()
) -> str | None:
    """``tenant-zone:stackKind`` from the project's and the stack's config (with ``--set`` applied)."""
    from tenantctl.synth.config import load_stack_config
    from tenantctl.synth.project import load_project

    config = load_stack_config(load_project(program), stack, config_file=config_file, overrides=overrides)
    return config.values.get(KIND_KEY)


def stack_config_view(program: Path, stack: str, config_file: Path | None = None) -> StackConfigView:
    """The stack's config file as the stack policies may judge it (what it stores in plain text)."""
    from tenantctl.synth.config import stack_file_entries
    from tenantctl.synth.project import load_project

    values = stack_file_entries(load_project(program), stack, config_file=config_file)
    return StackConfigView(file=stack_file(program, stack, config_file), values=values)


def check_synth(
    synth: Mapping[str, Any],
    *,
    runner: PackRunner | None = None,
    file: str | None = None,
    declared: str | None = None,
    config: StackConfigView | None = None,
) -> GateResult:
    """One synthesized stack, judged as the CrossGuard pack judges it in ``pulumi preview`` (``config``,
    the stack's config file, is what the offline gate shows the policies beyond the engine)."""
    synth_kind(synth, declared)  # refuse a wrong or ambiguous kind before judging anything
    with _gc_paused():
        # Only a declared kind travels as the stack tag, as under the engine; the pack infers the rest.
        return (runner or default_runner()).check_stack(
            stack_input(synth), file=file, kind=declared, stack_config=config
        )


def _project_root(program: Path) -> Path:
    """The repository holding the program (for paths code scanning can show), else the program dir."""
    for candidate in (program, *program.parents):
        if (candidate / ".git").exists():
            return candidate
    return program


def stack_file(program: Path, stack: str, config_file: Path | None = None) -> str:
    """The stack's config file relative to the repository, with forward slashes."""
    from tenancy.stackfiles import stack_file_in
    from tenantctl.synth.project import load_project, stack_file_name

    program = program.resolve()
    if config_file is None:
        directory = load_project(program).stack_config_dir
        config_file = stack_file_in(directory, stack) or directory / stack_file_name(stack)
    path = config_file.resolve()
    try:
        return path.relative_to(_project_root(program)).as_posix()
    except ValueError:
        return Path(os.path.relpath(path)).as_posix()


def file_waivers(program: Path, waivers_file: Path | None, today: dt.date) -> list[WaiverRecord]:
    """The waivers of ``waivers_file``, else of ``waivers.yaml`` beside ``Pulumi.yaml`` when there is one.
    Read before any synthesis, so a bad waiver file is refused at once."""
    path = waivers_file if waivers_file is not None else program / WAIVER_FILE
    if waivers_file is not None and not waivers_file.is_file():
        raise UserError(f"--waivers {waivers_file}: no such file; expected a waivers.yaml.")
    try:
        display = path.resolve().relative_to(_project_root(program)).as_posix()
    except ValueError:
        display = path.as_posix()
    return load_waivers(path, today, display)


def check_program(
    program: Path,
    stack: str,
    *,
    config_file: Path | None = None,
    overrides: Sequence[str] = (),
    runner: PackRunner | None = None,
    waivers_file: Path | None = None,
    today: dt.date | None = None,
    observe: Callable[[Mapping[str, Any]], None] | None = None,
) -> GateResult:
    """Synthesizes one stack of a Pulumi program and gates it. The cross-stack rules see this stack only,
    so a tenant stack is first compared with the other tenants' stack files (TEN-01, TEN-02).

    ``observe`` sees the synth before the gate does (``--with-checkov`` exports it to a plan)."""
    from tenantctl.synth import synthesize

    # Before the (slow) synthesis: a bad waiver file, or a collision with another tenant's stack file.
    day = today or dt.date.today()
    waivers = file_waivers(program, waivers_file, day)
    refuse_collisions(program, stack, config_file=config_file, overrides=overrides)
    synth = synthesize(program, stack, config_file=config_file, overrides=overrides)
    if observe is not None:
        observe(synth)
    declared = declared_kind(program, stack, config_file=config_file, overrides=overrides)
    waivers.extend(inline_waivers(synth, day))
    result = check_synth(
        synth,
        runner=runner,
        file=stack_file(program, stack, config_file),
        declared=declared,
        config=stack_config_view(program, stack, config_file),
    )
    return apply_waivers(result, waivers, day)


def check_all(
    program: Path,
    *,
    overrides: Sequence[str] = (),
    runner: PackRunner | None = None,
    stacks: Sequence[str] | None = None,
    waivers_file: Path | None = None,
    today: dt.date | None = None,
    observe: Callable[[Mapping[str, Any]], None] | None = None,
) -> GateResult:
    """Every stack of the program (``stacks`` narrows it), then the cross-stack rules over all of them;
    ``observe`` sees each stack's synth (as in ``check_program``)."""
    from tenantctl.synth import list_stacks, synthesize

    chosen = runner or default_runner()
    names = list(stacks) if stacks is not None else list_stacks(program)
    if not names:
        raise UserError(
            f"--program {program}: no Pulumi.<stack>.yaml stack files; expected at least one stack"
        )
    inputs: list[StackInput] = []
    results: list[GateResult] = []
    kinds: dict[str, str] = {}
    day = today or dt.date.today()
    waivers = file_waivers(program, waivers_file, day)
    for name in names:
        synth = synthesize(program, name, overrides=overrides)
        if observe is not None:
            observe(synth)
        waivers.extend(inline_waivers(synth, day))
        declared = declared_kind(program, name, overrides=overrides)
        synth_kind(synth, declared)
        if declared:
            kinds[name] = declared
        with _gc_paused():
            prepared = stack_input(synth)
            results.append(
                chosen.check_stack(
                    prepared,
                    file=stack_file(program, name),
                    cross_stack=False,
                    kind=declared,
                    stack_config=stack_config_view(program, name),
                )
            )
            # The cross-stack rules read the stack view only; the per-resource args can go.
            inputs.append(replace(prepared, resources=()))
        del synth
    with _gc_paused():
        results.append(chosen.check_stacks(inputs, kinds))
        combined = GateResult.combine(results)
    return apply_waivers(combined, waivers, day)
