"""The run's shared clients sign each request as the account the calling thread acts in."""

from __future__ import annotations

import threading

import pytest
from moto import mock_aws

from tenantctl.lifecycle import org
from tenantctl.lifecycle.aws import AccountClients, Aws, NoAccountInScope
from tenantctl.lifecycle.iam import AUDIT_ROLE, role_arn


def test_threads_acting_as_different_accounts_through_one_client() -> None:
    with mock_aws():
        aws = Aws()
        view = org.bootstrap(aws)
        accounts = [
            org.create_account(aws, view, name, f"aws+{name}@tenant-zone.example.jp", "Tenants/Prod")
            for name in ("one-prod", "two-prod")
        ]
        clients = [
            AccountClients(aws, account, aws.assume(role_arn(account, AUDIT_ROLE), "tz-test"), shared=True)
            for account in accounts
        ]
        assert clients[0]("sts") is clients[1]("sts")
        seen: dict[str, list[str]] = {account: [] for account in accounts}
        start = threading.Barrier(len(clients))

        def identify(account_clients: AccountClients) -> None:
            start.wait()
            with account_clients.acting():
                for _ in range(20):
                    seen[account_clients.account_id].append(
                        account_clients("sts").get_caller_identity()["Account"]
                    )

        threads = [threading.Thread(target=identify, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert seen == {account: [account] * 20 for account in accounts}


def test_a_shared_client_refuses_a_call_outside_acting() -> None:
    with mock_aws():
        aws = Aws()
        with pytest.raises(NoAccountInScope):
            aws.shared_client("sts", "ap-northeast-1").get_caller_identity()


def test_sessions_share_one_parsed_copy_of_botocore_data() -> None:
    first, second = Aws(endpoint_url="http://127.0.0.1:9"), Aws(endpoint_url="http://127.0.0.1:9")
    loader = first._botocore.get_component("data_loader")
    search_path = list(loader.search_paths)
    first.shared_client("kms", "ap-northeast-1")
    second.shared_client("kms", "ap-northeast-3")
    sessions = [first._botocore, second._botocore]
    sessions += [aws._shared_session._session for aws in (first, second) if aws._shared_session is not None]
    assert len(sessions) == 4
    assert all(session.get_component("data_loader") is loader for session in sessions)
    assert loader.search_paths == search_path
