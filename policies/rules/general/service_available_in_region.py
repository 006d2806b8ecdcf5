"""A resource's service is offered in the region it is deployed to (DEP-03).

Osaka (ap-northeast-3) offers fewer services than Tokyo: App Runner, Kendra and others have no endpoint
there, and the provider's first call fails (a connection error to ``<service>.ap-northeast-3.amazonaws.com``,
which does not resolve) after the rest of the program has been deployed. The regions of each service are
read at run time from botocore's endpoint data (``botocore/data/endpoints.json``, the table the AWS SDKs
resolve endpoints from, shipped with boto3 in the project's environment), which follows the AWS Regional
Services List (https://aws.amazon.com/about-aws/global-infrastructure/regional-product-services/).

botocore no longer lists every service there (newer ones resolve through endpoint rules that cover every
region): a service it does not list is not judged, never failed. Global services (IAM, Organizations,
Shield, CloudFront, Route 53) are available from every region.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView

# Pulumi module -> the service's endpoint prefix in botocore's data, where the two differ.
ENDPOINT_PREFIX: dict[str, str] = {
    "alb": "elasticloadbalancing",
    "lb": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "cfg": "config",
    "ebs": "ec2",
    "vpc": "ec2",
    "ec2transitgateway": "ec2",
    "ec2clientvpn": "ec2",
    "efs": "elasticfilesystem",
    "opensearch": "es",
    "elasticsearch": "es",
    "apigatewayv2": "apigateway",
    "appautoscaling": "application-autoscaling",
    "msk": "kafka",
    "memorydb": "memory-db",
    "ses": "email",
    "sesv2": "email",
    "sfn": "states",
    "emr": "elasticmapreduce",
    "emrserverless": "emr-serverless",
    "s3control": "s3-control",
    "accessanalyzer": "access-analyzer",
    "networkfirewall": "network-firewall",
    "resourcegroups": "resource-groups",
    "ssmcontacts": "ssm-contacts",
    "ssmincidents": "ssm-incidents",
    "opensearchserverless": "aoss",
    "ssoadmin": "sso",
    "route53domains": "route53domains",
}
# Modules whose resources belong to several services: type -> endpoint prefix.
CLOUDWATCH_EVENTS = ("Event",)
CLOUDWATCH_LOGS = ("Log", "QueryDefinition")


def _endpoint_prefix(resource: ResourceView) -> str | None:
    module = resource.module
    kind = resource.type.rsplit(":", 1)[-1]
    if module == "cloudwatch":
        if kind.startswith(CLOUDWATCH_EVENTS):
            return "events"
        if kind.startswith(CLOUDWATCH_LOGS):
            return "logs"
        return "monitoring"
    if module == "cognito":
        return "cognito-identity" if kind.startswith("IdentityPool") else "cognito-idp"
    if module == "kinesis":
        if kind.startswith("Firehose"):
            return "firehose"
        if kind.startswith("Analytics"):
            return "kinesisanalytics"
        return "kinesis"
    return ENDPOINT_PREFIX.get(module, module)


@cache
def _aws_services() -> tuple[str, Mapping[str, Any]]:
    """botocore's version and its ``aws`` partition's services, loaded once per process."""
    import botocore
    from botocore.loaders import create_loader

    data = create_loader().load_data("endpoints")
    partition = next(p for p in data["partitions"] if p["partition"] == "aws")
    return botocore.__version__, partition["services"]


def offered(service: str, region: str) -> bool | None:
    """Whether ``service`` has an endpoint in ``region``; None when botocore does not list the service."""
    _, services = _aws_services()
    entry = services.get(service)
    if entry is None:
        return None
    if entry.get("isRegionalized") is False or "partitionEndpoint" in entry:
        return True
    return region in entry.get("endpoints", {})


class ServiceAvailableInRegion(ResourceRule):
    id = "service_available_in_region"
    description = (
        "Every AWS resource is deployed to a region where its service is offered (Osaka offers fewer)."
    )
    remediation = (
        "Deploy the resource through the Tokyo provider (ap-northeast-1), or use a service offered in Osaka "
        "for "
        "the secondary region."
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        if resource.package != "aws" or not resource.module:
            raise NotApplicable("not an AWS resource")
        region = resource.region
        if not region:
            raise NotApplicable("the resource's region is not set")
        service = _endpoint_prefix(resource)
        available = offered(service, region) if service else None
        if available is None:
            raise NotApplicable(f"botocore's endpoint data does not list the regions of {service}")
        if not available:
            version, _ = _aws_services()
            yield Failure(
                f"is a resource of {service}, which has no endpoint in {region} (botocore {version} endpoint "
                "data), so the provider cannot create it there",
                f"a region where {service} is offered",
            )
