"""RES-03 live: every VPC has the S3 and DynamoDB gateway endpoints and the KMS, STS and Logs interface
endpoints, so traffic to AWS services stays off the internet.

Service names: https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import EC2_VPC, vpcs
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

GATEWAY = ("s3", "dynamodb")
INTERFACE = ("kms", "sts", "logs")


class LiveVpcEndpoints(AuditCheck):
    id = "live_vpc_endpoints"
    description = "Every VPC has the S3/DynamoDB gateway and KMS/STS/Logs interface endpoints"
    remediation = "Create the missing VPC endpoints in the VPC; or redeploy the tenant stack."

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            found = vpcs(target, region)
            if not found:
                continue
            endpoints = target.client("ec2", region).describe_vpc_endpoints().get("VpcEndpoints", [])
            for vpc in found:
                have = {
                    (e.get("VpcEndpointType"), e.get("ServiceName"))
                    for e in endpoints
                    if e.get("VpcId") == vpc["VpcId"] and e.get("State", "available").lower() == "available"
                }
                missing = [s for s in GATEWAY if ("Gateway", f"com.amazonaws.{region}.{s}") not in have]
                missing += [s for s in INTERFACE if ("Interface", f"com.amazonaws.{region}.{s}") not in have]
                if missing:
                    yield AuditFailure(
                        EC2_VPC,
                        vpc["VpcId"],
                        f"has no endpoint for {', '.join(missing)}",
                        "gateway endpoints for s3, dynamodb and interface endpoints for kms, sts, logs",
                        region,
                    )
