"""Run a Pulumi Python program in-process under the synth monitor and return its resource graph.

Each synthesis runs on its own thread with a fresh ``contextvars.Context`` and
a new event loop. The SDK keeps its run state (root stack resource, config,
settings, pending outputs, transforms, callback server) in context variables,
so a fresh context is a full reset: a run after a failed one starts clean,
and the caller's own Pulumi state (e.g. a test using ``set_mocks``) is left
alone. Process-wide state is set once around the outermost run and restored
after it: the working directory (the CLI runs the program in ``main``),
``sys.path`` (programs add their own directories), stdout (program prints go to
stderr so they cannot corrupt JSON on stdout),
environment variables that would leak the machine's config into the result
(``PULUMI_CONFIG*``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``: the synth is a
function of program and stack config only), and the garbage collector, which
is disabled during the run: cyclic collection over the SDK's object graph is
what makes large programs superlinear. Modules imported from the program
directory are dropped after the run, as a fresh ``pulumi up`` process would
not have them; libraries such as ``pulumi_aws`` stay imported.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import json
import logging
import os
import runpy
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenantctl.errors import UserError
from tenantctl.pulumi_private import faster_sdk_runtime
from tenantctl.synth import abandoned, aws_invokes, document, failures, stackrefs
from tenantctl.synth.config import StackConfig, load_stack_config
from tenantctl.synth.mocks import SynthMocks
from tenantctl.synth.monitor import SynthMonitor
from tenantctl.synth.project import Project, load_project

ORGANIZATION = "organization"
SCRUBBED_ENV = ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS", "AWS_REGION", "AWS_DEFAULT_REGION")
SCRUBBED_ENV_PREFIX = "PULUMI_CONFIG_"

# The benchmark turns this off to measure what the collector costs.
DISABLE_GC_DURING_RUN = True

_SESSION_LOCK = threading.Lock()
_program_logger = logging.getLogger("tenantctl.synth.program")


@dataclass(frozen=True)
class SynthResult:
    document: dict[str, Any]
    outputs: Mapping[str, Any]  # raw stack outputs, secrets unmasked (for stack references)
    # stack name -> the raw outputs each stack reference of this run read (what a cached result depends on)
    references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def synthesize(
    program: Path,
    stack: str,
    *,
    config_file: Path | None = None,
    overrides: Sequence[str] = (),
    preview: bool = False,
    audit: bool = False,
) -> dict[str, Any]:
    """The synth JSON of one stack (raises UserError on bad input or a failing program).

    ``preview``: outputs the provider only knows after creation stay unknown, as in ``pulumi preview``
    of a new stack. ``audit``: computed outputs the mocks do not produce get a marker value (see
    ``mocks.AUDIT_MARKER``), so tests can find attributes a program reads that the mocks lack.
    """
    return synthesize_result(
        program, stack, config_file=config_file, overrides=overrides, preview=preview, audit=audit
    ).document


def synthesize_result(
    program: Path,
    stack: str,
    *,
    config_file: Path | None = None,
    overrides: Sequence[str] = (),
    preview: bool = False,
    audit: bool = False,
) -> SynthResult:
    """``synthesize`` with the raw outputs and the outputs each stack reference read (for the synth cache)."""
    project = load_project(Path(program))
    config = load_stack_config(project, stack, config_file=config_file, overrides=overrides)
    with _session(project):
        result = _synthesize(project, stack, config, preview=preview, audit=audit, chain=(stack,))
    if not preview and not audit and config_file is None and not overrides:
        stackrefs.remember(project, stack, result.outputs)
    return result


def _synthesize(
    project: Project,
    stack: str,
    config: StackConfig,
    *,
    preview: bool,
    chain: tuple[str, ...],
    audit: bool = False,
) -> SynthResult:
    def referenced(other: str, other_chain: tuple[str, ...]) -> Mapping[str, Any]:
        # a stack reference reads the other stack's deployed outputs: known values, never a preview
        other_config = load_stack_config(project, other)
        return _synthesize(project, other, other_config, preview=False, chain=other_chain).outputs

    references = stackrefs.StackReferences(project, chain, referenced, _supplied_outputs(config, stack))
    monitor = SynthMonitor(
        SynthMocks(
            preview=preview,
            audit=audit,
            project=project.name,
            stack=stack,
            invoke_fixtures=_invoke_fixtures(config, stack),
        ),  # fmt: skip
        project=project.name,
        stack=stack,
        config=config,
        root=project.root,
        stack_references=references,
    )
    error = _run_in_fresh_context(project, stack, config, monitor, preview)
    if monitor.internal_errors:
        first, text = monitor.internal_errors[0]
        raise RuntimeError(f"internal error in the offline synth of stack {stack}:\n{text}") from first
    problem: UserError | None = None
    if monitor.failures:
        first_failure = sorted(monitor.failures, key=str)[0]
        problem = type(first_failure)(str(first_failure))
    elif error is not None:
        remote = sorted({r.type for r in monitor.records.values() if r.remote})
        problem = failures.describe(
            error, stack=stack, root=project.root, unmodelled=remote, origin=config.origin
        )
    elif monitor.input_problems:
        problem = _rejected_inputs(stack, monitor.input_problems)
    abandoned.close(abandoned.collect(errors=(error, *monitor.failures)))
    for failed in (error, *monitor.failures):
        _drop_frames(failed)
    if problem is not None:
        raise problem
    records = monitor.records.values()
    return SynthResult(
        document.build(project.name, stack, records, monitor.stack_outputs),
        monitor.stack_outputs,
        dict(references.resolved),
    )


def _rejected_inputs(stack: str, problems: Sequence[tuple[str, str | None]]) -> UserError:
    """One line for what the provider's Check would reject (the first, in a stable order, and a count)."""
    ordered = sorted(problems, key=lambda p: p[0])
    message, position = ordered[0]
    at = f" (declared at {position})" if position else ""
    more = f" ({len(ordered) - 1} more input problem(s) in this stack)" if len(ordered) > 1 else ""
    return UserError(
        f"stack {stack}: {message.rstrip('.')}{at}; the provider would reject it at Check.{more}"
    )


def _invoke_fixtures(config: StackConfig, stack: str) -> dict[str, Any]:
    """Data source results the stack supplies (``synth:invokes``: an object from token to result)."""
    text = config.values.get(aws_invokes.FIXTURE_KEY)
    if text is None:
        return {}
    try:
        fixtures = json.loads(text)
    except ValueError:
        fixtures = None
    if not isinstance(fixtures, dict) or not all(isinstance(v, dict) for v in fixtures.values()):
        raise UserError(
            f"stack {stack}: config key {aws_invokes.FIXTURE_KEY} is {text[:80]!r}; expected an object from "
            'data source token to its result, e.g. {"aws:ssm/getParameter:getParameter": {"value": "x"}}.'
        )
    return fixtures


def _supplied_outputs(config: StackConfig, stack: str) -> dict[str, Any]:
    """Other programs' stack outputs the stack supplies (``synth:stackOutputs``: reference name ->
    outputs)."""
    text = config.values.get(stackrefs.SUPPLIED_KEY)
    if text is None:
        return {}
    try:
        supplied = json.loads(text)
    except ValueError:
        supplied = None
    if not isinstance(supplied, dict) or not all(isinstance(v, dict) for v in supplied.values()):
        raise UserError(
            f"stack {stack}: config key {stackrefs.SUPPLIED_KEY} is {text[:80]!r}; expected an object from "
            'stack reference name to its outputs, e.g. {"acme/network/prod": {"vpcId": "vpc-0123"}}.'
        )
    return supplied


def _drop_frames(error: BaseException | None) -> None:
    """Release a failed run's frames now rather than whenever the collector next runs."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        error.__traceback__ = None
        error = error.__cause__ or error.__context__


def _run_in_fresh_context(
    project: Project, stack: str, config: StackConfig, monitor: SynthMonitor, preview: bool
) -> BaseException | None:
    outcome: list[BaseException | None] = []

    def body() -> None:
        outcome.append(_run_program(project, stack, config, monitor, preview))

    thread = threading.Thread(
        target=lambda: contextvars.Context().run(body), name=f"synth-{stack}", daemon=True
    )
    thread.start()
    thread.join()
    if not outcome:
        raise RuntimeError(f"the synth thread of stack {stack} ended without a result")
    return outcome[0]


def _run_program(
    project: Project, stack: str, config: StackConfig, monitor: SynthMonitor, preview: bool
) -> BaseException | None:
    from pulumi.runtime.config import set_all_config
    from pulumi.runtime.mocks import MockEngine
    from pulumi.runtime.settings import Settings
    from pulumi.runtime.stack import run_in_stack

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_unretrieved)
    asyncio.set_event_loop(loop)
    try:
        # Constructing Settings in this fresh context resets every piece of SDK run state.
        Settings(
            project=project.name,
            stack=stack,
            monitor=monitor,
            engine=MockEngine(_program_logger),
            dry_run=preview,
            organization=ORGANIZATION,
            root_directory=str(project.root),
        )
        set_all_config(dict(config.values), sorted(config.secret_keys))
        program = str(project.program)

        def main() -> None:
            runpy.run_path(program, run_name="__main__")

        loop.run_until_complete(run_in_stack(main))
        return None
    except (KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as error:  # noqa: BLE001 - the program's failure is the result
        return error
    finally:
        _close(loop)


def _unretrieved(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # After a program fails, tasks still waiting on the failed resources end with that same error;
    # the failure is reported once, by the synth, not again by asyncio on stderr.
    _program_logger.debug("asyncio: %s", context.get("message"), exc_info=context.get("exception"))


def _close(loop: asyncio.AbstractEventLoop) -> None:
    try:
        tasks = abandoned.run_tasks(loop)
        # gathered before cancelling: cancelling ends the frames that hold them
        leftovers = abandoned.collect(tasks)
        pending = [task for task in tasks if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        abandoned.close(leftovers)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@contextlib.contextmanager
def _session(project: Project) -> Iterator[None]:
    """Process-wide settings for one outermost synthesis (nested stack-reference runs share it)."""
    with _SESSION_LOCK:
        gc_was_enabled = gc.isenabled()
        saved_env = {
            k: v for k, v in os.environ.items() if k in SCRUBBED_ENV or k.startswith(SCRUBBED_ENV_PREFIX)
        }
        saved_cwd = os.getcwd()
        saved_path = list(sys.path)
        shadowed = _evict_shadowing_modules(project)
        modules_before = set(sys.modules)
        for key in saved_env:
            del os.environ[key]
        if DISABLE_GC_DURING_RUN:
            gc.disable()
        try:
            os.chdir(project.workdir)
            with contextlib.redirect_stdout(sys.stderr), faster_sdk_runtime():
                yield
        finally:
            os.chdir(saved_cwd)
            sys.path[:] = saved_path
            os.environ.update(saved_env)
            _forget_program_modules(project, modules_before)
            sys.modules.update(shadowed)
            if gc_was_enabled:
                gc.enable()


def _program_dirs(project: Project) -> list[Path]:
    program_dir = project.program if project.program.is_dir() else project.program.parent
    return [program_dir, project.root]


def _evict_shadowing_modules(project: Project) -> dict[str, Any]:
    """Set aside already-imported modules that the program would import from its own directory.

    Two programs with the same package layout (a copy of this project in a temporary
    directory, say) must not share ``stacks.org``: a module imported earlier from elsewhere
    would silently answer the second program's ``import``. They come back after the run so
    the caller's own imports stay valid.
    """
    own_names = {
        entry.stem if entry.suffix == ".py" else entry.name
        for directory in _program_dirs(project)
        for entry in directory.iterdir()
        if (entry.suffix == ".py" and entry.is_file()) or (entry / "__init__.py").is_file()
    }
    own_names.discard("__main__")
    evicted: dict[str, Any] = {}
    for name in list(sys.modules):
        if name.split(".", 1)[0] not in own_names:
            continue
        filename = getattr(sys.modules[name], "__file__", None)
        if filename and not any(Path(filename).resolve().is_relative_to(d) for d in _program_dirs(project)):
            evicted[name] = sys.modules.pop(name)
    return evicted


def _forget_program_modules(project: Project, before: set[str]) -> None:
    program_dir = project.program if project.program.is_dir() else project.program.parent
    for name in set(sys.modules) - before:
        module = sys.modules.get(name)
        filename = getattr(module, "__file__", None)
        if filename and Path(filename).resolve().is_relative_to(program_dir):
            del sys.modules[name]
