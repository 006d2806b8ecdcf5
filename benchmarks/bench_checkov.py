"""The gate alone versus checkov on the same exported plans, and what `--with-checkov` adds to a check.

For each size (1 tenant stack; 100 tenant stacks plus the org stack, generated as in bench_check.py) the
stacks are synthesized once, then, in one run:

1. the gate alone: every rule over every synth (``check_synth``; the synth is not counted);
2. the plan export of every synth (``tenantctl.export``);
3. checkov on those plans, all in one checkov process (``tenantctl.checkov.runner.run_plans``).

``--with-checkov`` adds 2 + 3 to a check (the synth is shared). Times are CPU seconds (this process with
``time.process_time``; checkov's subprocess with ``RUSAGE_CHILDREN``): the machines are shared and wall time
mostly measures the neighbours; wall seconds are printed beside them.

    uv run python benchmarks/bench_checkov.py [--sizes 1,100]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_check import make_program  # noqa: E402

from tenantctl.checkov.environment import locate  # noqa: E402
from tenantctl.checkov.runner import run_plans  # noqa: E402
from tenantctl.export import export, from_synth  # noqa: E402
from tenantctl.export.names import names  # noqa: E402
from tenantctl.gate import check_synth  # noqa: E402
from tenantctl.gate.program import default_runner  # noqa: E402
from tenantctl.synth import list_stacks, synthesize  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Measurement:
    stacks: int
    resources: int
    gate_cpu: float
    gate_wall: float
    export_cpu: float
    checkov_cpu: float
    checkov_wall: float
    checks: int

    @property
    def added_cpu(self) -> float:
        return self.export_cpu + self.checkov_cpu

    @property
    def ratio(self) -> float:
        return self.checkov_cpu / self.gate_cpu if self.gate_cpu else float("inf")


def measure(program: Path, stacks: list[str]) -> Measurement:
    synths: list[dict[str, Any]] = [synthesize(program, name) for name in stacks]
    # Loaded once per process in real runs too: the policy pack and the name data are not timed.
    default_runner()
    names()
    start, wall = time.process_time(), time.perf_counter()
    for synth in synths:
        check_synth(synth)
    gate_cpu, gate_wall = time.process_time() - start, time.perf_counter() - wall
    start = time.process_time()
    plans = {synth["stack"]: export(from_synth(synth)) for synth in synths}
    export_cpu = time.process_time() - start
    checkov = locate()
    before, wall = children_cpu(), time.perf_counter()
    run = run_plans({stack: e.plan for stack, e in plans.items()}, checkov)
    checkov_cpu, checkov_wall = children_cpu() - before, time.perf_counter() - wall
    return Measurement(
        stacks=len(stacks),
        resources=sum(len(e.urns) for e in plans.values()),
        gate_cpu=gate_cpu,
        gate_wall=gate_wall,
        export_cpu=export_cpu,
        checkov_cpu=checkov_cpu,
        checkov_wall=checkov_wall,
        checks=len(run.checks_ran),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1,100", help="tenant stack counts (default 1,100)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("checkov benchmark: gate alone vs checkov on the same exported plans (CPU s; wall s in brackets)")
    with tempfile.TemporaryDirectory(prefix="bench-checkov-") as tmp:
        for tenants in sizes:
            if tenants == 1:
                program, stacks = REPO, ["acme-prod"]
            else:
                program = make_program(Path(tmp), tenants)
                stacks = list_stacks(program)
            m = measure(program, stacks)
            print(
                f"{m.stacks:4d} stacks {m.resources:6d} exported resources: gate {m.gate_cpu:7.2f} "
                f"[{m.gate_wall:7.2f}]  checkov {m.checkov_cpu:7.2f} [{m.checkov_wall:7.2f}] "
                f"({m.checks} checks)  checkov/gate {m.ratio:6.1f}x  "
                f"--with-checkov adds {m.added_cpu:7.2f} CPU s (export {m.export_cpu:.2f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
