"""What moto cannot do, injected with botocore event hooks: an account creation that stays IN_PROGRESS
and then FAILS, throttled API calls (retried by the standard retry mode), and an access role that is not
assumable yet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws

from tenantctl.errors import UserError
from tenantctl.lifecycle import org
from tenantctl.lifecycle.aws import Aws
from tenantctl.lifecycle.deploy import SandboxDeployer
from tenantctl.lifecycle.onboard import AccountCreationFailed, Context, wait_for_account, wait_for_role


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _response(status: int, body: dict[str, Any]) -> AWSResponse:
    data = json.dumps(body).encode()
    return AWSResponse("https://fake", status, {"content-type": "application/x-amz-json-1.1"}, _Raw(data))


@pytest.fixture()
def aws() -> Iterator[Aws]:
    with mock_aws():
        yield Aws()


def _ctx(aws: Aws, sleeps: list[float], tmp_path: Path, role_deadline: float = 300.0) -> Context:
    return Context(
        aws=aws,
        stacks_dir=tmp_path,
        deployer=SandboxDeployer(aws),
        sleep=sleeps.append,
        role_deadline=role_deadline,
    )


def test_account_creation_in_progress_then_failed(aws: Aws, tmp_path: Path) -> None:
    states = iter(["IN_PROGRESS", "IN_PROGRESS", "FAILED"])

    def status(**_: Any) -> tuple[Any, dict[str, Any]]:
        state = next(states)
        body: dict[str, Any] = {"Id": "car-1", "AccountName": "gamma-prod", "State": state}
        if state == "FAILED":
            body["FailureReason"] = "EMAIL_ALREADY_EXISTS"
        return _response(200, {}), {"CreateAccountStatus": body}

    aws._session.events.register("before-call.organizations.DescribeCreateAccountStatus", status)
    sleeps: list[float] = []
    with pytest.raises(AccountCreationFailed) as raised:
        wait_for_account(_ctx(aws, sleeps, tmp_path), "car-1", "gamma-prod")
    assert (
        str(raised.value)
        == "account gamma-prod: creation FAILED (EMAIL_ALREADY_EXISTS); expected it to succeed: fix the"
        " request (for EMAIL_ALREADY_EXISTS, an accountEmail no AWS account uses) and rerun, the journal"
        " resumes"
    )
    assert sleeps == [1.0, 2.0]


def test_throttled_calls_are_retried_by_the_standard_mode(aws: Aws, tmp_path: Path) -> None:
    organizations = aws.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    request = organizations.create_account(AccountName="gamma-prod", Email="aws+gamma@tenant-zone.example.jp")
    sent: list[str] = []

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        target = request.headers.get("X-Amz-Target", b"")
        if b"DescribeCreateAccountStatus" in (target if isinstance(target, bytes) else target.encode()):
            sent.append("send")
            if len(sent) <= 2:
                return _response(400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
        return None

    aws._session.events.register("before-send.organizations", throttle)
    account_id = wait_for_account(_ctx(aws, [], tmp_path), request["CreateAccountStatus"]["Id"], "gamma-prod")
    assert account_id.isdigit() and len(account_id) == 12
    assert len(sent) == 3  # two throttled attempts, then the answer
    assert aws.calls.counts["organizations.DescribeCreateAccountStatus"] == 1  # one API call, retried inside


def test_access_role_not_yet_assumable(aws: Aws, tmp_path: Path) -> None:
    denials = iter([True, True, False])

    def assume(**_: Any) -> tuple[Any, dict[str, Any]] | None:
        if next(denials):
            error = {"Error": {"Code": "AccessDenied", "Message": "not yet"}}
            return _response(403, error), error
        return None

    aws._session.events.register("before-call.sts.AssumeRole", assume)
    sleeps: list[float] = []
    assert wait_for_role(_ctx(aws, sleeps, tmp_path), "111122223333") == 3
    assert sleeps == [1.0, 2.0]


def test_access_role_never_assumable_stops_at_the_deadline(aws: Aws, tmp_path: Path) -> None:
    def deny(**_: Any) -> tuple[Any, dict[str, Any]]:
        error = {"Error": {"Code": "AccessDenied", "Message": "no"}}
        return _response(403, error), error

    aws._session.events.register("before-call.sts.AssumeRole", deny)
    with pytest.raises(UserError) as raised:
        wait_for_role(_ctx(aws, [], tmp_path, role_deadline=0.0), "111122223333")
    assert (
        str(raised.value)
        == "account 111122223333: arn:aws:iam::111122223333:role/OrganizationAccountAccessRole not assumable"
        " after 0s; expected it to become assumable: rerun later, the journal resumes"
    )


def test_sandbox_vending_never_requests_an_existing_account_twice(aws: Aws) -> None:
    view = org.bootstrap(aws)
    from tests.lifecycle.orgkit import shipped_spec

    spec = shipped_spec("beta-prod")
    deployer = SandboxDeployer(aws)
    first = deployer.vend_account(spec)
    assert first is not None
    assert deployer.vend_account(spec) is None  # moto finishes at once: the account now exists by name
    names = [a["Name"] for a in org.discover(aws).accounts.values()]
    assert names.count("beta-prod") == 1
    assert view.management_account_id == org.discover(aws).management_account_id
