import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from policies.framework import NotApplicable
from tests.policies.rules._fixtures_data import tenant_resource
from tests.rulekit import messages, outcome

RULE = "copy_destinations_in_japan"
EXPECTED = "expected a destination in ap-northeast-1 or ap-northeast-3. [RES-02]"
ECR = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
FILTER = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter"
LOG_DESTINATION = "aws:cloudwatch/logDestination:LogDestination"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
DATASYNC = "aws:datasync/task:Task"


def arn(service: str, region: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:111111111111:{resource}"


def ecr(*regions: str):
    destinations = [{"region": r, "registryId": "111111111111"} for r in regions]
    return tenant_resource(
        ECR, "images", {"replicationConfiguration": {"rules": [{"destinations": destinations}]}}
    )


COMPLIANT = [
    ecr("ap-northeast-3"),
    tenant_resource(FILTER, "ship", {"destinationArn": arn("kinesis", "ap-northeast-1", "stream/logs")}),
    tenant_resource(LOG_DESTINATION, "dest", {"targetArn": arn("kinesis", "ap-northeast-3", "stream/logs")}),
    tenant_resource(TARGET, "to-osaka", {"arn": arn("events", "ap-northeast-3", "event-bus/default")}),
    tenant_resource(SUBSCRIPTION, "q", {"protocol": "sqs", "endpoint": arn("sqs", "ap-northeast-1", "jobs")}),
    tenant_resource(SUBSCRIPTION, "mail", {"protocol": "email", "endpoint": "soc@acme.example.jp"}),
    tenant_resource(
        FIREHOSE, "fh", {"opensearchConfiguration": {"domainArn": arn("es", "ap-northeast-1", "domain/x")}}
    ),
    tenant_resource(
        DATASYNC, "sync", {"destinationLocationArn": arn("datasync", "ap-northeast-3", "location/loc-1")}
    ),
]


@pytest.mark.parametrize("resource", COMPLIANT, ids=lambda r: r.name)
def test_pass_destinations_in_japan(resource):
    assert outcome(RULE, resource) == "pass"


def test_fail_ecr_replication_abroad():
    assert messages(RULE, ecr("ap-northeast-3", "us-west-2")) == [
        f"{ECR} images: replication rule 0 copies images to us-west-2; {EXPECTED}"
    ]


@pytest.mark.parametrize(
    "resource_type, name, props, wrong",
    [
        (
            FILTER,
            "ship",
            {"destinationArn": arn("kinesis", "us-east-1", "stream/logs")},
            f"subscription to destinationArn {arn('kinesis', 'us-east-1', 'stream/logs')} is in us-east-1",
        ),
        (
            LOG_DESTINATION,
            "dest",
            {"targetArn": arn("kinesis", "eu-west-1", "stream/logs")},
            f"log destination target targetArn {arn('kinesis', 'eu-west-1', 'stream/logs')} is in eu-west-1",
        ),
        (
            TARGET,
            "to-virginia",
            {"arn": arn("events", "us-east-1", "event-bus/default")},
            f"event target arn {arn('events', 'us-east-1', 'event-bus/default')} is in us-east-1",
        ),
        (
            SUBSCRIPTION,
            "q",
            {"protocol": "sqs", "endpoint": arn("sqs", "ap-southeast-1", "jobs")},
            f"sqs subscription endpoint {arn('sqs', 'ap-southeast-1', 'jobs')} is in ap-southeast-1",
        ),
        (
            DATASYNC,
            "sync",
            {"destinationLocationArn": arn("datasync", "us-west-2", "location/loc-1")},
            (
                f"task destination destinationLocationArn {arn('datasync', 'us-west-2', 'location/loc-1')} is"
                " in us-west-2"
            ),
        ),
    ],
)
def test_fail_destination_abroad(resource_type, name, props, wrong):
    assert messages(RULE, tenant_resource(resource_type, name, props)) == [
        f"{resource_type} {name}: {wrong}; {EXPECTED}"
    ]


def test_fail_firehose_destinations_abroad_or_outside_aws():
    url = "jdbc:redshift://dw.abc123.us-east-1.redshift.amazonaws.com:5439/dev"
    props = {
        "elasticsearchConfiguration": {"domainArn": arn("es", "eu-central-1", "domain/x")},
        "redshiftConfiguration": {"clusterJdbcurl": url},
        "httpEndpointConfiguration": {"url": "https://intake.example.com"},
    }
    assert messages(RULE, tenant_resource(FIREHOSE, "fh", props)) == [
        (
            f"{FIREHOSE} fh: elasticsearchConfiguration.domainArn {arn('es', 'eu-central-1', 'domain/x')} is"
            f" in eu-central-1; {EXPECTED}"
        ),
        f"{FIREHOSE} fh: redshiftConfiguration.clusterJdbcurl {url} is in us-east-1; {EXPECTED}",
        (
            f"{FIREHOSE} fh: delivers to an HTTP endpoint outside AWS (httpEndpointConfiguration), whose"
            f" location no input shows to be in Japan; {EXPECTED}"
        ),
    ]


def test_pass_firehose_redshift_in_tokyo():
    url = "jdbc:redshift://dw.abc123.ap-northeast-1.redshift.amazonaws.com:5439/dev"
    assert (
        outcome(RULE, tenant_resource(FIREHOSE, "fh", {"redshiftConfiguration": {"clusterJdbcurl": url}}))
        == "pass"
    )


def test_na_other_types():
    with pytest.raises(NotApplicable):
        messages(RULE, tenant_resource("aws:sqs/queue:Queue", "q", {}))


def test_unknown_destination_in_preview():
    resource = tenant_resource(TARGET, "t", {"arn": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, resource) == "unknown"
