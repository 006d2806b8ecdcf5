"""A Shield Advanced protection names a resource ARN that Shield accepts (DEP-03).

``CreateProtection`` takes an Application or Classic Load Balancer, a CloudFront distribution, a Route 53
hosted zone, a Global Accelerator standard accelerator or an Elastic IP allocation, each in one ARN format;
anything else fails with ``InvalidResourceException``. The usual mistake is an Elastic IP's own ARN
(``arn:aws:ec2:<region>:<account>:elastic-ip/eipalloc-...``, what ``aws.ec2.Eip.arn`` returns) where Shield
wants ``arn:aws:ec2:<region>:<account>:eip-allocation/eipalloc-...``; a network load balancer is protected
only through its Elastic IPs."""

from __future__ import annotations

from collections.abc import Iterator

from policies.aws_facts import SHIELD_PROTECTABLE_ARNS
from policies.framework import Failure, ResourceRule, ResourceView
from policies.rules._common.unknowns import require_known

PROTECTION = "aws:shield/protection:Protection"
EXPECTED = (
    "the ARN of an ALB, Classic Load Balancer, CloudFront distribution, Route 53 hosted zone, Global"
    " Accelerator standard accelerator, or an Elastic IP as"
    " arn:aws:ec2:<region>:<account>:eip-allocation/<allocation-id>"
)


def protectable_kind(arn: str) -> str | None:
    """The kind of resource Shield would protect under ``arn``, or None when Shield refuses it."""
    return next((kind for kind, pattern in SHIELD_PROTECTABLE_ARNS if pattern.match(arn)), None)


class ShieldProtectableArn(ResourceRule):
    id = "shield_protectable_arn"
    description = (
        "Every Shield Advanced protection names a resource ARN in a format CreateProtection accepts."
    )
    remediation = (
        "For an Elastic IP pass pulumi.Output.concat('arn:aws:ec2:', region, ':', account_id,"
        " ':eip-allocation/', eip.allocation_id) instead of eip.arn; protect a network load balancer through"
        " its Elastic IPs."
    )
    resource_types = frozenset({PROTECTION})

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        arn = require_known(resource.props.get("resourceArn"), "resourceArn")
        if not isinstance(arn, str) or protectable_kind(arn) is None:
            hint = ""
            if isinstance(arn, str) and ":elastic-ip/" in arn:
                hint = " (an Elastic IP's EC2 ARN; Shield names it by its eip-allocation)"
            elif isinstance(arn, str) and ":loadbalancer/net/" in arn:
                hint = " (a network load balancer, which Shield protects only through its Elastic IPs)"
            yield Failure(
                f"resourceArn {arn!r} is not a resource Shield Advanced can protect{hint}, so"
                " CreateProtection fails with InvalidResourceException",
                EXPECTED,
            )
