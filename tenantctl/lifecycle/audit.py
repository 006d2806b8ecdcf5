"""The runtime audit: assume the read-only audit role in each tenant account, run every tenant check in
both Japanese regions, run the organization checks once from the management account, and return the
findings as a gate result (same report formats, same exit codes as ``check``)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from policies.audit._aws import backup_vaults, buckets, customer_keys
from policies.audit._base import ORGANIZATION, TENANT, AuditCheck, AuditFailure, Memo
from policies.audit._registry import all_checks, control_for_check
from policies.framework import Failure, format_message
from tenantctl.gate.model import GateResult, StackReport, Undecided, Violation
from tenantctl.lifecycle.aws import JAPAN_REGIONS, AccountClients, Aws
from tenantctl.lifecycle.iam import AUDIT_ROLE, role_arn
from tenantctl.lifecycle.org import OrgView, scp_targets
from tenantctl.lifecycle.tenancy import TenantSpec

_T = TypeVar("_T")
ORGANIZATION_STACK = "org"
# Tenants audited at once. Each tenant is its own account, so their calls count against no common API rate
# limit (only the AssumeRole calls are the caller's, one per tenant); against AWS a tenant's audit mostly
# waits on the network. Against the sandbox on 2 cores, in paired runs over 30 tenants, 8 at once gave a
# median 1.61x over one at a time, 4 gave 1.45x and 12 or 16 less than 8 (benchmarks/bench_audit.py).
DEFAULT_CONCURRENCY = 8


@dataclass
class Target:
    """One audited account (implements ``policies.audit._base.AuditTarget``)."""

    account_id: str
    stack: str
    clients: AccountClients
    spec: TenantSpec | None = None
    expected: Any = None
    regions: tuple[str, ...] = JAPAN_REGIONS
    _memo: Memo = field(default_factory=Memo)

    def client(self, service: str, region: str) -> Any:
        return self.clients(service, region)

    def memo(self, key: str, build: Callable[[], _T]) -> _T:
        return self._memo.get(key, build)


@dataclass(frozen=True)
class TenantAccount:
    stack: str
    spec: TenantSpec
    account_id: str | None


def _violation(check: AuditCheck, target: Target, failure: AuditFailure) -> Violation:
    control = control_for_check(check.id)
    message = format_message(failure.type, failure.name, Failure(failure.wrong, failure.expected), control.id)
    return Violation(
        stack=target.stack,
        control=control.id,
        rule=check.id,
        urn=failure.arn or f"{failure.type}::{failure.region}::{failure.name}",
        type=failure.type,
        name=failure.name,
        message=message,
        enforcement=control.enforcement,
    )


def _undecided(
    check: AuditCheck | None, stack: str, subject: str, reason: str, control: str = ""
) -> Undecided:
    control_id = control or (control_for_check(check.id).id if check is not None else "")
    rule = check.id if check is not None else "audit"
    return Undecided(
        stack=stack,
        control=control_id,
        rule=rule,
        urn="",
        type="AWS::::Account",
        name=subject,
        message=reason,
        reason=reason,
    )


def run_checks(target: Target, checks: Sequence[AuditCheck]) -> GateResult:
    result = GateResult(rules=tuple(c.id for c in checks))
    for check in checks:
        try:
            failures = list(check.run(target))
        except (ClientError, BotoCoreError) as error:
            result.undecided.append(
                _undecided(check, target.stack, target.account_id, f"cannot be read: {error}")
            )
            continue
        result.violations.extend(_violation(check, target, f) for f in failures)
    return result


def checks_for(scope: str) -> list[AuditCheck]:
    return [c for c in all_checks().values() if c.scope == scope]


def registered_cidrs(tenants: Sequence[TenantAccount]) -> dict[str, str]:
    """The tenant registry as the cross-tenant checks read it: stack name -> registered VPC CIDR."""
    return {t.stack: t.spec.vpc_cidr for t in tenants}


def audit_tenant(aws: Aws, tenant: TenantAccount, registry: Mapping[str, str] | None = None) -> GateResult:
    """One tenant account; ``registry`` (stack -> registered VPC CIDR, every tenant) feeds the cross-tenant
    checks, which compare the account with the other tenants' entries."""
    checks = checks_for(TENANT)
    if tenant.account_id is None:
        result = GateResult(rules=tuple(c.id for c in checks), stacks=[StackReport(tenant.stack, 0)])
        result.undecided.append(
            _undecided(
                None,
                tenant.stack,
                tenant.stack,
                "has no account in the organization; nothing to audit",
                "TEN-01",
            )
        )
        return result
    try:
        credentials = aws.assume(role_arn(tenant.account_id, AUDIT_ROLE), f"tz-audit-{tenant.stack}"[:64])
    except (ClientError, BotoCoreError) as error:
        result = GateResult(rules=tuple(c.id for c in checks), stacks=[StackReport(tenant.stack, 0)])
        result.undecided.append(
            _undecided(
                None, tenant.stack, tenant.account_id, f"the audit role cannot be assumed: {error}", "TEN-01"
            )
        )
        return result
    clients = AccountClients(aws, tenant.account_id, credentials, shared=True)
    others = {stack: cidr for stack, cidr in (registry or {}).items() if stack != tenant.stack}
    target = Target(tenant.account_id, tenant.stack, clients, tenant.spec, expected=others)
    with clients.acting():
        result = run_checks(target, checks)
    result.stacks = [StackReport(tenant.stack, resources=_resource_count(target))]
    return result


def _resource_count(target: Target) -> int:
    """Data stores looked at (buckets, keys, vaults): the report's resource count."""
    count = len(target.memo("s3.buckets", lambda: []))
    for region in target.regions:
        count += len(target.memo(f"kms.keys.{region}", lambda: []))
        count += len(target.memo(f"backup.vaults.{region}", lambda: []))
    return count


def audit_organization(aws: Aws, view: OrgView) -> GateResult:
    checks = checks_for(ORGANIZATION)
    target = Target(
        view.management_account_id,
        ORGANIZATION_STACK,
        AccountClients(aws, view.management_account_id, None),
        expected=scp_targets(),
    )
    result = run_checks(target, checks)
    result.stacks = [StackReport(ORGANIZATION_STACK, resources=len(scp_targets()))]
    return result


def audit(
    aws: Aws,
    tenants: Sequence[TenantAccount],
    view: OrgView | None,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: TextIO | None = sys.stderr,
    registry: Mapping[str, str] | None = None,
    processes: int = 1,
) -> GateResult:
    """Every tenant (``concurrency`` at a time, progress on ``progress``), then the organization checks
    when ``view`` is given. ``registry`` is every registered tenant's VPC CIDR (default: the audited
    tenants'), so that auditing one tenant still compares it with all the others.

    With ``processes`` > 1, the tenants are audited in that many worker processes (``audit_workers``),
    ``concurrency`` tenants at a time across them; otherwise on threads of this process."""
    cidrs = registry if registry is not None else registered_cidrs(tenants)
    done = 0
    lock = threading.Lock()
    started = time.monotonic()

    def report(tenant: TenantAccount, result: GateResult) -> None:
        nonlocal done
        with lock:
            done += 1
            if progress is not None:
                print(
                    f"audit: {done}/{len(tenants)} {tenant.stack} ({len(result.violations)} findings, "
                    f"{time.monotonic() - started:.1f}s)",
                    file=progress,
                )

    def one(tenant: TenantAccount) -> GateResult:
        result = audit_tenant(aws, tenant, cidrs)
        report(tenant, result)
        return result

    processes = max(1, min(processes, concurrency, len(tenants)))
    if processes > 1:
        from tenantctl.lifecycle.audit_workers import audit_in_processes

        results = audit_in_processes(
            aws, tenants, cidrs, processes, concurrency, lambda index, result: report(tenants[index], result)
        )
    elif concurrency <= 1 or len(tenants) <= 1:
        results = [one(t) for t in tenants]
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(one, tenants))
    if view is not None:
        results.append(audit_organization(aws, view))
    combined = GateResult(rules=tuple(sorted({r for result in results for r in result.rules})))
    for result in results:
        combined.stacks.extend(result.stacks)
        combined.violations.extend(result.violations)
        combined.undecided.extend(result.undecided)
    return combined.sort()


def inventory(aws: Aws, tenants: Sequence[TenantAccount]) -> list[dict[str, Any]]:
    """Where each tenant's data lives (DATA-02): buckets, keys and backup vaults, with regions."""
    rows: list[dict[str, Any]] = []
    for tenant in tenants:
        if tenant.account_id is None:
            continue
        credentials = aws.assume(role_arn(tenant.account_id, AUDIT_ROLE), f"tz-inventory-{tenant.stack}"[:64])
        clients = AccountClients(aws, tenant.account_id, credentials, shared=True)
        target = Target(tenant.account_id, tenant.stack, clients, tenant.spec)
        with clients.acting():
            rows.extend(_tenant_inventory(tenant, target))
    return rows


def _tenant_inventory(tenant: TenantAccount, target: Target) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for bucket in buckets(target):
        rows.append(
            {
                "tenant": tenant.stack,
                "account": tenant.account_id,
                "kind": "bucket",
                "region": bucket.region,
                "name": bucket.name,
            }
        )
    for region in target.regions:
        for key in customer_keys(target, region):
            rows.append(
                {
                    "tenant": tenant.stack,
                    "account": tenant.account_id,
                    "kind": "kms-key",
                    "region": region,
                    "name": key["Arn"],
                }
            )
        for vault in backup_vaults(target, region):
            rows.append(
                {
                    "tenant": tenant.stack,
                    "account": tenant.account_id,
                    "kind": "backup-vault",
                    "region": region,
                    "name": vault["BackupVaultName"],
                }
            )
    return rows
