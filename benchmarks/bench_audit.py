"""`tenantctl audit` over seeded tenant accounts on a local moto server: sequential versus concurrent, and
API calls per tenant as the fleet grows.

A moto server is started on 127.0.0.1 (as `tenantctl sandbox start` does), the organization is bootstrapped
and N tenant accounts are created and seeded with the audited baseline (tenants generated from
stacks/Pulumi.acme-prod.yaml with distinct IDs, e-mails and /16 ranges). Then, in this one run:

1. rounds of three audits of every tenant: one at a time (concurrency 1); as `tenantctl audit` runs by default
   (its default concurrency, in one worker process per CPU core); and the same concurrency on threads of one
   process. Each round's speed-ups are its sequential wall time over its concurrent ones;
2. the API calls the audit made, per tenant, for the first 10 tenants and for all N.

Wall time is what concurrency buys (the server and the client are separate processes, so on 2 cores they
overlap). These virtual machines do not run at one speed: the hypervisor takes CPU time for other machines
("steal", /proc/stat), measured here at 0 to 40% of it from one minute to the next, and the same audit's
CPU time varies with it. A speed-up is therefore taken within a round, from runs a minute apart, the order of
the modes rotating from round to round; the headline is the median round, every round is printed, and each
run shows the steal during it (with a quarter of the time stolen, 2 virtual cores are 1.5 real ones). The CPU
seconds of the client (with its worker processes) and of the server process are printed beside each wall
time: the moto server handles requests on threads of one Python process, so whatever the client does, a run
cannot take less wall time than the server's CPU time.

    uv run python benchmarks/bench_audit.py [--tenants 50] [--rounds 5] [--concurrency C] [--processes P]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

from tenantctl.cmd_audit import default_processes  # noqa: E402
from tenantctl.lifecycle import org, sandbox  # noqa: E402
from tenantctl.lifecycle.audit import DEFAULT_CONCURRENCY, TenantAccount, audit  # noqa: E402
from tenantctl.lifecycle.aws import Aws  # noqa: E402
from tenantctl.lifecycle.seed import seed_tenant  # noqa: E402
from tenantctl.lifecycle.tenancy import STACKS_DIR, TenantSpec, load_tenants  # noqa: E402

SEQUENTIAL, DEFAULT, THREADS = "sequential", "as tenantctl audit runs", "threads of one process"


def tenant_specs(count: int) -> list[TenantSpec]:
    base = next(e.spec for e in load_tenants(STACKS_DIR) if e.stack == "acme-prod")
    return [
        base.model_copy(
            update={
                "id": f"bench{index:03d}",
                "account_email": f"aws+bench{index:03d}@tenant-zone.example.jp",
                "vpc_cidr": f"10.{100 + index}.0.0/16",
            }
        )
        for index in range(count)
    ]


@dataclass(frozen=True)
class Run:
    wall: float
    client_cpu: float
    server_cpu: float
    calls: int
    steal: float | None

    def line(self) -> str:
        steal = "n/a" if self.steal is None else f"{self.steal:.0%}"
        return (
            f"{self.wall:6.1f}s wall, CPU client {self.client_cpu:5.1f}s + server {self.server_cpu:5.1f}s,"
            f" steal {steal}"
        )


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc; 0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_cpu() -> float:
    """CPU seconds of this process and of its finished worker processes (the audit joins its workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def machine_times() -> tuple[int, int] | None:
    """(all, stolen) CPU ticks of the machine since boot (Linux /proc/stat; None where there is none)."""
    try:
        ticks = [int(field) for field in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    return (sum(ticks), ticks[7]) if len(ticks) > 7 else None


def timed_audit(
    endpoint: str, server_pid: int, tenants: list[TenantAccount], concurrency: int, processes: int = 1
) -> Run:
    aws = Aws(endpoint_url=endpoint)
    server_before, client_before, machine_before = process_cpu(server_pid), client_cpu(), machine_times()
    started = time.perf_counter()
    result = audit(aws, tenants, None, concurrency=concurrency, progress=None, processes=processes)
    wall = time.perf_counter() - started
    machine_after = machine_times()
    steal = None
    if machine_before and machine_after and machine_after[0] > machine_before[0]:
        steal = (machine_after[1] - machine_before[1]) / (machine_after[0] - machine_before[0])
    run = Run(
        wall, client_cpu() - client_before, process_cpu(server_pid) - server_before, aws.calls.total, steal
    )
    assert not result.violations and not result.undecided, "a seeded tenant must audit clean"
    return run


def measure_rounds(modes: dict[str, Callable[[], Run]], rounds: int) -> list[dict[str, Run]]:
    """Every mode once per round, the order rotating (no mode always runs first, after the same one, or
    last)."""
    names = list(modes)
    measured: list[dict[str, Run]] = []
    for number in range(rounds):
        shift = number % len(names)
        runs: dict[str, Run] = {}
        for name in names[shift:] + names[:shift]:
            runs[name] = modes[name]()
            print(f"  round {number + 1} {name:>24}: {runs[name].line()}", flush=True)
        measured.append(runs)
    return measured


def speed_ups(measured: list[dict[str, Run]], mode: str) -> list[float]:
    return [runs[SEQUENTIAL].wall / runs[mode].wall for runs in measured]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument(
        "--processes", type=int, default=None, help="worker processes (default: as tenantctl audit's)"
    )
    args = parser.parse_args()
    processes = args.processes or default_processes(args.concurrency)
    process, endpoint = sandbox.start_server()
    try:
        aws = Aws(endpoint_url=endpoint)
        view = org.bootstrap(aws)
        tenants: list[TenantAccount] = []
        started = time.perf_counter()
        for spec in tenant_specs(args.tenants):
            account = org.create_account(aws, view, spec.stack_name, spec.account_email, "Tenants/Prod")
            seed_tenant(aws, account, spec, view.management_account_id)
            tenants.append(TenantAccount(spec.stack_name, spec, account))
        print(f"seeded {len(tenants)} tenant accounts in {time.perf_counter() - started:.1f}s")
        # one untimed pass: moto creates each account's regional backends on first use
        audit(Aws(endpoint_url=endpoint), tenants, None, concurrency=args.concurrency, progress=None)
        print(
            f"audit of {len(tenants)} tenants, {args.rounds} rounds: sequential; concurrency "
            f"{args.concurrency} in {processes} worker processes ({DEFAULT}); the same on {THREADS}"
        )
        measured = measure_rounds(
            {
                SEQUENTIAL: lambda: timed_audit(endpoint, process.pid, tenants, 1),
                DEFAULT: lambda: timed_audit(endpoint, process.pid, tenants, args.concurrency, processes),
                THREADS: lambda: timed_audit(endpoint, process.pid, tenants, args.concurrency, 1),
            },
            args.rounds,
        )
        sequential = statistics.median(runs[SEQUENTIAL].wall for runs in measured)
        print(f"per tenant, sequential: {sequential / len(tenants):.2f}s wall (median round)")
        for mode in (THREADS, DEFAULT):
            ratios = speed_ups(measured, mode)
            print(
                f"speed-up, {mode}: {statistics.median(ratios):.2f}x median of rounds "
                f"({', '.join(f'{ratio:.2f}' for ratio in ratios)})"
                + (" (target >= 1.5x on 2 cores)" if mode == DEFAULT else "")
            )
        small = tenants[: min(10, len(tenants))]
        calls_small = timed_audit(endpoint, process.pid, small, 1).calls / len(small)
        calls_all = measured[0][SEQUENTIAL].calls / len(tenants)
        print(
            f"API calls per tenant: {calls_small:.1f} with {len(small)} tenants, {calls_all:.1f} with "
            f"{len(tenants)} tenants (ratio {calls_all / calls_small:.2f}, target flat)"
        )
    finally:
        sandbox.stop_pid(process.pid)


if __name__ == "__main__":
    main()
