"""EDGE-01 live: every internet-facing load balancer is associated with a WAFv2 web ACL."""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import LOAD_BALANCER, internet_facing
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget


class LiveWebAclAssociations(AuditCheck):
    id = "live_web_acl_associations"
    description = "Every internet-facing load balancer has a WAFv2 web ACL"
    remediation = (
        "Associate the tenant's web ACL with the load balancer (wafv2:AssociateWebACL); or redeploy."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            wafv2 = target.client("wafv2", region)
            for lb in internet_facing(target, region):
                if wafv2.get_web_acl_for_resource(ResourceArn=lb["LoadBalancerArn"]).get("WebACL") is None:
                    yield AuditFailure(
                        LOAD_BALANCER,
                        lb["LoadBalancerName"],
                        "is internet-facing with no web ACL associated",
                        "the tenant's WAFv2 web ACL associated",
                        region,
                        lb["LoadBalancerArn"],
                    )
