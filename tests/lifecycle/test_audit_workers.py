"""Auditing tenants in worker processes: the same report as threads, results in tenant order with progress
as each arrives, the workers' API calls counted, and a worker that fails or dies stops the run with an error
that names it (never a hang or a partial report).

The unit tests spawn their workers (a fork from the test runner's process, which has threads of its own,
could inherit a held lock); the end-to-end test forks them from the CLI's own process, as users run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tenantctl.gate.model import GateResult, StackReport
from tenantctl.lifecycle.audit import TenantAccount
from tenantctl.lifecycle.audit_workers import AuditWorkerError, audit_in_processes
from tenantctl.lifecycle.aws import Aws, Credentials
from tenantctl.lifecycle.tenancy import STACKS_DIR, load_tenants
from tenantctl.paths import REPO_ROOT

NOWHERE = "http://127.0.0.1:9"


def tenants(count: int) -> list[TenantAccount]:
    spec = load_tenants(STACKS_DIR)[0].spec
    return [TenantAccount(f"t{index}-prod", spec, f"{100000000000 + index}") for index in range(count)]


def slow_first(aws: Aws, tenant: TenantAccount, registry: Mapping[str, str]) -> GateResult:
    """Finishes out of order (the first tenant last) and makes two calls per tenant."""
    if tenant.stack == "t0-prod":
        time.sleep(0.5)
    for _ in range(2):
        aws.calls.record("before-call.sts.GetCallerIdentity")
    assert "t0-prod" in registry
    return GateResult(rules=("probe",), stacks=[StackReport(tenant.stack, int(tenant.account_id or 0))])


def fails_on_second(aws: Aws, tenant: TenantAccount, registry: Mapping[str, str]) -> GateResult:
    if tenant.stack == "t1-prod":
        raise ValueError("a bug in a check")
    return GateResult(rules=("probe",), stacks=[StackReport(tenant.stack, 0)])


def exits_on_second(aws: Aws, tenant: TenantAccount, registry: Mapping[str, str]) -> GateResult:
    if tenant.stack == "t1-prod":
        raise SystemExit(0)
    return GateResult(rules=("probe",), stacks=[StackReport(tenant.stack, 0)])


def unsendable_on_second(aws: Aws, tenant: TenantAccount, registry: Mapping[str, str]) -> GateResult:
    result = GateResult(rules=("probe",), stacks=[StackReport(tenant.stack, 0)])
    if tenant.stack == "t1-prod":
        result.rules = (lambda: None,)  # type: ignore[assignment]
    return result


def quits_quietly_on_second(aws: Aws, tenant: TenantAccount, registry: Mapping[str, str]) -> GateResult:
    if tenant.stack == "t1-prod":
        time.sleep(1)  # the first tenant's result has left the worker
        os._exit(0)
    return GateResult(rules=("probe",), stacks=[StackReport(tenant.stack, 0)])


def dies_on_second(aws: Aws, tenant: TenantAccount, registry: Mapping[str, str]) -> GateResult:
    if tenant.stack == "t1-prod":
        time.sleep(1)  # the first tenant's result has left the worker
        os._exit(9)
    return GateResult(rules=("probe",), stacks=[StackReport(tenant.stack, 0)])


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tenantctl.lifecycle.audit_workers.start_method", lambda: "spawn")


@pytest.mark.usefixtures("spawned")
def test_results_come_back_in_tenant_order_with_progress_and_calls() -> None:
    audited = tenants(5)
    aws = Aws(endpoint_url=NOWHERE)
    arrived: list[int] = []
    results = audit_in_processes(
        aws,
        audited,
        {t.stack: "10.0.0.0/16" for t in audited},
        processes=2,
        concurrency=4,
        on_result=lambda index, _: arrived.append(index),
        audit_one=slow_first,
    )
    assert [r.stacks[0].name for r in results] == [t.stack for t in audited]
    assert [r.stacks[0].resources for r in results] == [int(t.account_id or 0) for t in audited]
    assert sorted(arrived) == [0, 1, 2, 3, 4] and arrived[-1] == 0
    assert aws.calls.counts == {"sts.GetCallerIdentity": 10}


@pytest.mark.usefixtures("spawned")
def test_an_error_in_a_worker_names_the_tenant_with_its_traceback() -> None:
    with pytest.raises(AuditWorkerError) as raised:
        audit_in_processes(
            Aws(endpoint_url=NOWHERE), tenants(3), {}, 2, 2, lambda *_: None, audit_one=fails_on_second
        )
    assert str(raised.value).startswith("auditing t1-prod failed in tz-audit-")
    assert "\nTraceback" in str(raised.value)
    assert "ValueError: a bug in a check" in str(raised.value)


@pytest.mark.usefixtures("spawned")
def test_a_worker_that_dies_stops_the_run_naming_it() -> None:
    with pytest.raises(AuditWorkerError) as raised:
        audit_in_processes(
            Aws(endpoint_url=NOWHERE), tenants(3), {}, 1, 1, lambda *_: None, audit_one=dies_on_second
        )
    assert str(raised.value) == (
        "audit worker process tz-audit-0 exited with code 9 before finishing; 2 tenant(s) not audited:"
        " t1-prod, t2-prod"
    )


@pytest.mark.usefixtures("spawned")
@pytest.mark.parametrize(
    ("audit_one", "raised_in_worker"),
    [(exits_on_second, "SystemExit: 0"), (unsendable_on_second, "Can't pickle")],
)
def test_whatever_stops_a_tenant_in_a_worker_stops_the_run(audit_one: Any, raised_in_worker: str) -> None:
    with pytest.raises(AuditWorkerError) as raised:
        audit_in_processes(
            Aws(endpoint_url=NOWHERE), tenants(3), {}, 1, 1, lambda *_: None, audit_one=audit_one
        )
    assert str(raised.value).startswith("auditing t1-prod failed in tz-audit-0:\nTraceback")
    assert raised_in_worker in str(raised.value)


@pytest.mark.usefixtures("spawned")
def test_a_worker_that_exits_quietly_before_finishing_stops_the_run() -> None:
    with pytest.raises(AuditWorkerError) as raised:
        audit_in_processes(
            Aws(endpoint_url=NOWHERE),
            tenants(3),
            {},
            1,
            1,
            lambda *_: None,
            audit_one=quits_quietly_on_second,
        )
    assert str(raised.value) == (
        "audit worker process tz-audit-0 exited with code 0 before finishing; 2 tenant(s) not audited:"
        " t1-prod, t2-prod"
    )


def test_settings_carry_the_resolved_credentials_without_showing_the_secret() -> None:
    credentials = Credentials("AKIAEXAMPLE", "secret-value", "token-value")
    settings = Aws(endpoint_url=NOWHERE, region="ap-northeast-3", credentials=credentials).settings()
    assert settings.credentials == credentials
    assert "secret-value" not in repr(settings) and "token-value" not in repr(settings)
    reopened = settings.open()
    frozen = reopened._botocore.get_credentials().get_frozen_credentials()
    assert (frozen.access_key, frozen.secret_key, frozen.token) == (
        "AKIAEXAMPLE",
        "secret-value",
        "token-value",
    )
    assert (reopened.endpoint_url, reopened.region) == (NOWHERE, "ap-northeast-3")


# --- end to end: the CLI against a sandbox -------------------------------------------------------------


def tenantctl(state: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TENANTCTL_STATE_DIR": str(state)}
    return subprocess.run(
        [sys.executable, "-m", "tenantctl", *argv],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def sandbox_with_drift(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    state = tmp_path_factory.mktemp("audit-workers-sandbox")
    started = tenantctl(state, "sandbox", "start")
    assert started.returncode == 0, started.stderr
    try:
        planted = tenantctl(state, "sandbox", "drift", "--stack", "beta-prod", "--kind", "rotation-off")
        assert planted.returncode == 0, planted.stderr
        yield state
    finally:
        tenantctl(state, "sandbox", "stop")


def test_worker_processes_report_exactly_what_threads_report(sandbox_with_drift: Path) -> None:
    shipped = sorted(e.stack for e in load_tenants(STACKS_DIR))
    runs = {
        processes: tenantctl(
            sandbox_with_drift,
            "audit",
            "--all",
            "--format",
            "json",
            "--concurrency",
            "3",
            "--processes",
            processes,
        )
        for processes in ("1", "3")
    }
    for run in runs.values():
        assert run.returncode == 1, run.stderr
        progress = sorted(line.split()[2] for line in run.stderr.splitlines() if line.startswith("audit: "))
        assert progress == shipped
    assert runs["3"].stdout == runs["1"].stdout
    findings = json.loads(runs["3"].stdout)["violations"]
    assert [(f["stack"], f["rule"]) for f in findings] == [("beta-prod", "live_kms_key_rotation")]
