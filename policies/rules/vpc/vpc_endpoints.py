"""Tenant VPCs reach AWS services through VPC endpoints, not the internet (RES-03).

Every VPC of a tenant stack needs gateway endpoints for S3 and DynamoDB and
interface endpoints, with private DNS, for KMS, STS and CloudWatch Logs, each
named for the VPC's own region (``com.amazonaws.<region>.<service>``). An
absent ``vpcEndpointType`` is Gateway, the provider's default; an interface
endpoint without ``privateDnsEnabled`` leaves the public service name resolving
to the public endpoint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView, truthy
from policies.rules._common.stacks import is_org_stack
from policies.rules._common.values import text
from policies.rules._net.common import links_of
from policies.rules._net.routes import VPC

VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
REQUIRED = (
    ("s3", "Gateway"),
    ("dynamodb", "Gateway"),
    ("kms", "Interface"),
    ("sts", "Interface"),
    ("logs", "Interface"),
)
_PREFIX = "com.amazonaws."


def _service(name: str) -> tuple[str, str] | None:
    """``com.amazonaws.ap-northeast-1.s3`` -> (``ap-northeast-1``, ``s3``)."""
    if not name.startswith(_PREFIX):
        return None
    parts = name[len(_PREFIX) :].split(".", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _endpoint_type(endpoint: ResourceView) -> str:
    return (text(endpoint.props.get("vpcEndpointType")) or "Gateway").capitalize()


class VpcEndpoints(StackRule):
    id = "vpc_endpoints"
    description = (
        "Every tenant VPC has S3 and DynamoDB gateway endpoints and KMS, STS and Logs interface endpoints "
        "with private DNS, for its own region."
    )
    remediation = (
        "Add aws.ec2.VpcEndpoint resources to each VPC: com.amazonaws.<region>.s3 and .dynamodb as Gateway "
        "endpoints on the route tables, and .kms, .sts and .logs as Interface endpoints with "
        "private_dns_enabled=True in the private subnets."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        if is_org_stack(stack):
            raise NotApplicable("the org stack holds no tenant VPC")
        links = links_of(stack)
        vpcs = links.of(VPC)
        if not vpcs:
            raise NotApplicable("the stack declares no VPC")
        by_vpc: dict[str, list[ResourceView]] = defaultdict(list)
        for endpoint in links.of(VPC_ENDPOINT):
            vpc = links.one(endpoint, "vpcId", (VPC,))
            if vpc is not None:
                by_vpc[vpc.urn].append(endpoint)
        for vpc in vpcs:
            region = vpc.region or "?"
            endpoints = by_vpc.get(vpc.urn, [])
            for endpoint in endpoints:
                name = text(endpoint.props.get("serviceName")) or ""
                parsed = _service(name)
                if parsed is not None and parsed[0] != region:
                    yield Failure(
                        f"serviceName {name} names region {parsed[0]}, but its VPC {vpc.name} is in {region}",
                        f"serviceName com.amazonaws.{region}.{parsed[1]}",
                        endpoint.urn,
                    )
            for service, kind in REQUIRED:
                wanted = f"{_PREFIX}{region}.{service}"
                candidates = [e for e in endpoints if text(e.props.get("serviceName")) == wanted]
                if not candidates:
                    yield Failure(
                        f"has no {kind} endpoint for {wanted}",
                        f"an aws:ec2/vpcEndpoint:VpcEndpoint with serviceName {wanted} and vpcEndpointType"
                        f" {kind}" + (" and privateDnsEnabled true" if kind == "Interface" else ""),
                        vpc.urn,
                    )
                    continue
                if any(
                    _endpoint_type(e) == kind
                    and (kind == "Gateway" or truthy(e.props.get("privateDnsEnabled")))
                    for e in candidates
                ):
                    continue
                for endpoint in candidates:
                    actual = _endpoint_type(endpoint)
                    if actual != kind:
                        yield Failure(
                            f"vpcEndpointType is {actual} for {wanted}",
                            f"vpcEndpointType {kind}",
                            endpoint.urn,
                        )
                    else:
                        private_dns = endpoint.props.get("privateDnsEnabled")
                        yield Failure(
                            f"privateDnsEnabled is {'false' if private_dns is not None else 'not set'}",
                            "privateDnsEnabled true, so the service's public name resolves to the endpoint",
                            endpoint.urn,
                        )
