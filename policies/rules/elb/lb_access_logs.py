"""Internet-facing application load balancers write access logs (LOG-06).

An ALB writes access logs only with ``accessLogs`` set, ``enabled`` true (the provider's default is false,
even with a bucket) and a bucket named. Where that bucket keeps them is judged where the bucket is declared:
the log archive's access-log buckets in the org stack, whose lifecycle ``log_group_retention`` (LOG-02) holds
to the year. Network load balancers log only their TLS listeners and gateway load balancers none, so they and
internal load balancers, which are no entry point, are outside this rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView, truthy
from policies.rules._common.unknowns import read
from policies.rules._common.values import shown, single, text
from policies.rules._net.entry import LOAD_BALANCERS, internet_facing, lb_kind

EXPECTED = "accessLogs with enabled true and the bucket of the log archive's access logs"


class LbAccessLogs(ResourceRule):
    id = "lb_access_logs"
    description = "Internet-facing application load balancers write access logs to a bucket."
    remediation = (
        "Set accessLogs on the load balancer: bucket the log archive's access-log bucket of its Region (the"
        " org stack's logArchiveAlbLogBuckets), prefix the stack's name, enabled true."
    )
    resource_types = frozenset(LOAD_BALANCERS)

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        kind = lb_kind(resource)
        if kind != "application":
            raise NotApplicable(f"a {kind} load balancer; LOG-06 asks access logs of application ones")
        if not internet_facing(resource):
            raise NotApplicable("an internal load balancer is no entry point")
        logs = single(resource.props.get("accessLogs"))
        if logs is None:
            yield Failure("accessLogs is not set (the load balancer writes no access log)", EXPECTED)
            return
        enabled = logs.get("enabled")
        if not truthy(enabled):
            yield Failure(f"accessLogs.enabled is {shown(enabled)} (the load balancer writes none)", EXPECTED)
        # A bucket whose name a preview does not know yet is still a bucket.
        if text(read(logs, "bucket")) is None:
            yield Failure("accessLogs.bucket is not set", EXPECTED)
