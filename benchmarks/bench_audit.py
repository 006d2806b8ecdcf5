"""`tenantctl audit` over seeded tenant accounts on a local moto server: sequential versus concurrent, and
API calls per tenant as the fleet grows.

A moto server is started on 127.0.0.1 (as `tenantctl sandbox start` does), the organization is bootstrapped
and N tenant accounts are created and seeded with the audited baseline (tenants generated from
stacks/Pulumi.acme-prod.yaml with distinct IDs, e-mails and /16 ranges). Then, in this one run:

1. the audit of every tenant one at a time (concurrency 1), then with threads (concurrency C);
2. the API calls the audit made, per tenant, for the first 10 tenants and for all N.

Wall time is what concurrency buys (the server and the client are two processes, so on 2 cores they
overlap); the machines are shared, so each mode runs twice and the faster run counts.

    uv run python benchmarks/bench_audit.py [--tenants 50] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

from tenantctl.lifecycle import org, sandbox  # noqa: E402
from tenantctl.lifecycle.audit import TenantAccount, audit  # noqa: E402
from tenantctl.lifecycle.aws import Aws  # noqa: E402
from tenantctl.lifecycle.seed import seed_tenant  # noqa: E402
from tenantctl.lifecycle.tenancy import STACKS_DIR, TenantSpec, load_tenants  # noqa: E402


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


def timed_audit(
    endpoint: str, tenants: list[TenantAccount], view: org.OrgView, concurrency: int
) -> tuple[float, int]:
    best = float("inf")
    calls = 0
    for _ in range(2):
        aws = Aws(endpoint_url=endpoint)
        started = time.perf_counter()
        result = audit(aws, tenants, None, concurrency=concurrency, progress=None)
        best = min(best, time.perf_counter() - started)
        calls = aws.calls.total
        assert not result.violations and not result.undecided, "a seeded tenant must audit clean"
    return best, calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
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
        sequential, calls_all = timed_audit(endpoint, tenants, view, 1)
        concurrent, _ = timed_audit(endpoint, tenants, view, args.concurrency)
        small = tenants[: min(10, len(tenants))]
        _, calls_small = timed_audit(endpoint, small, view, 1)
        print(
            f"audit of {len(tenants)} tenants, sequential:        {sequential:6.1f}s"
            f" ({sequential / len(tenants):.2f}s per tenant)"
        )
        print(f"audit of {len(tenants)} tenants, concurrency {args.concurrency}:     {concurrent:6.1f}s")
        print(f"concurrency speed-up: {sequential / concurrent:.2f}x (target >= 1.5x on 2 cores)")
        print(
            f"API calls per tenant: {calls_small / len(small):.1f} with {len(small)} tenants,"
            f" {calls_all / len(tenants):.1f} with {len(tenants)} tenants (ratio"
            f" {calls_all / len(tenants) / (calls_small / len(small)):.2f}, target flat)"
        )
    finally:
        sandbox.stop_pid(process.pid)


if __name__ == "__main__":
    main()
