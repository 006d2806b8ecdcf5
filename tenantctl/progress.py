"""Progress on stderr for work that takes more than a second: stack by stack, with counts.

On a terminal a live bar (``rich``); in a pipe or a CI log one plain line per stack, without colour.
``rich`` decides what a terminal is and honours ``NO_COLOR``. Nothing is shown for work that ends
within the first second, so quick runs and tests stay quiet; stdout (the report) is never touched.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

# Work shorter than this shows no progress at all.
QUIET_SECONDS = 1.0


class StackProgress:
    """The ``progress`` callback of ``tenantctl.fleet.check_all``, as a context manager."""

    def __init__(
        self, label: str, *, stream: TextIO | None = None, quiet_seconds: float = QUIET_SECONDS
    ) -> None:
        self.label = label
        self.console = Console(file=stream, stderr=stream is None, highlight=False, soft_wrap=True)
        self.quiet_seconds = quiet_seconds
        self.started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._held: list[str] = []  # lines of the first second, shown if the work goes on
        self.counts: dict[str, int] = {}

    def __enter__(self) -> StackProgress:
        self.started = time.monotonic()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stack: str, done: int, total: int, how: str) -> None:
        self.counts[how] = self.counts.get(how, 0) + 1
        if self.console.is_terminal:
            self._live(stack, done, total)
            return
        line = f"{self.label}: [{done}/{total}] {stack} ({how})"
        if time.monotonic() - self.started < self.quiet_seconds:
            self._held.append(line)
            return
        for held in self._held:
            self.console.print(held, markup=False)
        self._held.clear()
        self.console.print(line, markup=False)

    def _live(self, stack: str, done: int, total: int) -> None:
        if self._bar is None:
            if time.monotonic() - self.started < self.quiet_seconds:
                return
            self._bar = Progress(
                TextColumn(f"{self.label}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("stacks"),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total)
        assert self._task is not None
        self._bar.update(self._task, completed=done, description=stack)
