"""boto3 clients for the lifecycle commands: one place for endpoint, profile, region, retries and timeouts.

Every client uses botocore's ``standard`` retry mode (exponential backoff with jitter, retries on
throttling and transient errors; https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)
with a bounded number of attempts and bounded connect/read timeouts, so one call can never wait longer
than ``CallBudget.worst_case_seconds``. ``Calls`` counts the API calls a run made (the benchmark reports
calls per tenant).

Creating a botocore client costs tens of milliseconds of CPU (it builds the client class, resolves the
endpoint and copies the event hooks), more than most calls it then makes. A fleet audit reads some twenty
service/region pairs in each tenant account, so ``Aws.shared_client`` keeps one client per service and region
for the whole run and signs each request with the credentials of the account the calling thread acts in
(``acting_as``). Low-level clients are thread safe
(https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html#multithreading-or-multiprocessing-with-clients)
and the credentials live in a context variable, which each thread holds on its own.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.credentials
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import ProfileNotFound

from tenantctl.errors import UserError

PRIMARY_REGION = "ap-northeast-1"
SECONDARY_REGION = "ap-northeast-3"
JAPAN_REGIONS: tuple[str, ...] = (PRIMARY_REGION, SECONDARY_REGION)

# Credentials for the local sandbox: moto accepts any key; these never reach AWS (the endpoint is 127.0.0.1).
SANDBOX_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@dataclass(frozen=True)
class CallBudget:
    """Retry and timeout bounds of one API call (attempts include the first try)."""

    max_attempts: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    # botocore's standard mode caps each backoff sleep at 20 seconds.
    max_backoff: float = 20.0

    @property
    def worst_case_seconds(self) -> float:
        return (
            self.max_attempts * (self.connect_timeout + self.read_timeout)
            + (self.max_attempts - 1) * self.max_backoff
        )

    def config(self, region: str) -> Config:
        return Config(
            region_name=region,
            retries={"mode": "standard", "max_attempts": self.max_attempts},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )


@dataclass
class Calls:
    """API calls made, by ``service.Operation``; thread-safe (audits run tenants on threads)."""

    counts: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, event_name: str, **_: Any) -> None:
        # event_name: "before-call.<service>.<Operation>"
        parts = event_name.split(".")
        key = ".".join(parts[1:3]) if len(parts) >= 3 else event_name
        with self._lock:
            self.counts[key] += 1

    def merge(self, counts: Counter[str]) -> None:
        """Add the calls another process made (an audit's worker processes)."""
        with self._lock:
            self.counts.update(counts)

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.counts.values())


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    # never printed: a report, a log line or a traceback may show a Credentials
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AwsSettings:
    """An ``Aws`` as a value that can be sent to a worker process (``Aws.settings``, ``AwsSettings.open``)."""

    endpoint_url: str | None
    profile: str | None
    region: str
    budget: CallBudget
    credentials: Credentials | None

    def open(self) -> Aws:
        # The profile still gives its settings (CA bundle, proxies, endpoints); the credentials are fixed.
        return Aws(
            endpoint_url=self.endpoint_url,
            profile=self.profile,
            region=self.region,
            budget=self.budget,
            credentials=self.credentials,
        )


_LOADERS: dict[str | None, botocore.loaders.Loader] = {}
_LOADERS_LOCK = threading.Lock()


def _unlock_loaders_in_child() -> None:
    # A process forked while another thread held the lock would wait for it forever.
    global _LOADERS_LOCK
    _LOADERS_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_unlock_loaders_in_child)


def _share_loader(session: botocore.session.Session) -> None:
    """Give ``session`` the process's loader of botocore's data files for its data path.

    Each botocore session otherwise parses every service model, paginator and endpoint file it uses again
    (about half of a new client's CPU time); the files are read-only, so one parsed copy serves every
    session of the process (the audit's own session and its shared-client session, and each ``Aws`` of a
    process that makes several). Called after ``boto3.Session`` wraps the session: boto3 adds its resource
    models' directory to the loader it finds, which would otherwise grow the shared loader's search path
    with each session; clients never read those files."""
    data_path = session.get_config_variable("data_path")
    with _LOADERS_LOCK:
        if data_path not in _LOADERS:
            _LOADERS[data_path] = botocore.loaders.create_loader(data_path)
        session.register_component("data_loader", _LOADERS[data_path])


_ACTING_AS: ContextVar[Credentials | None] = ContextVar("tenantctl_acting_as", default=None)


class NoAccountInScope(RuntimeError):
    """A shared client was called outside ``acting_as``: no account to sign the request for."""


class _ActingAsCredentials(botocore.credentials.Credentials):  # type: ignore[misc]
    """The credentials of the account the calling thread acts in, read at each request's signing."""

    def __init__(self) -> None:
        super().__init__("acting-as", "acting-as", method="tenantctl-acting-as")

    def get_frozen_credentials(self) -> botocore.credentials.ReadOnlyCredentials:
        current = _ACTING_AS.get()
        if current is None:
            raise NoAccountInScope("a shared client was called outside Aws.acting_as(credentials)")
        return botocore.credentials.ReadOnlyCredentials(
            current.access_key_id, current.secret_access_key, current.session_token
        )


class _ActingAsProvider(botocore.credentials.CredentialProvider):  # type: ignore[misc]
    METHOD = "tenantctl-acting-as"

    def load(self) -> botocore.credentials.Credentials:
        return _ActingAsCredentials()


@contextmanager
def acting_as(credentials: Credentials) -> Iterator[None]:
    """Requests of shared clients made by this thread inside the block are signed with ``credentials``."""
    token = _ACTING_AS.set(credentials)
    try:
        yield
    finally:
        _ACTING_AS.reset(token)


class Aws:
    """Client factory for one target (real AWS or an endpoint such as the sandbox's moto server)."""

    def __init__(
        self,
        endpoint_url: str | None = None,
        profile: str | None = None,
        region: str = PRIMARY_REGION,
        budget: CallBudget | None = None,
        calls: Calls | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.profile = profile
        self.region = region
        self.budget = budget or CallBudget()
        self.calls = calls if calls is not None else Calls()
        self._botocore = botocore.session.Session(profile=profile)
        if credentials is None and endpoint_url is not None and profile is None:
            credentials = Credentials(
                SANDBOX_CREDENTIALS["aws_access_key_id"], SANDBOX_CREDENTIALS["aws_secret_access_key"]
            )
        if credentials is not None:
            self._botocore.set_credentials(
                credentials.access_key_id, credentials.secret_access_key, credentials.session_token
            )
        try:
            self._session = boto3.Session(botocore_session=self._botocore)
        except ProfileNotFound:
            raise UserError(
                f"--profile {profile}: no such profile in the AWS config files; expected a profile name from "
                "~/.aws/config (or omit --profile)"
            ) from None
        _share_loader(self._botocore)
        self._session.events.register("before-call", self.calls.record)
        self._shared_session: boto3.Session | None = None
        self._shared: dict[tuple[str, str], Any] = {}
        self._shared_lock = threading.Lock()
        self._assuming: Any = None

    def has_credentials(self) -> bool:
        return self._botocore.get_credentials() is not None

    def settings(self) -> AwsSettings:
        """What another process needs to make the same calls: the target, the bounds and the credentials as
        resolved now (a profile's credential process or MFA prompt runs once, in this process). Temporary
        credentials are not refreshed in the other process: a run longer than their remaining lifetime
        reports the later tenants as undecided (their audit role cannot be assumed), never as passed."""
        resolved = self._botocore.get_credentials()
        credentials = None
        if resolved is not None:
            frozen = resolved.get_frozen_credentials()
            credentials = Credentials(frozen.access_key, frozen.secret_key, frozen.token)
        return AwsSettings(self.endpoint_url, self.profile, self.region, self.budget, credentials)

    def client(self, service: str, region: str | None = None, credentials: Credentials | None = None) -> Any:
        region = region or self.region
        kwargs: dict[str, Any] = {"config": self.budget.config(region), "endpoint_url": self.endpoint_url}
        if credentials is not None:
            kwargs.update(
                aws_access_key_id=credentials.access_key_id,
                aws_secret_access_key=credentials.secret_access_key,
                aws_session_token=credentials.session_token,
            )
        return self._session.client(service, **kwargs)

    def shared_client(self, service: str, region: str) -> Any:
        """The run's one client for ``service`` in ``region``; it signs with the credentials of the enclosing
        ``acting_as`` block (and refuses to send a request outside one)."""
        key = (service, region)
        with self._shared_lock:
            if key not in self._shared:
                if self._shared_session is None:
                    scoped = botocore.session.Session()
                    scoped.register_component(
                        "credential_provider", botocore.credentials.CredentialResolver([_ActingAsProvider()])
                    )
                    self._shared_session = boto3.Session(botocore_session=scoped)
                    _share_loader(scoped)
                    self._shared_session.events.register("before-call", self.calls.record)
                self._shared[key] = self._shared_session.client(
                    service, config=self.budget.config(region), endpoint_url=self.endpoint_url
                )
            return self._shared[key]

    def assume(self, role_arn: str, session_name: str) -> Credentials:
        """Credentials of ``role_arn`` (botocore's retry covers throttling; AccessDenied propagates)."""
        with self._shared_lock:
            # one STS client for every role the run assumes: a client per role costs building one (about 4
            # ms of CPU) and, against AWS, a new TLS connection
            if self._assuming is None:
                self._assuming = self.client("sts")
        response = self._assuming.assume_role(RoleArn=role_arn, RoleSessionName=session_name)
        creds = response["Credentials"]
        return Credentials(creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken"))


class AccountClients:
    """Clients inside one account (assumed role), per service and region, created once and reused.

    With ``shared`` (and credentials), they are the run's shared clients (``Aws.shared_client``): every call
    must then be made inside ``acting()``."""

    def __init__(
        self, aws: Aws, account_id: str, credentials: Credentials | None, shared: bool = False
    ) -> None:
        self.aws = aws
        self.account_id = account_id
        self.credentials = credentials
        self.shared = shared and credentials is not None
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    @contextmanager
    def acting(self) -> Iterator[None]:
        """The block in which this thread's calls through shared clients are made as this account."""
        if self.credentials is None or not self.shared:
            yield
            return
        with acting_as(self.credentials):
            yield

    def __call__(self, service: str, region: str = PRIMARY_REGION) -> Any:
        if self.shared:
            return self.aws.shared_client(service, region)
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self.aws.client(service, region, self.credentials)
            return self._clients[key]
