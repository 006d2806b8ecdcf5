"""``make fuzz``: a long seeded run over stack files, --set arguments and the other readers of user YAML.

Prints the number of cases, the slowest case and the peak memory, and exits 1 when any case broke a property
(an internal error, a traceback, a refusal that names neither its input nor its key, a raw control character)
or went over the budget (5 s, 500 MB).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.fuzz import harness

MAX_SECONDS = 5.0
MAX_BYTES = 500 * 1024 * 1024


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--cases", type=int, default=1200, help="generated cases (default 1200)")
    parser.add_argument("--seed", type=int, default=12, help="the generation seed (default 12)")
    args = parser.parse_args()

    import stacks.tenant  # noqa: F401 - imported once up front, so no case is charged for the SDK's import

    harness.start_tracing()
    workdir = Path(tempfile.mkdtemp(prefix="tenantctl-fuzz-"))
    outcomes: list[tuple[str, harness.Outcome]] = []
    failures: list[str] = []
    cases = st.one_of(
        st.tuples(st.just("stack file"), harness.stack_files, st.just([])),
        st.tuples(
            st.just("--set"), st.just(harness.BASE), st.lists(harness.set_arguments(), min_size=1, max_size=3)
        ),
        st.tuples(st.sampled_from(sorted(harness.TARGETS)), harness.yaml_documents, st.just([])),
    )

    @seed(args.seed)
    @settings(
        max_examples=args.cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def one(case: tuple[str, str | bytes, list[str]]) -> None:
        kind, content, overrides = case
        if kind in harness.TARGETS:
            outcome = harness.run_target_case(workdir, kind, content)
        else:
            outcome = harness.run_stack_case(workdir, content, overrides)
        outcomes.append((kind, outcome))
        described = (
            f"{kind} case {len(outcomes)} (--set {overrides!r})"
            if overrides
            else f"{kind} case {len(outcomes)}"
        )
        for problem in harness.problems_with(outcome):
            failures.append(f"{described}: {problem}")
        if outcome.seconds > MAX_SECONDS:
            failures.append(f"{described}: took {outcome.seconds:.2f} s of CPU")
        if outcome.peak_bytes > MAX_BYTES:
            failures.append(f"{described}: peaked at {outcome.peak_bytes / 2**20:.0f} MiB")

    one()
    slowest_kind, slowest = max(outcomes, key=lambda item: item[1].seconds)
    peak = max(o.peak_bytes for _, o in outcomes)
    slowest_wall = max(o.wall_seconds for _, o in outcomes)
    by_code = {code: sum(1 for _, o in outcomes if o.code == code) for code in (0, 2, 3)}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"cases: {len(outcomes)} (seed {args.seed})")
    for kind in sorted({k for k, _ in outcomes}):
        print(f"  {kind}: {sum(1 for k, _ in outcomes if k == kind)}")
    print(f"exit codes: 0 accepted {by_code[0]}, 2 refused {by_code[2]}, 3 internal error {by_code[3]}")
    print(
        f"slowest case: {slowest.seconds:.3f} s CPU ({slowest_kind}, exit {slowest.code}); budget"
        f" {MAX_SECONDS:.0f} s"
    )
    print(f"slowest case by elapsed time (includes waiting for a shared CPU): {slowest_wall:.3f} s")
    print(f"peak memory of one case (traced Python allocations): {peak / 2**20:.1f} MiB; budget 500 MiB")
    print(f"peak resident memory of the whole run: {rss / 2**20:.0f} MiB")
    for failure in failures[:20]:
        print(f"FAILED {failure}", file=sys.stderr)
    if failures:
        print(f"{len(failures)} problems", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
