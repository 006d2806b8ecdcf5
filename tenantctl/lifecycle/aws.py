"""boto3 clients for the lifecycle commands: one place for endpoint, profile, region, retries and timeouts.

Every client uses botocore's ``standard`` retry mode (exponential backoff with jitter, retries on
throttling and transient errors; https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)
with a bounded number of attempts and bounded connect/read timeouts, so one call can never wait longer
than ``CallBudget.worst_case_seconds``. ``Calls`` counts the API calls a run made (the benchmark reports
calls per tenant).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import boto3
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

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.counts.values())


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None


class Aws:
    """Client factory for one target (real AWS or an endpoint such as the sandbox's moto server)."""

    def __init__(
        self,
        endpoint_url: str | None = None,
        profile: str | None = None,
        region: str = PRIMARY_REGION,
        budget: CallBudget | None = None,
        calls: Calls | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.profile = profile
        self.region = region
        self.budget = budget or CallBudget()
        self.calls = calls if calls is not None else Calls()
        self._botocore = botocore.session.Session(profile=profile)
        if endpoint_url is not None and profile is None:
            self._botocore.set_credentials(
                SANDBOX_CREDENTIALS["aws_access_key_id"], SANDBOX_CREDENTIALS["aws_secret_access_key"]
            )
        try:
            self._session = boto3.Session(botocore_session=self._botocore)
        except ProfileNotFound:
            raise UserError(
                f"--profile {profile}: no such profile in the AWS config files; expected a profile name from "
                "~/.aws/config (or omit --profile)"
            ) from None
        self._session.events.register("before-call", self.calls.record)

    def has_credentials(self) -> bool:
        return self._botocore.get_credentials() is not None

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

    def assume(self, role_arn: str, session_name: str) -> Credentials:
        """Credentials of ``role_arn`` (botocore's retry covers throttling; AccessDenied propagates)."""
        response = self.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=session_name)
        creds = response["Credentials"]
        return Credentials(creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken"))


class AccountClients:
    """Clients inside one account (assumed role), per service and region, created once and reused."""

    def __init__(self, aws: Aws, account_id: str, credentials: Credentials | None) -> None:
        self.aws = aws
        self.account_id = account_id
        self.credentials = credentials
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def __call__(self, service: str, region: str = PRIMARY_REGION) -> Any:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self.aws.client(service, region, self.credentials)
            return self._clients[key]
