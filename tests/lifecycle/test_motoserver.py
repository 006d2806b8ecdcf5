"""The sandbox's moto server: the same backend for every host as moto's dispatcher, looked up once per host;
the same handler names as moto lists, listed once per class; a pool of request threads; no log line per
request."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import moto.backends
import moto.core.responses
import moto.core.utils
import pytest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from tenantctl.lifecycle import sandbox
from tenantctl.lifecycle.aws import AccountClients, Aws
from tenantctl.lifecycle.motoserver import REQUEST_THREADS, CachedDispatcher, remember_handler_names

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


def test_handler_names_listed_once_per_class_as_moto_lists_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.kms.responses import KmsResponse
    from moto.s3.responses import S3Response

    listings: list[object] = []
    real = moto.core.utils.method_names_from_class

    def counted(clazz: object) -> list[str]:
        listings.append(clazz)
        return real(clazz)

    monkeypatch.setattr(moto.core.responses, "method_names_from_class", counted)
    remember_handler_names()
    for _ in range(3):
        for clazz in (KmsResponse, S3Response):
            assert moto.core.responses.method_names_from_class(clazz) == real(clazz)  # type: ignore[attr-defined]
    assert listings == [KmsResponse, S3Response]


def test_pooled_server_answers_many_connections_at_once(moto_endpoint: str) -> None:
    # More connections in flight than the pool has threads: the extra ones wait for a free thread.
    aws = Aws(endpoint_url=moto_endpoint)
    with ThreadPoolExecutor(max_workers=REQUEST_THREADS + 8) as pool:
        accounts = list(pool.map(lambda _: aws.client("sts").get_caller_identity()["Account"], range(80)))
    assert len(set(accounts)) == 1 and accounts[0]


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


def test_account_of_access_key_found_once_and_as_moto_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    import moto.iam.models
    from moto import mock_aws
    from moto.core import DEFAULT_ACCOUNT_ID

    from tenantctl.lifecycle.motoserver import remember_accounts_of_access_keys

    real = moto.iam.models.get_account_id_from
    searched: list[str] = []

    def counted(access_key: str) -> str:
        searched.append(access_key)
        return real(access_key)

    monkeypatch.setattr(moto.iam.models, "get_account_id_from", counted)
    remember_accounts_of_access_keys()
    remembered = moto.iam.models.get_account_id_from
    with mock_aws():
        sts = boto3.client("sts", region_name="ap-northeast-1")
        keys = {
            account: sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/probe", RoleSessionName="probe")[
                "Credentials"
            ]
            for account in ("210987654321", "310987654321")
        }
        for _ in range(3):
            for account, credentials in keys.items():
                assert remembered(credentials["AccessKeyId"]) == real(credentials["AccessKeyId"]) == account
        # (the mock's own requests search for its default key too)
        assumed = sorted(c["AccessKeyId"] for c in keys.values())
        assert sorted(key for key in searched if key in assumed) == assumed

        # a key that no account holds (yet) is searched each time, a deleted key again
        assert remembered("AKIANOSUCHKEY0000000") == DEFAULT_ACCOUNT_ID
        assert remembered("AKIANOSUCHKEY0000000") == DEFAULT_ACCOUNT_ID
        assert searched.count("AKIANOSUCHKEY0000000") == 2
        iam = boto3.client("iam", region_name="ap-northeast-1")
        iam.create_user(UserName="probe")
        user_key = iam.create_access_key(UserName="probe")["AccessKey"]["AccessKeyId"]
        assert remembered(user_key) == DEFAULT_ACCOUNT_ID
        iam.delete_access_key(UserName="probe", AccessKeyId=user_key)
        searched.clear()
        assert remembered(user_key) == real(user_key)
        assert [key for key in searched if key == user_key] == [user_key]
