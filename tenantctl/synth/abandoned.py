"""Close the coroutines a failed program leaves behind, so Python never warns about them.

When a program fails, the SDK's pending outputs stop half-way: an ``Output``
whose ``resources`` raised never awaits the ``future()`` / ``is_known()``
coroutines it was handed, and the tasks still waiting when the run ends are
cancelled before they reach theirs. Python reports each such coroutine as
"coroutine ... was never awaited" (a ``RuntimeWarning`` on stderr) when it is
freed. Nothing will ever run them: the run is over. Closing an unstarted
coroutine discards it silently, so the run's own leftovers are closed here
instead of hiding the warning for the whole process, which would also hide a
genuine never-awaited coroutine in the user's program.

Only coroutines reachable from the run's own tasks and exceptions are closed:
an outer run that is waiting on a stack reference keeps its coroutines.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Coroutine, Iterable, Iterator
from types import FrameType, TracebackType
from typing import Any


def run_tasks(loop: asyncio.AbstractEventLoop) -> list[asyncio.Task[Any]]:
    """Every live task of ``loop``, done ones included (``asyncio.all_tasks`` skips those).

    Done tasks matter: one that failed keeps its traceback, whose frames hold the coroutines it
    never awaited. asyncio tracks all live tasks in a weak set; it is private, so without it only
    the pending tasks are seen.
    """
    registry = getattr(asyncio.tasks, "_all_tasks", None)
    if registry is None:
        return list(asyncio.all_tasks(loop))
    # Another run's loop may add tasks meanwhile (a stack reference is synthesized while the referring
    # program's loop keeps going): retry the copy as asyncio.all_tasks does.
    for _ in range(1000):
        try:
            candidates = list(registry)
        except RuntimeError:
            continue
        return [task for task in candidates if task.get_loop() is loop]
    return list(asyncio.all_tasks(loop))


def _traceback_frames(error: BaseException | None) -> Iterator[FrameType]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        tb: TracebackType | None = error.__traceback__
        while tb is not None:
            yield tb.tb_frame
            tb = tb.tb_next
        error = error.__cause__ or error.__context__


def _suspended_frames(coroutine: Any) -> Iterator[FrameType]:
    """A suspended coroutine's frame and the frames of the coroutines it is awaiting."""
    seen: set[int] = set()
    while inspect.iscoroutine(coroutine) and id(coroutine) not in seen:
        seen.add(id(coroutine))
        if coroutine.cr_frame is not None:
            yield coroutine.cr_frame
        coroutine = coroutine.cr_await


def _task_frames(task: asyncio.Task[Any]) -> Iterator[FrameType]:
    if not task.done():
        yield from _suspended_frames(task.get_coro())
    elif not task.cancelled():
        yield from _traceback_frames(task.exception())


def unstarted(frames: Iterable[FrameType]) -> list[Coroutine[Any, Any, Any]]:
    """The never-started coroutines held in these frames' variables (closure cells included)."""
    found: dict[int, Coroutine[Any, Any, Any]] = {}
    for frame in frames:
        for value in frame.f_locals.values():
            if inspect.iscoroutine(value) and inspect.getcoroutinestate(value) == inspect.CORO_CREATED:
                found[id(value)] = value
    return list(found.values())


def collect(
    tasks: Iterable[asyncio.Task[Any]] = (), errors: Iterable[BaseException | None] = ()
) -> list[Coroutine[Any, Any, Any]]:
    """The unstarted coroutines of a run: in its tasks (pending or failed) and in its errors' tracebacks.

    Call before cancelling pending tasks: cancelling ends their frames and drops what they hold.
    """
    frames: list[FrameType] = []
    for task in tasks:
        frames.extend(_task_frames(task))
    for error in errors:
        frames.extend(_traceback_frames(error))
    return unstarted(frames)


def close(coroutines: Iterable[Coroutine[Any, Any, Any]]) -> None:
    for coroutine in coroutines:
        # still unstarted: a task cancelled meanwhile may have run it to completion after all
        if inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED:
            coroutine.close()
