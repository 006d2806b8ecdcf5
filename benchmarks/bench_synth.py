"""Offline synth benchmark: time per shipped tenant stack, and N = 1, 10, 100 generated tenant stacks in one
process.

Run: ``uv run python benchmarks/bench_synth.py`` (``make bench``). Everything is measured in this one run:

* each shipped tenant stack, warm (after one synth has loaded pulumi_aws and the components), best of 3;
* N generated tenant stacks (distinct IDs, e-mails, CIDRs, domains) in a temporary copy of the program,
  synthesized one after the other in this process: the org stack once (it lists every tenant, and the tenant
  stacks read their account from it through a stack reference), then every tenant stack. The per-stack time
  and the linearity figure t(N_max) / (N_max * t(1)) use the tenant stacks only; 1.0 is perfectly linear.
  Sizes below 10 are run 3 times and the median is used, so that one noisy run does not skew the ratio;
* the same with the garbage collector left on during the runs, for comparison.

Targets: at most 1 s per tenant stack warm, linear growth.
"""

from __future__ import annotations

import argparse
import gc
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tenantctl.synth import engine, list_stacks, stackrefs, synthesize  # noqa: E402

T = TypeVar("T")
TEMPLATE_STACK = "acme-prod"
SPEC_KEY = "tenant-zone:tenant"


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def tenant_spec(template: dict[str, Any], index: int) -> dict[str, Any]:
    """A valid tenant spec, unique in everything the org stack checks across tenants."""
    tenant = f"t{index:03d}"
    zone = f"Z{index:04d}BENCHMARKZONE"
    spec = dict(template)
    spec.update(
        id=tenant,
        environment="prod",
        accountEmail=f"aws+{tenant}-prod@tenant-zone.example.jp",
        vpcCidr=f"10.{64 + index // 2}.{128 * (index % 2)}.0/17",
        incidentEmail=f"security@{tenant}.example.jp",
        domainName=f"app.{tenant}.example.jp",
        hostedZoneId=zone,
    )
    if "mail" in spec:
        spec["mail"] = {"domain": f"mail.{tenant}.example.jp", "hostedZoneId": zone}
    return spec


def generated_program(root: Path, tenants: int) -> tuple[Path, list[str]]:
    """A copy of the program with the org stack and ``tenants`` generated tenant stacks (no shipped
    tenant)."""
    shutil.copy(REPO / "Pulumi.yaml", root / "Pulumi.yaml")
    stacks = root / "stacks"
    stacks.mkdir()
    for source in (REPO / "stacks").glob("*.py"):
        shutil.copy(source, stacks / source.name)
    shutil.copy(REPO / "stacks" / "Pulumi.org.yaml", stacks / "Pulumi.org.yaml")
    template_file = yaml.safe_load(
        (REPO / "stacks" / f"Pulumi.{TEMPLATE_STACK}.yaml").read_text(encoding="utf-8")
    )
    names = []
    for index in range(tenants):
        config = dict(template_file["config"])
        config[SPEC_KEY] = tenant_spec(template_file["config"][SPEC_KEY], index)
        name = f"t{index:03d}-prod"
        (stacks / f"Pulumi.{name}.yaml").write_text(
            yaml.safe_dump({"config": config}, sort_keys=False), encoding="utf-8"
        )
        names.append(name)
    return root, names


def run_generated(tenants: int) -> dict[str, float]:
    """Synthesize the org stack, then every tenant stack; small N is repeated and the median taken (less
    noise)."""
    repeats = 3 if tenants < 10 else 1
    with tempfile.TemporaryDirectory(prefix=f"bench-synth-{tenants}-") as tmp:
        program, names = generated_program(Path(tmp), tenants)
        stackrefs.clear_cache()
        t_org, org = timed(lambda: synthesize(program, "org"))
        totals = []
        for _ in range(repeats):
            resources = 0
            start = time.perf_counter()
            for name in names:
                resources += len(synthesize(program, name)["resources"])
            totals.append(time.perf_counter() - start)
        t_tenants = statistics.median(totals)
    return {
        "tenants": tenants,
        "org": t_org,
        "org_resources": len(org["resources"]),
        "total": t_tenants,
        "per_stack": t_tenants / tenants,
        "resources": resources,
    }


def print_series(title: str, rows: list[dict[str, float]]) -> None:
    print(f"\n{title}")
    print(
        f"  {'N':>4}  {'org stack':>14}  {'N tenant stacks':>16}  {'per stack':>10}  {'resources':>9} "
        f" {'ms/resource':>11}"
    )
    for row in rows:
        print(
            f"  {row['tenants']:>4}  {row['org']:>6.2f} s ({row['org_resources']:>3.0f}) "
            f" {row['total']:>14.2f} s  {row['per_stack']:>8.3f} s  {row['resources']:>9.0f} "
            f" {1000 * row['total'] / row['resources']:>11.2f}"
        )
    first, last = rows[0], rows[-1]
    ratio = last["total"] / (last["tenants"] / first["tenants"] * first["total"])
    print(
        f"  linearity t({last['tenants']:.0f}) / ({last['tenants'] / first['tenants']:.0f} *"
        f" t({first['tenants']:.0f})) = {ratio:.2f}  (1.00 = linear)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1,10,100", help="numbers of generated tenant stacks (default 1,10,100)"
    )
    parser.add_argument(
        "--gc-size", type=int, default=None, help="N for the GC-on comparison (default: the largest size)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"offline synth benchmark — Python {platform.python_version()}, {platform.machine()}, one process")
    stacks = [s for s in list_stacks(REPO) if s != "org"]
    cold, _ = timed(lambda: synthesize(REPO, stacks[0]))
    print(
        f"\nfirst synth in the process ({stacks[0]}, imports pulumi_aws and the components, resolves org):"
        f" {cold:.2f} s"
    )

    print("\nshipped tenant stacks, warm (best of 3):")
    worst = 0.0
    for stack in stacks:
        times = []
        for _ in range(3):
            elapsed, synth = timed(lambda stack=stack: synthesize(REPO, stack))
            times.append(elapsed)
        best = min(times)
        worst = max(worst, best)
        print(
            f"  {stack:<14} {best:6.3f} s  (median {statistics.median(times):.3f} s,"
            f" {len(synth['resources'])} resources)"
        )
    print(f"  target <= 1 s per stack warm: {'met' if worst <= 1.0 else 'NOT met'} (slowest {worst:.3f} s)")

    rows = [run_generated(n) for n in sizes]
    print_series(
        "generated tenant stacks in one process, garbage collector off during each run (the default):", rows
    )

    gc_size = args.gc_size or sizes[-1]
    engine.DISABLE_GC_DURING_RUN = False
    try:
        gc_rows = [run_generated(n) for n in sorted({sizes[0], gc_size})]
    finally:
        engine.DISABLE_GC_DURING_RUN = True
    print_series("the same with the garbage collector on during the runs:", gc_rows)
    off = next(r for r in rows if r["tenants"] == gc_size)
    on = gc_rows[-1]
    print(f"  GC on / GC off at N={gc_size}: {on['total'] / off['total']:.2f}x the time")
    print(f"\ngc.isenabled() after the benchmark: {gc.isenabled()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
