"""`tenantctl check --all` over generated tenant stacks: what the rules add to the synth, and linearity.

For each size (1, 10, 100 tenant stacks plus the org stack) the project's program
is copied to a temporary directory with generated tenant stack files (distinct
tenant IDs, account e-mails and non-overlapping /16 CIDRs, everything else
from stacks/Pulumi.acme-prod.yaml). In the same process run:

1. the synth alone: ``synthesize`` of every stack, as ``check --all`` does it;
2. ``check --all`` end to end (``tenantctl.gate.check_all``), with the synth
   calls inside it timed, so the gate's own time (synth JSON -> pulumi_policy
   arguments, every policy, cross-stack rules) is the rest.

3. inside that same ``check --all``, the time spent in the deployability rules (the DEP family of the
   catalog, rules that judge what AWS would reject), so their cost is a share of the gate's own time.

The synth caches stack-reference results per process (the org stack's outputs):
the cache is cleared before each pass so both passes do the same work. Times
are CPU seconds of this process (``time.process_time``, all threads): the
machines are shared, and wall time mostly measures the neighbours.

    uv run python benchmarks/bench_check.py [--sizes 1,10,100]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import tenantctl.synth  # noqa: E402
from policies.catalog import load_catalog  # noqa: E402
from policies.registry import all_rules  # noqa: E402
from tenantctl.gate import check_all  # noqa: E402
from tenantctl.synth import list_stacks, synthesize  # noqa: E402
from tenantctl.synth.stackrefs import clear_cache  # noqa: E402

TEMPLATE = "Pulumi.acme-prod.yaml"
RULES_TARGET = 0.10
FAMILY = "DEP"
FAMILY_TARGET = 0.10


def tenant_spec(template: dict[str, Any], index: int) -> tuple[str, dict[str, Any]]:
    """A copy of the template tenant with identity, addresses and domains of tenant ``index``."""
    document = yaml.safe_load(yaml.safe_dump(template))
    spec = document["config"]["tenant-zone:tenant"]
    tenant = f"t{index:03d}"
    zone = f"Z0418273T{index:03d}EXMPL"
    spec.update(
        {
            "id": tenant,
            "environment": "prod",
            "accountEmail": f"aws+{tenant}-prod@tenant-zone.example.jp",
            # 10.16.0.0/16, 10.17.0.0/16, ...: one /16 per tenant, never overlapping
            "vpcCidr": f"10.{16 + index}.0.0/16",
            "incidentEmail": f"security@{tenant}.example.jp",
            "domainName": f"app.{tenant}.example.jp",
            "hostedZoneId": zone,
        }
    )
    if isinstance(spec.get("mail"), dict):
        mail = {**spec["mail"], "domain": f"mail.{tenant}.example.jp"}
        # the mail domain's zone as in the template: delegated from the tenant's parent zone, or that zone
        mail["parentZoneId" if "parentZoneId" in mail else "hostedZoneId"] = zone
        spec["mail"] = mail
    return f"{tenant}-prod", document


def make_program(root: Path, tenants: int) -> Path:
    program = root / f"program-{tenants}"
    program.mkdir()
    shutil.copy(REPO / "Pulumi.yaml", program / "Pulumi.yaml")
    shutil.copy(REPO / "waivers.yaml", program / "waivers.yaml")  # the project's accepted exceptions too
    stacks = program / "stacks"
    stacks.mkdir()
    for source in (REPO / "stacks").glob("*.py"):
        shutil.copy(source, stacks / source.name)
    shutil.copy(REPO / "stacks" / "Pulumi.org.yaml", stacks / "Pulumi.org.yaml")
    template = yaml.safe_load((REPO / "stacks" / TEMPLATE).read_text(encoding="utf-8"))
    for index in range(tenants):
        name, document = tenant_spec(template, index)
        (stacks / f"Pulumi.{name}.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False), encoding="utf-8"
        )
    return program


@dataclass
class Measurement:
    tenants: int
    stacks: int
    resources: int
    rules: int
    mandatory: int
    synth_alone: float
    check_all: float
    synth_in_check: float
    family_in_check: float = 0.0

    @property
    def gate(self) -> float:
        return self.check_all - self.synth_in_check

    @property
    def family_share(self) -> float:
        """What the family adds to the gate: its time over the time of every other rule and the gate's
        plumbing."""
        rest = self.gate - self.family_in_check
        return self.family_in_check / rest if rest > 0 else float("inf")

    @property
    def share(self) -> float:
        return self.gate / self.synth_in_check

    @property
    def per_stack(self) -> float:
        return self.check_all / self.stacks

    @property
    def per_resource(self) -> float:
        return self.check_all / self.resources


@contextmanager
def timed_synth() -> Iterator[list[float]]:
    """Times every ``synthesize`` call ``check_all`` makes (it imports the function at call time)."""
    spent: list[float] = []
    original: Callable[..., dict[str, Any]] = tenantctl.synth.synthesize

    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.process_time() - start)

    tenantctl.synth.synthesize = wrapper  # type: ignore[assignment]
    try:
        yield spent
    finally:
        tenantctl.synth.synthesize = original  # type: ignore[assignment]


@contextmanager
def timed_family(family: str) -> Iterator[list[float]]:
    """Times every evaluation by a rule of ``family`` (generators are drained inside the timing)."""
    spent: list[float] = []
    ids = {
        check
        for control in load_catalog().values()
        if control.family == family
        for check in control.checks("gate")
    }
    classes = {type(rule) for rule_id, rule in all_rules().items() if rule_id in ids}
    originals = {cls: cls.evaluate for cls in classes}

    def timing(original: Callable[..., Any]) -> Callable[..., Any]:
        def evaluate(self: Any, subject: Any) -> list[Any]:
            start = time.process_time()
            try:
                return list(original(self, subject))
            finally:
                spent.append(time.process_time() - start)

        return evaluate

    for cls, original in originals.items():
        cls.evaluate = timing(original)  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        for cls, original in originals.items():
            cls.evaluate = original  # type: ignore[method-assign]


def measure(root: Path, tenants: int) -> Measurement:
    program = make_program(root, tenants)
    names = list_stacks(program)

    clear_cache()
    start = time.process_time()
    for name in names:
        synthesize(program, name)
    synth_alone = time.process_time() - start

    clear_cache()
    with timed_synth() as spent, timed_family(FAMILY) as family:
        start = time.process_time()
        result = check_all(program)
        total = time.process_time() - start
    return Measurement(
        tenants=tenants,
        stacks=len(names),
        resources=result.resources,
        rules=len(result.rules),
        mandatory=len(result.mandatory),
        synth_alone=synth_alone,
        check_all=total,
        synth_in_check=sum(spent),
        family_in_check=sum(family),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", default="1,10,100", help="tenant stack counts, comma-separated (default 1,10,100)"
    )
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        root = Path(tmp)
        # Warm-up: imports (pulumi, pulumi_aws, the rules) and first-call costs stay out of the numbers.
        warm = root / "warm"
        warm.mkdir()
        measure(warm, 1)
        results = []
        for tenants in sizes:
            run_root = root / f"run-{tenants}"
            run_root.mkdir()
            results.append(measure(run_root, tenants))
            latest = results[-1]
            print(
                f"  {latest.tenants:>3} tenants: {latest.stacks} stacks, {latest.resources} resources, "
                f"check --all {latest.check_all:.1f}s",
                flush=True,
            )

    print()
    print(
        "tenants  stacks  resources  synth-alone  check-all  synth-in-check  gate    gate/synth  per-stack "
        " mandatory"
    )
    for m in results:
        print(
            f"{m.tenants:>7}  {m.stacks:>6}  {m.resources:>9}  {m.synth_alone:>10.2f}s  {m.check_all:>8.2f}s "
            f" {m.synth_in_check:>13.2f}s  {m.gate:>5.2f}s  {m.share:>9.1%}  {m.per_stack:>8.3f}s "
            f" {m.mandatory:>9}"
        )
    largest = results[-1]
    print()
    print(
        f"rules' share at {largest.tenants} tenants: the gate adds {largest.share:.1%} to the synth inside"
        f" check --all ({largest.gate / largest.synth_alone:.1%} of the synth-alone pass); target <"
        f" {RULES_TARGET:.0%}: {'met' if largest.share < RULES_TARGET else 'NOT met'}"
    )
    print(
        f"{FAMILY} family at {largest.tenants} tenants: {largest.family_in_check:.2f}s of the gate's "
        f"{largest.gate:.2f}s, adding {largest.family_share:.1%} to the rest of the gate; target < "
        f"{FAMILY_TARGET:.0%}: {'met' if largest.family_share < FAMILY_TARGET else 'NOT met'}"
    )
    if len(results) > 1:
        base = results[0]
        print(
            "linearity, check --all time per resource relative to the smallest run (1.00 = linear): "
            + ", ".join(f"{m.tenants} tenants x{m.per_resource / base.per_resource:.2f}" for m in results)
        )
        print(
            "linearity, time per stack relative to the smallest run: "
            + ", ".join(f"{m.tenants} tenants x{m.per_stack / base.per_stack:.2f}" for m in results)
        )
        print(
            "gate time per resource: "
            + ", ".join(f"{m.tenants} tenants {m.gate / m.resources * 1e3:.2f} ms" for m in results)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
