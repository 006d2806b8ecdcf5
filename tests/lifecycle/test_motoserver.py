"""The sandbox's moto server: the same backend for every host as moto's dispatcher, looked up once per host,
and no log line per request."""

from __future__ import annotations

import os
from pathlib import Path

import moto.backends
import pytest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from tenantctl.lifecycle import sandbox
from tenantctl.lifecycle.aws import AccountClients, Aws
from tenantctl.lifecycle.motoserver import CachedDispatcher

HOSTS = (
    None,
    "moto_api",
    "kms.ap-northeast-1.amazonaws.com",
    "s3.ap-northeast-3.amazonaws.com",
    "sts.us-east-1.amazonaws.com",
    "sesv2",
    "nothing.example.jp",
)


@pytest.mark.parametrize("host", HOSTS)
def test_same_backend_as_moto_dispatcher(host: str | None) -> None:
    expected = DomainDispatcherApplication(create_backend_app).get_backend_for_host(host)
    dispatcher = CachedDispatcher()
    assert dispatcher.get_backend_for_host(host) == expected
    assert dispatcher.get_backend_for_host(host) == expected


def test_module_listing_read_once_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    listings = 0
    real = moto.backends.list_of_moto_modules

    def counted() -> list[str]:
        nonlocal listings
        listings += 1
        return list(real())

    monkeypatch.setattr(moto.backends, "list_of_moto_modules", counted)
    dispatcher = CachedDispatcher()
    for _ in range(5):
        dispatcher.get_backend_for_host("kms.ap-northeast-1.amazonaws.com")
        dispatcher.get_backend_for_host("ec2.ap-northeast-3.amazonaws.com")
    assert listings == 2


def test_server_answers_without_logging_each_request(moto_endpoint: str) -> None:
    log = Path(os.environ[sandbox.STATE_ENV]) / "moto.log"
    before = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    identity = Aws(endpoint_url=moto_endpoint).client("sts").get_caller_identity()
    assert identity["Account"]
    after = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    assert "POST / HTTP" not in after[len(before) :]


def test_server_answers_shares_received_from_other_accounts(moto_endpoint: str) -> None:
    # two accounts of their own on the session's server, so no other test sees the share
    aws = Aws(endpoint_url=moto_endpoint)
    owner, receiver = (
        AccountClients(aws, account, aws.assume(f"arn:aws:iam::{account}:role/probe", "probe"))
        for account in ("210987654321", "310987654321")
    )
    subnet = owner("ec2").describe_subnets()["Subnets"][0]["SubnetArn"]
    share = owner("ram").create_resource_share(
        name="probe", resourceArns=[subnet], principals=[receiver.account_id]
    )["resourceShare"]
    received = receiver("ram").get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
    assert [(s["resourceShareArn"], s["owningAccountId"]) for s in received] == [
        (share["resourceShareArn"], owner.account_id)
    ]
    assert (
        receiver("ram", "ap-northeast-3").get_resource_shares(resourceOwner="OTHER-ACCOUNTS")[
            "resourceShares"
        ]
        == []
    )
    assert owner("ram").get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"] == []
