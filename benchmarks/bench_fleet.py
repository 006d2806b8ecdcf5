"""`tenantctl check` at fleet scale, measured in one run: cold and warm cache, one stack, gate per resource.

A temporary copy of the program gets N generated tenant stacks (``bench_check.make_program``: distinct
IDs, e-mails, CIDRs and domains, everything else from acme-prod). Each CLI measurement is a fresh
process (``python -m tenantctl``), wall time, as CI would see it:

1. ``check --all`` over 100 tenant stacks with an empty cache (``--jobs`` every core);
2. the same after changing one tenant file (its rate limit): the warm cache answers the rest;
3. ``check --stack`` of one tenant from a cold process: cache hit, after a change to that tenant's file
   (the org stack reads only the tenants' account fields, so it stays cached), and with an empty cache on
   the shipped project;
4. the gate's own CPU time per resource (every rule over every stack plus the cross-stack rules, from
   cached synth results) at 1 and 100 tenants, and their ratio;
5. the floors under every number above, measured in a fresh process: the CPU seconds of importing the
   provider classes a tenant stack uses, and the Pulumi SDK's own cost per resource under its own mocks,
   with the cold ``--all`` wall time they imply on this machine's cores.

The machine's load average is printed with each number: on a shared machine wall time also measures
the neighbours. The processes keep Python's bytecode cache as an installed tool does, even where
``PYTHONDONTWRITEBYTECODE`` is set: without it every process compiles each module it imports again.

    uv run python benchmarks/bench_fleet.py [--tenants 100] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_check import make_program  # noqa: E402

from tenantctl.fleet import default_jobs  # noqa: E402

TARGETS = {"cold": 20.0, "warm": 3.0, "one": 3.0, "flat": 1.2}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


CPU: list[float] = []  # CPU seconds (user + system) of the last tenantctl process and its workers


def cli(*args: str, cache: Path) -> float:
    """Wall seconds of one tenantctl process (exit 0 or 1: a verdict; anything else is a failure).

    Its CPU seconds, with its worker processes, go to ``CPU``: on a loaded machine they say what the run
    costs, and CPU / cores is what the wall time would be on idle cores for the parallel part.
    """
    env = {**os.environ, "TENANTCTL_CACHE_DIR": str(cache)}
    env.pop("TENANTCTL_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tenantctl", *args], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[:] = [(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)]
    if done.returncode not in (0, 1):
        raise SystemExit(f"tenantctl {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return seconds


def cpu() -> str:
    return f"CPU {CPU[0]:.1f} s"


def change_tenant(program: Path, stack: str, rate: int) -> None:
    path = program / "stacks" / f"Pulumi.{stack}.yaml"
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "rateLimit:" not in line]
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("id:"))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines.insert(index + 1, f"{indent}rateLimit: {rate}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def gate_per_resource(program: Path, cache: Path) -> tuple[float, int]:
    """CPU seconds of the gate alone per resource (synth results come from the cache)."""
    from dataclasses import replace

    from tenantctl.cache import SynthCache
    from tenantctl.gate.adapt import stack_input
    from tenantctl.gate.program import _gc_paused, default_runner
    from tenantctl.synth import list_stacks

    runner = default_runner()
    synth_cache = SynthCache(cache)
    documents = [synth_cache.synthesize(program, name).document for name in list_stacks(program)]
    resources = sum(len(d["resources"]) for d in documents)
    start = time.process_time()
    with _gc_paused():
        inputs = []
        for document in documents:
            prepared = stack_input(document)
            runner.check_stack(prepared, cross_stack=False)
            inputs.append(replace(prepared, resources=()))
        runner.check_stacks(inputs)
    return time.process_time() - start, resources


def verdict(value: float, target: float) -> str:
    return "meets" if value <= target else "MISSES"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    jobs = str(args.jobs)
    print(f"bench_fleet: {args.tenants} tenant stacks + org, --jobs {jobs}; {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        root = Path(tmp)
        program = make_program(root, args.tenants)
        cache = root / "cache"
        base = ("--program", str(program), "--format", "json", "--output", str(root / "report.json"))

        cold = cli("check", "--all", "--jobs", jobs, *base, cache=cache)
        print(
            f"1. check --all, {args.tenants} tenants, empty cache: {cold:6.1f} s wall "
            f"(target <= {TARGETS['cold']:.0f} s: {verdict(cold, TARGETS['cold'])}); {cpu()}; {load()}",
            flush=True,
        )

        change_tenant(program, "t007-prod", 1500)
        warm = cli("check", "--all", "--jobs", jobs, *base, cache=cache)
        print(
            f"2. check --all after changing one tenant file, warm cache: {warm:6.1f} s wall "
            f"(target <= {TARGETS['warm']:.0f} s: {verdict(warm, TARGETS['warm'])}); {cpu()}; {load()}",
            flush=True,
        )

        hit = cli("check", "--stack", "t042-prod", *base, cache=cache)
        print(
            f"3a. check --stack t042-prod, cold process, cache hit: {hit:6.1f} s wall "
            f"(target <= {TARGETS['one']:.0f} s: {verdict(hit, TARGETS['one'])}); {cpu()}; {load()}",
            flush=True,
        )
        change_tenant(program, "t042-prod", 1600)
        changed = cli("check", "--stack", "t042-prod", *base, cache=cache)
        print(
            "3b. check --stack t042-prod, cold process, its file changed (org stays cached): "
            f"{changed:6.1f} s wall (target <= {TARGETS['one']:.0f} s: {verdict(changed, TARGETS['one'])}); "
            f"{cpu()}; {load()}",
            flush=True,
        )
        shipped = cli(
            "check",
            "--stack",
            "acme-prod",
            "--program",
            str(REPO),
            "--format",
            "json",
            "--output",
            str(root / "one.json"),
            cache=root / "empty-cache",
        )
        print(
            f"3c. check --stack acme-prod of the shipped project, cold process, empty cache: {shipped:6.1f} s"
            f" wall (target <= {TARGETS['one']:.0f} s: {verdict(shipped, TARGETS['one'])}); {cpu()};"
            f" {load()}",
            flush=True,
        )

        small = make_program(root, 1)
        cli(
            "check",
            "--all",
            "--jobs",
            jobs,
            "--program",
            str(small),
            "--format",
            "json",
            "--output",
            str(root / "small.json"),
            cache=cache,
        )
        one_seconds, one_resources = gate_per_resource(small, cache)
        many_seconds, many_resources = gate_per_resource(program, cache)
        per_one = one_seconds / one_resources * 1000
        per_many = many_seconds / many_resources * 1000
        ratio = per_many / per_one
        print(
            f"4. gate CPU per resource: 1 tenant {per_one:.3f} ms ({one_resources} resources), "
            f"{args.tenants} tenants {per_many:.3f} ms ({many_resources} resources): ratio x{ratio:.2f} "
            f"(target <= x{TARGETS['flat']}: {verdict(ratio, TARGETS['flat'])}); {load()}",
            flush=True,
        )
        floors(program, cache, many_resources, args.tenants + 1)
    return 0


# Run in a fresh process: the Pulumi SDK's own cost per resource under its own mocks (``set_mocks``), for
# resources of one type with two tags, and the CPU seconds of importing the provider modules a stack uses.
_FLOOR_PROBE = """
import asyncio, gc, json, sys, time, warnings
warnings.simplefilter("ignore")
modules = json.loads(sys.argv[1])
start = time.process_time()
import pulumi_aws
gc.disable()
for module, name in modules:
    getattr(getattr(pulumi_aws, module), name)
imports = time.process_time() - start
import pulumi
from pulumi.runtime.stack import wait_for_rpcs

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [f"{args.name}-id", dict(args.inputs)]

    def call(self, args):
        return {}

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
pulumi.runtime.set_mocks(Mocks(), preview=False)
count = 2000
start = time.process_time()
for i in range(count):
    pulumi_aws.ssm.Parameter(f"p{i}", type="String", value="v", tags={"tenant": "t", "environment": "prod"})
loop.run_until_complete(wait_for_rpcs())
print(json.dumps({"imports": imports, "per_resource": (time.process_time() - start) / count}))
"""


def floors(program: Path, cache: Path, resources: int, stacks: int) -> None:
    """What no change of ours can go below on this machine, and the cold ``--all`` time it implies."""
    import json

    from tenantctl.cache import SynthCache

    document = SynthCache(cache).synthesize(program, "t000-prod").document
    modules = sorted(
        {
            (token.split(":")[1].split("/")[0], token.split(":")[2])
            for token in (str(r["type"]) for r in document["resources"])
            if token.startswith("aws:") and token.count(":") == 2 and "/" in token.split(":")[1]
        }
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    probe = subprocess.run(
        [sys.executable, "-c", _FLOOR_PROBE, json.dumps(modules)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    cores = os.cpu_count() or 1
    bound = (found["per_resource"] * resources + found["imports"] * cores) / cores
    print(
        f"5. floors: importing the {len(modules)} provider classes a tenant stack uses"
        f" {found['imports']:.2f} CPU s per process; the Pulumi SDK under its own mocks"
        f" {found['per_resource'] * 1000:.2f} ms per resource;"
        f" so check --all over {stacks} stacks ({resources} resources) on {cores} cores needs at least"
        f" {bound:.1f} s wall for the SDK alone; {load()}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
