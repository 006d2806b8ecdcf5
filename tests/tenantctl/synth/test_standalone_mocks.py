"""SynthMocks as plain ``pulumi.runtime.Mocks`` (for unit tests using ``set_mocks``), run in an isolated
context."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from typing import Any

import pulumi

from tenantctl.synth.mocks import SynthMocks


def in_fresh_context(body: Any) -> Any:
    result: list[Any] = []

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            result.append(body(loop))
        finally:
            loop.close()

    thread = threading.Thread(target=lambda: contextvars.Context().run(run))
    thread.start()
    thread.join()
    return result[0]


def test_regions_and_accounts_follow_providers_and_config() -> None:
    def body(loop: asyncio.AbstractEventLoop) -> tuple[Any, ...]:
        import pulumi_aws as aws

        pulumi.runtime.set_all_config({"aws:region": "ap-northeast-3"}, [])
        pulumi.runtime.set_mocks(SynthMocks(project="p", stack="s"), project="p", stack="s")
        tokyo = aws.Provider(
            "tokyo",
            region="ap-northeast-1",
            assume_roles=[aws.ProviderAssumeRoleArgs(role_arn="arn:aws:iam::222233334444:role/Admin")],
        )
        queue = aws.sqs.Queue("q", opts=pulumi.ResourceOptions(provider=tokyo))
        topic = aws.sns.Topic("t")
        identity = aws.get_caller_identity(opts=pulumi.InvokeOptions(provider=tokyo))
        return loop.run_until_complete(asyncio.gather(queue.arn.future(), topic.arn.future())) + [
            identity.account_id
        ]

    queue_arn, topic_arn, account = in_fresh_context(body)
    assert queue_arn.startswith("arn:aws:sqs:ap-northeast-1:222233334444:q-")
    assert topic_arn.startswith("arn:aws:sns:ap-northeast-3:111111111111:t-")  # default provider: aws:region
    assert account == "222233334444"
