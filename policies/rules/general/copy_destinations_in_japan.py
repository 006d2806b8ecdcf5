"""Data leaves a resource only for a destination in Japan, whatever the path (RES-02).

Buckets, DynamoDB replicas and Secrets Manager replicas are judged by ``bucket_replication_to_osaka``;
this rule follows the other ways data is copied or shipped elsewhere, by the region of the destination
each one names:

- ECR registry replication: every ``destinations[].region``
  (https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html);
- CloudWatch Logs subscription filters and destinations: ``destinationArn`` / ``targetArn``
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions.html);
- EventBridge targets, including another region's event bus: ``arn``
  (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html);
- SNS subscriptions to a queue, function or stream: the ``endpoint`` ARN;
- Kinesis Data Firehose: OpenSearch / Elasticsearch domain and Redshift cluster destinations by region,
  and HTTP endpoint or Splunk destinations, which leave AWS for a place no input can show to be in Japan;
- DataSync tasks: ``destinationLocationArn``.

A destination written as an ARN whose region cannot be read (an output unknown in preview) leaves the
rule undecided, never passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from policies.framework import Failure, ResourceRule, ResourceView, as_list, dig
from policies.parameters import JAPAN_REGIONS
from policies.rules._common.arns import arn_region

ECR_REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
SUBSCRIPTION_FILTER = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter"
LOG_DESTINATION = "aws:cloudwatch/logDestination:LogDestination"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
DATASYNC_TASK = "aws:datasync/task:Task"

JAPAN = " or ".join(JAPAN_REGIONS)
EXPECTED = f"a destination in {JAPAN}"
# Redshift JDBC URLs name the region: jdbc:redshift://<cluster>.<id>.<region>.redshift.amazonaws.com:5439/db
_REDSHIFT_REGION = re.compile(r"\.([a-z]{2}(?:-[a-z]+)+-\d)\.redshift(?:-serverless)?\.amazonaws\.com")
# SNS protocols whose endpoint is an AWS resource ARN.
_ARN_PROTOCOLS = ("sqs", "lambda", "firehose", "application")


def _outside(where: str, region: str | None) -> Failure | None:
    if region is None or region in JAPAN_REGIONS:
        return None
    return Failure(f"{where} is in {region}", EXPECTED)


def _arn(resource: ResourceView, prop: str, what: str) -> Iterator[Failure]:
    value: Any = resource.props.get(prop)
    failure = _outside(f"{what} {prop} {value}", arn_region(value))
    if failure is not None:
        yield failure


class CopyDestinationsInJapan(ResourceRule):
    id = "copy_destinations_in_japan"
    description = (
        "ECR replication, log subscriptions and destinations, EventBridge targets, SNS subscriptions,"
        " Firehose streams and DataSync tasks send data only to destinations in ap-northeast-1 or"
        " ap-northeast-3."
    )
    remediation = (
        "Point every replication, subscription, target and delivery destination at a resource in"
        " ap-northeast-1 or ap-northeast-3 (for ECR, destinations with region ap-northeast-3); deliver to a"
        " third-party HTTP endpoint only through a resource in Japan that the tenant controls."
    )
    resource_types = frozenset(
        {
            ECR_REPLICATION,
            SUBSCRIPTION_FILTER,
            LOG_DESTINATION,
            EVENT_TARGET,
            TOPIC_SUBSCRIPTION,
            FIREHOSE,
            DATASYNC_TASK,
        }
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        kind = resource.type
        if kind == ECR_REPLICATION:
            rules = as_list(dig(resource.props, "replicationConfiguration", "rules"))
            for index, rule in enumerate(rules):
                for destination in as_list(dig(rule, "destinations")):
                    region = dig(destination, "region")
                    if isinstance(region, str) and region not in JAPAN_REGIONS:
                        yield Failure(f"replication rule {index} copies images to {region}", EXPECTED)
        elif kind == SUBSCRIPTION_FILTER:
            yield from _arn(resource, "destinationArn", "subscription to")
        elif kind == LOG_DESTINATION:
            yield from _arn(resource, "targetArn", "log destination target")
        elif kind == EVENT_TARGET:
            yield from _arn(resource, "arn", "event target")
        elif kind == TOPIC_SUBSCRIPTION:
            if resource.props.get("protocol") in _ARN_PROTOCOLS:
                yield from _arn(resource, "endpoint", f"{resource.props.get('protocol')} subscription")
        elif kind == DATASYNC_TASK:
            yield from _arn(resource, "destinationLocationArn", "task destination")
        else:
            yield from self._firehose(resource)

    @staticmethod
    def _firehose(resource: ResourceView) -> Iterator[Failure]:
        for block in ("opensearchConfiguration", "elasticsearchConfiguration"):
            domain = dig(resource.props, block, "domainArn")
            failure = _outside(f"{block}.domainArn {domain}", arn_region(domain))
            if failure is not None:
                yield failure
        url = dig(resource.props, "redshiftConfiguration", "clusterJdbcurl")
        if isinstance(url, str):
            found = _REDSHIFT_REGION.search(url)
            failure = _outside(
                f"redshiftConfiguration.clusterJdbcurl {url}", found.group(1) if found else None
            )
            if failure is not None:
                yield failure
        for block, what in (
            ("httpEndpointConfiguration", "an HTTP endpoint"),
            ("splunkConfiguration", "Splunk"),
        ):
            if dig(resource.props, block) is not None:
                yield Failure(
                    f"delivers to {what} outside AWS ({block}), whose location no input shows to be in Japan",
                    EXPECTED,
                )
