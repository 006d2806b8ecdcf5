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
