"""The live flow-log check judges coverage, not where the records go: a VPC whose only flow log delivers to
the log archive's bucket (S3) is covered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import boto3
from moto import mock_aws

from policies.audit.live_flow_logs import LiveFlowLogs

_T = TypeVar("_T")
TOKYO = "ap-northeast-1"


@dataclass
class _Target:
    account_id: str = "123456789012"
    stack: str = "acme-prod"
    regions: tuple[str, ...] = (TOKYO,)
    spec: Any = None
    expected: Any = None
    _memo: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str, region: str) -> Any:
        return boto3.client(service, region_name=region)

    def memo(self, key: str, build: Callable[[], _T]) -> _T:
        if key not in self._memo:
            self._memo[key] = build()
        value: _T = self._memo[key]
        return value


def _messages(traffic: str) -> list[str]:
    with mock_aws():
        ec2 = boto3.client("ec2", region_name=TOKYO)
        [vpc] = ec2.describe_vpcs()["Vpcs"]  # the region's default VPC, the only one
        vpc_id = vpc["VpcId"]
        s3 = boto3.client("s3", region_name=TOKYO)
        s3.create_bucket(
            Bucket="log-delivery-flow-logs-1a2b3c4", CreateBucketConfiguration={"LocationConstraint": TOKYO}
        )
        ec2.create_flow_logs(
            ResourceIds=[vpc_id],
            ResourceType="VPC",
            TrafficType=traffic,
            LogDestinationType="s3",
            LogDestination="arn:aws:s3:::log-delivery-flow-logs-1a2b3c4",
        )
        return [f.wrong for f in LiveFlowLogs().run(_Target())]


def test_an_s3_flow_log_of_all_traffic_covers_the_vpc() -> None:
    assert _messages("ALL") == []


def test_an_s3_flow_log_of_rejected_traffic_only_is_still_caught() -> None:
    assert _messages("REJECT") == ["logs only REJECT traffic"]
