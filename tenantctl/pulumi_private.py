"""Every reach into a private Pulumi internal, in one place.

The offline synth runs Pulumi programs in-process without the engine, so it needs a few things the SDKs do not
export: which transform callbacks a program registered, the wire names of a generated resource class's
properties, the declared output types, and the resource modules an SDK registered. Pulumi may change any of
them in a release without notice. Nothing outside this module names them; a test exercises each one against
the installed SDKs and fails naming the symbol when an upgrade moves it (README, "Upgrading Pulumi")."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import pathlib
import sys
from collections.abc import Callable, Iterator, Mapping
from types import FrameType
from typing import Any

# The versions these reaches were written against (pyproject.toml pins them).
PULUMI_VERSION = "3.272.0"
PULUMI_POLICY_VERSION = "1.21.0"


def engine_not_applicable_error() -> type[Exception]:
    """The exception the engine's policy args raise from ``args.not_applicable()`` (tests of the pack only;
    the gate's own args raise ``tenantctl.gate.adapt.RuleNotApplicable``)."""
    from pulumi_policy import policy

    error: type[Exception] = policy._NotApplicableError
    return error


def find_transform_callback(token: str) -> tuple[Callable[[bytes], Any], asyncio.AbstractEventLoop] | None:
    """The program's callback registered under ``token`` and the loop it runs on, if any servicer has it."""
    from pulumi.runtime._callbacks import _CallbackServicer

    for servicer in list(_CallbackServicer._servicers):
        callback = servicer._callbacks.get(token)
        if callback is not None:
            return callback, servicer._loop
    return None


def property_names(cls: Any) -> dict[str, str]:
    """Python name -> wire name of every property a generated resource or input class declares."""
    from pulumi import _types

    return {python_name: pulumi_name for python_name, pulumi_name, _ in _types._py_properties(cls)}


def resource_output_types(cls: Any) -> Mapping[str, Any]:
    """The declared type of each output of a generated resource class."""
    from pulumi import _types

    return dict(_types.resource_types(cls))


def output_type_fields(output_type: Any) -> Mapping[str, Any]:
    """The declared fields of a generated output type; empty for anything else."""
    from pulumi import _types

    return _types.output_type_types(output_type) if _types.is_output_type(output_type) else {}


def resource_modules(package_and_module: str) -> list[Any]:
    """The resource modules an SDK registered for the first two parts of a type token
    (``aws:s3/bucketV2``)."""
    from pulumi.runtime import rpc

    return list(rpc._RESOURCE_MODULES.get(package_and_module) or [])


def analyzer_servicer(pack_name: str, policies: list[Any], enforcement_level: Any) -> Any:
    """The analyzer servicer ``PolicyPack`` serves over gRPC, built in-process (no server, no port)."""
    from pulumi_policy import policy

    return policy._PolicyAnalyzerServicer(pack_name, "0.0.1", policies, enforcement_level)


def servicer_enforcement(servicer: Any, policy: Any) -> Any:
    """The enforcement level the servicer applies to ``policy`` after ``Configure``."""
    return servicer._get_enforcement_level(policy)


def servicer_policy_config(servicer: Any, name: str) -> dict[str, Any] | None:
    """The properties the servicer hands ``name``'s args (``args.get_config()``) after ``Configure``."""
    config: dict[str, Any] | None = servicer._get_policy_config(name)
    return config


def servicer_stack_tags(servicer: Any) -> Mapping[str, str]:
    """The stack tags the servicer hands every policy's args after ``ConfigureStack``."""
    tags: Mapping[str, str] = servicer._PolicyAnalyzerServicer__stack_tags
    return tags


async def _wait_for_rpcs_linear(await_all_outstanding_tasks: bool = True) -> None:
    """``pulumi.runtime.stack.wait_for_rpcs`` with the same outcome in time linear in the outputs.

    The SDK's loop calls ``asyncio.wait(every pending output, FIRST_COMPLETED)`` until none is left: each
    round adds and removes a callback on every pending output, so a program of n outputs finishing a few
    at a time costs O(n²); at a few thousand outputs per stack that was a quarter of the synth's time.
    Here each output gets one callback, once, that queues it when it finishes. As in the SDK: RPCs are
    awaited first (their failure raised with the recorded cause), then every tracked output, each done
    output awaited (a failure or a cancellation raised as it happens, while others still run), repeated
    while new RPCs were scheduled meanwhile.
    """
    from pulumi.runtime import settings as sdk_settings

    rpc_manager = sdk_settings._get_rpc_manager()
    state = sdk_settings.SETTINGS
    loop = asyncio.get_running_loop()
    finished: list[asyncio.Future[Any]] = []
    watched: set[asyncio.Future[Any]] = set()
    wakeup: list[asyncio.Future[None]] = []

    def on_done(task: asyncio.Future[Any]) -> None:
        finished.append(task)
        if wakeup and not wakeup[0].done():
            wakeup[0].set_result(None)

    while True:
        while len(rpc_manager.rpcs) > 0:
            await asyncio.sleep(0)
            try:
                await rpc_manager.rpcs.pop()
            except Exception as error:
                if rpc_manager.unhandled_exception is not None:
                    cause = rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
                    raise error from cause
                raise
        if rpc_manager.unhandled_exception is not None:
            raise rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
        if await_all_outstanding_tasks:
            while True:
                with state.lock:
                    outputs = state.outputs
                    if len(outputs) == 0 and not finished:
                        break
                    fresh = outputs - watched
                for task in fresh:
                    task.add_done_callback(on_done)
                watched |= fresh
                if not finished:
                    wakeup[:] = [loop.create_future()]
                    await wakeup[0]
                done, finished[:] = list(finished), []
                with state.lock:
                    for task in done:
                        state.outputs.discard(task)
                watched.difference_update(done)
                for task in done:
                    await task
        if len(rpc_manager.rpcs) == 0:
            break


@functools.lru_cache(maxsize=4096)
def _frame_uri(filename: str) -> str | None:
    try:
        return pathlib.Path(filename).as_uri()
    except BaseException:  # noqa: BLE001 - as the SDK: a path with no file URI has no position
        return None


def _stack_trace_without_source_lines() -> Any:
    """``pulumi.runtime.resource._get_stack_trace`` with the same frames, built without reading source.

    The SDK calls ``traceback.extract_stack()``, which reads every frame's source line through linecache,
    and converts each frame's file name to a URI with pathlib: about a fifth of the synth's time per
    resource, for lines nobody reads. This walks the same frames from this function up, finds the same
    third ``__init__`` from the top (the concrete resource's constructor), and returns the frames below it
    topmost first, each file's URI computed once per process.
    """
    from pulumi.runtime.proto import source_pb2

    frames: list[tuple[str, int | None, str]] = []
    frame: FrameType | None = sys._getframe(0)
    while frame is not None:
        frames.append((frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name))
        frame = frame.f_back
    frames.reverse()  # outermost first, as extract_stack orders them
    seen = 0
    index = len(frames) - 1
    for index in range(len(frames) - 1, -1, -1):
        if frames[index][2] == "__init__":
            seen += 1
            if seen == 3:
                break
    if index < 1:
        return source_pb2.StackTrace()
    positions = []
    for filename, line, _ in reversed(frames[:index]):
        uri = _frame_uri(filename) if filename and line is not None else None
        position = (
            source_pb2.SourcePosition(uri=uri, line=line) if uri is not None and line is not None else None
        )
        positions.append(source_pb2.StackFrame(pc=position))
    return source_pb2.StackTrace(frames=positions)


@contextlib.contextmanager
def faster_sdk_runtime() -> Iterator[None]:
    """While active, programs run by ``run_in_stack`` wait for their outputs with ``_wait_for_rpcs_linear``
    and capture resource stack traces with ``_stack_trace_without_source_lines``: same requests, less time."""
    from pulumi.runtime import resource, stack

    original_wait, original_trace = stack.wait_for_rpcs, resource._get_stack_trace
    stack.wait_for_rpcs = _wait_for_rpcs_linear
    resource._get_stack_trace = _stack_trace_without_source_lines
    try:
        yield
    finally:
        stack.wait_for_rpcs, resource._get_stack_trace = original_wait, original_trace
