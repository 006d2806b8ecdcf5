"""The local AWS: a moto server on 127.0.0.1 at a free port, recorded in a state file so that the other
lifecycle commands find it, bootstrapped as the organization and seeded with the shipped tenants."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tenantctl.errors import UserError
from tenantctl.lifecycle.aws import Aws
from tenantctl.paths import REPO_ROOT

HOST = "127.0.0.1"
STATE_ENV = "TENANTCTL_STATE_DIR"
START_TIMEOUT_SECONDS = 30.0
# moto loads thousands of AMIs into every new EC2 region backend unless told not to; the sandbox uses none.
SERVER_ENV = {"MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}


def state_dir() -> Path:
    return Path(os.environ.get(STATE_ENV) or REPO_ROOT / ".tenantctl")


def state_file() -> Path:
    return state_dir() / "sandbox.json"


@dataclass(frozen=True)
class SandboxState:
    pid: int
    port: int
    endpoint_url: str
    management_account_id: str
    tenants: dict[str, str]
    started: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _responding(endpoint: str) -> bool:
    """The server accepts connections and answers an STS call (cheap: it holds no data)."""
    request = urllib.request.Request(
        endpoint, data=b"Action=GetCallerIdentity&Version=2011-06-15", method="POST"
    )
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header(
        "Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request"
    )
    try:
        with urllib.request.urlopen(request, timeout=5.0) as response:  # noqa: S310 - 127.0.0.1 only
            return bool(response.status == 200)
    except OSError:
        return False


def read_state() -> SandboxState | None:
    path = state_file()
    if not path.is_file():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return SandboxState(**data)
    except (OSError, ValueError, TypeError):
        return None


def running_state() -> SandboxState | None:
    state = read_state()
    if state is None or not _alive(state.pid) or not _responding(state.endpoint_url):
        return None
    return state


def _write_state(state: SandboxState) -> None:
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def start_server(port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """A moto server process on 127.0.0.1 (``tenantctl.lifecycle.motoserver``); returns it and its endpoint
    once it answers."""
    port = port or free_port()
    endpoint = f"http://{HOST}:{port}"
    log = (state_dir() / "moto.log") if state_dir().is_dir() else Path(os.devnull)
    process = subprocess.Popen(
        [sys.executable, "-m", "tenantctl.lifecycle.motoserver", HOST, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
        env={**os.environ, **SERVER_ENV},
        start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UserError(
                f"sandbox: the moto server exited with code {process.returncode} on port {port}; expected it"
                " to start (is moto[server] installed? run `make setup`)"
            )
        if _responding(endpoint):
            return process, endpoint
        time.sleep(0.1)
    process.terminate()
    raise UserError(
        f"sandbox: the moto server did not answer on {endpoint} within {START_TIMEOUT_SECONDS:.0f}s"
    )


def stop_pid(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)


def start(seed: bool = True, only: list[str] | None = None) -> SandboxState:
    from tenantctl.lifecycle import org
    from tenantctl.lifecycle.seed import seed_tenant
    from tenantctl.lifecycle.tenancy import STACKS_DIR, load_tenants

    if running_state() is not None:
        raise UserError(
            f"sandbox: already running ({state_file()}); expected `tenantctl sandbox stop` first, or use it"
            " as is"
        )
    entries = load_tenants(STACKS_DIR)
    unknown = sorted(set(only or ()) - {e.stack for e in entries})
    if unknown:
        raise UserError(
            f"--seed {unknown[0]}: not a tenant stack; expected one of {', '.join(e.stack for e in entries)}"
        )
    state_dir().mkdir(parents=True, exist_ok=True)
    process, endpoint = start_server()
    try:
        aws = Aws(endpoint_url=endpoint)
        view = org.bootstrap(aws)
        tenants: dict[str, str] = {}
        for entry in entries:
            account_id = org.create_account(
                aws, view, entry.stack, entry.spec.account_email, org.environment_ou(entry.spec.environment)
            )
            tenants[entry.stack] = account_id
            if seed and (not only or entry.stack in only):
                seed_tenant(aws, account_id, entry.spec, view.management_account_id)
    except BaseException:
        stop_pid(process.pid)
        raise
    state = SandboxState(
        process.pid,
        int(endpoint.rsplit(":", 1)[1]),
        endpoint,
        view.management_account_id,
        tenants,
        time.time(),
    )
    _write_state(state)
    return state


def stop() -> SandboxState | None:
    state = read_state()
    if state is not None:
        stop_pid(state.pid)
        state_file().unlink(missing_ok=True)
    return state


def endpoint_from_state() -> str | None:
    state = running_state()
    return state.endpoint_url if state is not None else None
