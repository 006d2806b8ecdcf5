"""Auditing tenants in worker processes.

An audit's client time is botocore's own work (building, signing and parsing each request and response),
Python under one interpreter lock: threads of one process overlap only the waits for responses. Against the
sandbox, whose moto server answers on this machine, those waits are short and the client's CPU time is
close to half of every call, so threads of one process leave a core idle (``benchmarks/bench_audit.py``
prints both processes' CPU time). Worker processes put the client's work on every core; each runs a few
threads, so that the long waits of a remote endpoint (real AWS) still overlap.

The parent hands out tenants one at a time through a queue (a slow tenant does not hold back a fixed
slice), reports each result as it arrives and merges the workers' API call counts into its own. Workers are
forked where the platform allows it (Linux): they start with the parent's modules and parsed botocore
models; elsewhere they are spawned. They sign with the credentials the parent resolved (``Aws.settings``),
so a profile's credential process or MFA prompt runs once. A worker that dies (killed, out of memory) or
fails stops the run with an error that names it: never a hang, never a partial report.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import signal
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any

from tenantctl.gate.model import GateResult
from tenantctl.lifecycle.aws import Aws, AwsSettings

if TYPE_CHECKING:
    from tenantctl.lifecycle.audit import TenantAccount

# How often the parent, while no result arrives, looks whether a worker has died.
LIVENESS_POLL_SECONDS = 0.5

RESULT, FAILED, CALLS = "result", "failed", "calls"


class AuditWorkerError(RuntimeError):
    """A worker process died or an audit raised something other than an AWS error inside it."""


AuditOne = Callable[[Aws, "TenantAccount", Mapping[str, str]], GateResult]


@dataclass(frozen=True)
class WorkerSetup:
    aws: AwsSettings
    tenants: tuple[TenantAccount, ...]
    registry: Mapping[str, str]
    threads: int
    audit_one: AuditOne | None


def start_method() -> str:
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _context() -> BaseContext:
    return multiprocessing.get_context(start_method())


def audit_in_processes(
    aws: Aws,
    tenants: Sequence[TenantAccount],
    registry: Mapping[str, str],
    processes: int,
    concurrency: int,
    on_result: Callable[[int, GateResult], None],
    audit_one: AuditOne | None = None,
) -> list[GateResult]:
    """``audit_one`` (default ``audit.audit_tenant``) of every tenant in ``processes`` worker processes
    running ``concurrency`` threads between them; the results in the order of ``tenants``.
    ``on_result(index, result)`` runs in this process as each arrives. ``audit_one`` must be a module-level
    function (a spawned worker imports it by name)."""
    context = _context()
    tasks: Any = context.Queue()
    results: Any = context.Queue()
    settings = aws.settings()
    shares = [concurrency // processes + (n < concurrency % processes) for n in range(processes)]
    workers = [
        context.Process(  # type: ignore[attr-defined]
            target=_work,
            args=(WorkerSetup(settings, tuple(tenants), dict(registry), threads, audit_one), tasks, results),
            name=f"tz-audit-{n}",
            daemon=True,
        )
        for n, threads in enumerate(shares)
    ]
    run = _Run(aws, tenants, workers, on_result)
    try:
        _start(workers)
        for index in range(len(tenants)):
            tasks.put(index)
        for _ in range(concurrency):
            tasks.put(None)
        while not run.complete():
            try:
                message = results.get(timeout=LIVENESS_POLL_SECONDS)
            except queue.Empty:
                # A worker's messages reach the pipe before it exits: drain, then judge the dead.
                while True:
                    try:
                        run.take(results.get(timeout=0.05))
                    except queue.Empty:
                        break
                run.raise_if_lost()
                continue
            run.take(message)
    finally:
        for worker in workers:
            if worker.pid is None:  # never started (the start failed part way)
                continue
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for channel in (tasks, results):
            channel.close()
            channel.cancel_join_thread()
    return run.results()


class _Run:
    """What the parent has received: results by tenant index, and the workers that have finished."""

    def __init__(
        self,
        aws: Aws,
        tenants: Sequence[TenantAccount],
        workers: Sequence[Any],
        on_result: Callable[[int, GateResult], None],
    ) -> None:
        self.aws, self.tenants, self.workers, self.on_result = aws, tenants, workers, on_result
        self.collected: dict[int, GateResult] = {}
        self.finished: set[str] = set()

    def take(self, message: tuple[str, str, int, Any]) -> None:
        kind, worker, index, payload = message
        if kind == RESULT:
            result = pickle.loads(payload)
            self.collected[index] = result
            self.on_result(index, result)
        elif kind == CALLS:
            self.aws.calls.merge(payload)
            self.finished.add(worker)
        else:
            raise AuditWorkerError(f"auditing {self.tenants[index].stack} failed in {worker}:\n{payload}")

    def complete(self) -> bool:
        if len(self.finished) < len(self.workers):
            return False
        self.raise_if_lost()
        return True

    def raise_if_lost(self) -> None:
        """A worker that exited without saying it finished, or all finished while tenants are missing."""
        missing = self.missing()
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        for worker in self.workers:
            if worker.exitcode is not None and worker.name not in self.finished:
                raise AuditWorkerError(
                    f"audit worker process {worker.name} exited with code {worker.exitcode} before"
                    f" finishing; {len(missing)} tenant(s) not audited: {shown}"
                )
        if missing and len(self.finished) == len(self.workers):
            raise AuditWorkerError(
                f"the audit worker processes finished without auditing {len(missing)} tenant(s): {shown}"
            )

    def missing(self) -> list[str]:
        return [t.stack for i, t in enumerate(self.tenants) if i not in self.collected]

    def results(self) -> list[GateResult]:
        return [self.collected[index] for index in range(len(self.tenants))]


def _start(workers: Sequence[Any]) -> None:
    """Fork (or spawn) the workers with the parent's objects frozen out of the collector: a forked child
    shares the parent's memory until it writes to it, and a collection that walked the parent's hundreds of
    thousands of long-lived objects (the SDKs' models, the catalog) would write to all of them, copying the
    pages (measured: a third more CPU per tenant in each worker). This is the sequence the ``gc.freeze``
    documentation gives for fork without exec."""
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        for worker in workers:
            worker.start()
    finally:
        # A caller that froze its own objects (the tenantctl CLI does) keeps them frozen.
        if frozen_before == 0:
            gc.unfreeze()


def _work(setup: WorkerSetup, tasks: Any, results: Any) -> None:
    """A worker process: ``setup.threads`` threads take tenant indexes until a ``None``; then the worker's
    API call counts, which also say that it finished."""
    from tenantctl.lifecycle.audit import audit_tenant

    name = multiprocessing.current_process().name
    audit_one = setup.audit_one or audit_tenant
    # Ctrl-C reaches the whole process group: the parent stops the run and terminates the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    aws = setup.aws.open()

    def take() -> None:
        while (index := tasks.get()) is not None:
            try:
                # pickled here, so that a result the queue could not send is this tenant's error
                payload = pickle.dumps(audit_one(aws, setup.tenants[index], setup.registry))
            except BaseException:  # noqa: BLE001 - whatever stops a tenant's audit goes to the parent
                results.put((FAILED, name, index, traceback.format_exc()))
                return
            results.put((RESULT, name, index, payload))

    pool = [threading.Thread(target=take, name=f"audit-{n}") for n in range(setup.threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    results.put((CALLS, name, -1, Counter(aws.calls.counts)))


def _exit_with_parent() -> None:
    """End this worker when the parent process ends, however it ends (SIGKILL, out of memory): an orphan
    would go on calling AWS with the operator's credentials and then block on a pipe nobody reads."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
