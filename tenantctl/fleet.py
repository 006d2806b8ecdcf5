"""``check`` at fleet scale: cached synth and gate results, stacks in parallel processes, shards, progress.

One stack's path: the synth result comes from the cache (``tenantctl.cache``) or a new synthesis; its
gate result (every resource and single-stack rule) comes from the cache too, keyed by the synth
result's digest and the rules' sources, or from running the pack. ``check --all`` does that for every
stack, the misses in ``jobs`` processes, then runs the cross-stack rules once over every stack (one
pass over all stacks: linear in their number). ``--shard I/N`` takes every N-th stack in name order,
starting at the I-th, and leaves the cross-stack rules to a run over every stack (they need them all).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenantctl.errors import UserError
from tenantctl.gate.model import STATE_RANK, GateResult, NotApplicable, StackReport, Undecided, Violation

if TYPE_CHECKING:
    from tenantctl.cache import SynthCache

# stack name, done so far, total, how it was obtained ("cached", "synthesized", "failed")
Progress = Callable[[str, int, int, str], None]


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        parts = text.split("/")
        try:
            index, count = int(parts[0]), int(parts[1])
            if len(parts) != 2:
                raise ValueError
        except (ValueError, IndexError):
            raise UserError(
                f"--shard {text}: is not I/N; expected two whole numbers, e.g. --shard 2/4 for the second of"
                " four"
            ) from None
        if count < 1 or not 1 <= index <= count:
            raise UserError(
                f"--shard {text}: shard {index} of {count} does not exist; expected 1 <= I <= N, e.g. --shard"
                f" 1/{max(count, 1)}"
            )
        return cls(index, count)

    def take(self, stacks: Sequence[str]) -> list[str]:
        """Every N-th stack in name order from the I-th: the same share on every machine, and the shares
        of 1..N together are every stack exactly once."""
        return sorted(stacks)[self.index - 1 :: self.count]


@dataclass(frozen=True)
class Settings:
    program: Path
    overrides: tuple[str, ...] = ()
    cache_dir: Path | None = None  # None: no cache
    jobs: int = 1
    # The policy pack config (``--policy-pack-config``) as canonical JSON; empty: the pack's own levels.
    policy_config: str = ""


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class StackFailures(UserError):
    """One or more stacks refused their input; the message is the one to fix first."""

    def __init__(self, failures: Sequence[tuple[str, str | None, str]]) -> None:
        # (stack, its file, message), in stack order. A failure inside a referenced stack shows in every
        # stack that references it; the one to fix first is the stack's own (its file is the culprit).
        own = [f for f in failures if not f[2].startswith(REFERENCE_FAILURE)]
        through = [f for f in failures if f[2].startswith(REFERENCE_FAILURE)]
        super().__init__((own or through)[0][2])
        self.failures = own + through


# How the synth words a failure that happened in a referenced stack.
REFERENCE_FAILURE = "StackReference "


# --- gate results as JSON (the cache and the shard reports) ------------------------------------------


def result_to_json(result: GateResult) -> dict[str, Any]:
    return {
        "stacks": [asdict(s) for s in result.stacks],
        "violations": [asdict(v) for v in result.violations],
        "undecided": [asdict(u) for u in result.undecided],
        "notApplicable": [asdict(n) for n in result.not_applicable],
        "outOfScope": result.out_of_scope,
        "rules": list(result.rules),
        "controls": {stack: dict(cells) for stack, cells in result.controls.items()},
        "positions": {urn: list(where) for urn, where in result.positions.items()},
    }


def result_from_json(data: Mapping[str, Any]) -> GateResult:
    return GateResult(
        stacks=[StackReport(**s) for s in data["stacks"]],
        violations=[Violation(**v) for v in data["violations"]],
        undecided=[Undecided(**u) for u in data["undecided"]],
        not_applicable=[NotApplicable(**n) for n in data["notApplicable"]],
        out_of_scope=int(data["outOfScope"]),
        rules=tuple(data["rules"]),
        controls={stack: dict(cells) for stack, cells in data.get("controls", {}).items()},
        positions={urn: (str(where[0]), int(where[1])) for urn, where in data.get("positions", {}).items()},
    ).sort()


# --- the tenant x control matrix -------------------------------------------------------------------

PASS, FAIL, UNDECIDED, NOT_APPLICABLE, WAIVED = "pass", "fail", "undecided", "n/a", "waived"


def control_cells(result: GateResult, stack: str, resource_types: Sequence[str]) -> dict[str, str]:
    """Each checked control's state in one stack: fail (a violation), undecided (a rule could not
    decide in preview), n/a (no rule of the control applied to anything in the stack), else pass."""
    from policies.catalog import control_for_rule
    from policies.framework import MultiStackRule, ResourceRule
    from policies.registry import all_rules

    rules = all_rules()
    failed = {v.rule for v in result.violations if v.stack == stack}
    undecided = {u.rule for u in result.undecided if u.stack == stack}
    skipped: dict[str, int] = {}
    stack_skipped: set[str] = set()
    for entry in result.not_applicable:
        if entry.stack != stack:
            continue
        if entry.urn:
            skipped[entry.rule] = skipped.get(entry.rule, 0) + 1
        else:
            stack_skipped.add(entry.rule)
    cells: dict[str, str] = {}
    for rule_id in result.rules:
        rule = rules.get(rule_id)
        try:
            control = control_for_rule(rule_id).id
        except LookupError:
            continue
        if rule_id in failed:
            state = FAIL
        elif rule_id in undecided:
            state = UNDECIDED
        elif isinstance(rule, ResourceRule):
            judged = sum(1 for t in resource_types if rule.applies_to(t)) - skipped.get(rule_id, 0)
            state = PASS if judged > 0 else NOT_APPLICABLE
        elif isinstance(rule, MultiStackRule):
            state = PASS
        else:
            state = NOT_APPLICABLE if rule_id in stack_skipped else PASS
        cells[control] = _worse(cells.get(control), state)
    return cells


def _worse(current: str | None, new: str) -> str:
    if current is None:
        return new
    return current if STATE_RANK[current] >= STATE_RANK[new] else new


def source_positions(
    program: Path, document: Mapping[str, Any], urns: set[str]
) -> dict[str, tuple[str, int]]:
    """Where the resources ``urns`` were declared, relative to the repository (what code scanning shows).

    The synth records ``<file relative to the project>:<line>`` from the SDK's registration request.
    """
    from tenantctl.gate.program import _project_root
    from tenantctl.synth.project import load_project

    root = load_project(program).root
    repository = _project_root(program)
    found: dict[str, tuple[str, int]] = {}
    for resource in document.get("resources", []):
        urn, position = resource.get("urn"), resource.get("position")
        if urn not in urns or not isinstance(position, str) or ":" not in position:
            continue
        file, _, line = position.rpartition(":")
        path = (root / file).resolve()
        if not line.isdigit() or not path.is_relative_to(repository):
            continue
        found[str(urn)] = (path.relative_to(repository).as_posix(), int(line))
    return found


# --- one stack -----------------------------------------------------------------------------------


@dataclass
class StackOutcome:
    stack: str
    result: GateResult
    document: dict[str, Any]
    synth_cached: bool
    gate_cached: bool
    seconds: float
    declared: str | None = None  # the stack kind its config declares (tenant-zone:stackKind)
    kind: str = ""


def _gate_key(synth_digest: str, file: str | None, cross_stack: bool) -> str:
    from tenantctl.cache import gate_fingerprint

    parts = (gate_fingerprint(), synth_digest, file or "", "cross" if cross_stack else "single")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def check_one(
    settings: Settings,
    stack: str,
    *,
    config_file: Path | None = None,
    cross_stack: bool = True,
    synth_cache: SynthCache | None = None,
) -> StackOutcome:
    """One stack through the caches (``cross_stack=False`` leaves the cross-stack rules to ``check_all``).

    ``synth_cache``: the run's cache object (it remembers what it verified); a new one by default.
    """
    from tenantctl.cache import keeping_parses

    with keeping_parses(settings.cache_dir):
        return _check_one(settings, stack, config_file, cross_stack, synth_cache)


def _check_one(
    settings: Settings,
    stack: str,
    config_file: Path | None,
    cross_stack: bool,
    synth_cache: SynthCache | None,
) -> StackOutcome:
    from tenantctl.cache import Store, SynthCache
    from tenantctl.gate.adapt import stack_input
    from tenantctl.gate.program import _gc_paused, declared_kind, default_runner, stack_file, synth_kind
    from tenantctl.gate.siblings import refuse_collisions

    started = time.perf_counter()
    program = settings.program
    file = stack_file(program, stack, config_file)
    if cross_stack:
        # one stack alone: compared with the other tenants' stack files first (TEN-01, TEN-02)
        refuse_collisions(program, stack, config_file=config_file, overrides=settings.overrides)
    declared = declared_kind(program, stack, config_file=config_file, overrides=settings.overrides)
    if settings.cache_dir is None:
        from tenantctl.synth import synthesize

        document = synthesize(program, stack, config_file=config_file, overrides=settings.overrides)
        synth_cached, digest, store = False, "", None
    else:
        synth_cache = synth_cache or SynthCache(settings.cache_dir)
        entry = synth_cache.synthesize(program, stack, config_file=config_file, overrides=settings.overrides)
        document, synth_cached, digest = entry.document, synth_cache.last_hit, entry.digest
        store = Store(settings.cache_dir)
    kind = synth_kind(document, declared)
    result: GateResult | None = None
    gate_input = f"{file}\0{declared or ''}\0{settings.policy_config}"
    key = _gate_key(digest, gate_input, cross_stack) if store is not None else ""
    if store is not None:
        found = store.read("gate", key)
        if found is not None:
            try:
                result = result_from_json(found[0])
            except (KeyError, TypeError, ValueError):
                result = None
    gate_cached = result is not None
    if result is None:
        with _gc_paused():
            result = default_runner(settings.policy_config).check_stack(
                stack_input(document), file=file, cross_stack=cross_stack, kind=declared
            )
        types = [str(r.get("type")) for r in document.get("resources", [])]
        result.controls = {stack: control_cells(result, stack, types)}
        result.positions = source_positions(
            program, document, {v.urn for v in result.violations} | {u.urn for u in result.undecided}
        )
        if store is not None:
            store.write("gate", key, result_to_json(result))
    seconds = time.perf_counter() - started
    return StackOutcome(stack, result, document, synth_cached, gate_cached, seconds, declared, kind)


_WORKER_CACHE: list[SynthCache] = []


def _init_worker(cache_dir: Path | None) -> None:
    """A worker process's own cache object (a forked worker must not inherit the parent's memory)."""
    from tenantctl.cache import SynthCache

    _WORKER_CACHE[:] = [SynthCache(cache_dir)] if cache_dir is not None else []


def _worker(
    settings: Settings, stack: str, synth_cache: SynthCache | None = None
) -> StackOutcome | UserError:
    try:
        cache = synth_cache or (_WORKER_CACHE[0] if _WORKER_CACHE else None)
        return check_one(settings, stack, cross_stack=False, synth_cache=cache)
    except UserError as error:
        return UserError(str(error))  # re-raised by the parent, after the other stacks


# --- every stack ---------------------------------------------------------------------------------


def check_all(
    settings: Settings,
    *,
    stacks: Sequence[str] | None = None,
    shard: Shard | None = None,
    progress: Progress | None = None,
    cross_stack_only: bool = False,
    waivers_file: Path | None = None,
    observe: Callable[[Mapping[str, Any]], None] | None = None,
) -> GateResult:
    """Every stack (or a shard's share); then, unless sharded, the cross-stack rules over all of them.

    ``observe`` is shown each stack's synth document (in stack order), as a checkov scan needs them.

    ``cross_stack_only``: the report holds the stacks and the cross-stack findings only, the final job of
    a sharded CI run (the shards hold the rest; ``tenantctl merge`` joins them).

    A stack whose input is refused does not stop the others: the first refusal (in stack order) is
    raised after every stack was tried, naming that stack's file.
    """
    from tenantctl.gate.program import file_waivers
    from tenantctl.gate.waivers import apply_waivers, inline_waivers
    from tenantctl.synth import list_stacks

    names = list(stacks) if stacks is not None else list_stacks(settings.program)
    if not names:
        raise UserError(
            f"--program {settings.program}: no Pulumi.<stack>.yaml stack files; expected at least one stack"
        )
    if shard is not None:
        names = shard.take(names)
    day = dt.date.today()
    waivers = file_waivers(settings.program, waivers_file, day)
    outcomes: dict[str, StackOutcome] = {}
    errors: dict[str, UserError] = {}
    total = len(names)

    def finished(stack: str, outcome: StackOutcome | UserError) -> None:
        if isinstance(outcome, UserError):
            errors[stack] = outcome
            how = "failed"
        else:
            outcomes[stack] = outcome
            how = "cached" if outcome.synth_cached and outcome.gate_cached else "synthesized"
        if progress is not None:
            progress(stack, len(outcomes) + len(errors), total, how)

    from tenantctl.cache import SynthCache

    here = SynthCache(settings.cache_dir) if settings.cache_dir is not None else None
    pending = list(names)
    if here is not None and settings.jobs > 1 and len(names) > 1:
        # Hits are cheap: served here, before paying for worker processes.
        misses = []
        for name in names:
            try:
                hit = here.lookup(settings.program, name, overrides=settings.overrides) is not None
            except UserError:
                hit = False
            if hit:
                finished(name, _worker(settings, name, here))
            else:
                misses.append(name)
        pending = misses
    if settings.jobs > 1 and len(pending) > 2:
        # The first stack runs here, before the workers fork: they start with the program's modules
        # imported and the stacks it references (the org stack) already synthesized, instead of each
        # importing and synthesizing them again.
        first = pending.pop(0)
        finished(first, _worker(settings, first, here))
    if settings.jobs > 1 and len(pending) > 1:
        _run_parallel(settings, pending, finished)
    else:
        for name in pending:
            finished(name, _worker(settings, name, here))
    if errors:
        from tenantctl.gate.program import stack_file

        raise StackFailures(
            [
                (name, stack_file(settings.program, name), str(errors[name]))
                for name in names
                if name in errors
            ]
        )
    if cross_stack_only:
        results = [GateResult(stacks=list(outcomes[name].result.stacks)) for name in names]
    else:
        results = [outcomes[name].result for name in names]
    if shard is None:
        kinds = {n: str(outcomes[n].declared) for n in names if outcomes[n].declared}
        cross = _cross_stack([outcomes[name].document for name in names], kinds, settings.policy_config)
        results.append(cross)
        results.append(GateResult(controls=_cross_stack_cells(cross, names)))
    for name in names:
        waivers.extend(inline_waivers(outcomes[name].document, day))
        if observe is not None:
            observe(outcomes[name].document)
    return waived_cells(apply_waivers(GateResult.combine(results), waivers, day))


def waived_cells(result: GateResult) -> GateResult:
    """A failing cell whose every finding a waiver accepted shows as waived."""
    open_findings = {(v.stack, v.control) for v in result.violations}
    for item in result.waived:
        where = (item.violation.stack, item.violation.control)
        cells = result.controls.get(where[0])
        if cells is not None and where not in open_findings and cells.get(where[1]) == FAIL:
            cells[where[1]] = WAIVED
    return result


def _cross_stack_cells(cross: GateResult, stacks: Sequence[str]) -> dict[str, dict[str, str]]:
    """The matrix cells of the cross-stack rules' controls: fail where they found something, else pass."""
    from policies.catalog import control_for_rule

    cells: dict[str, dict[str, str]] = {}
    controls = {control_for_rule(rule).id for rule in cross.rules}
    failed = {(v.stack, v.control) for v in cross.violations}
    for stack in stacks:
        for control in controls:
            cells.setdefault(stack, {})[control] = FAIL if (stack, control) in failed else PASS
    return cells


def _run_parallel(
    settings: Settings, names: Sequence[str], finished: Callable[[str, StackOutcome | UserError], None]
) -> None:
    methods = multiprocessing.get_all_start_methods()
    # fork starts a worker with this process's imports already done; spawn where there is no fork.
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = min(settings.jobs, len(names))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(settings.cache_dir,)
    ) as pool:
        futures: dict[Future[StackOutcome | UserError], str] = {
            pool.submit(_worker, settings, name): name for name in names
        }
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: names.index(futures[f])):
                finished(futures[future], future.result())


def _cross_stack(
    documents: Sequence[Mapping[str, Any]], kinds: Mapping[str, str], policy_config: str = ""
) -> GateResult:
    from tenantctl.gate.adapt import stack_input
    from tenantctl.gate.program import _gc_paused, default_runner

    runner = default_runner(policy_config)
    reads = runner.cross_stack_reads()
    with _gc_paused():
        inputs = [
            stack_input(cross_stack_view(document, reads), per_resource=False) for document in documents
        ]
        return runner.check_stacks(inputs, kinds)


def cross_stack_view(document: Mapping[str, Any], reads: frozenset[str] | None) -> Mapping[str, Any]:
    """The synth document as the cross-stack rules see it: the resources of the types they read, and
    those that say what the stack is (the stack itself, its providers, the markers of its kind)."""
    if reads is None:
        return document
    from policies.scopes import ORG_MARKERS, TENANT_MARKERS

    kept = reads | TENANT_MARKERS | ORG_MARKERS
    resources = [
        resource
        for resource in document.get("resources", [])
        if not isinstance(resource, Mapping)
        or resource.get("type") in kept
        or str(resource.get("type", "")).startswith("pulumi:")
    ]
    return {**document, "resources": resources}
