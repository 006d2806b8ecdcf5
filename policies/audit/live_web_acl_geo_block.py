"""EDGE-02 live: the web ACL of every internet-facing load balancer blocks requests from outside Japan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.audit._aws import WEB_ACL, internet_facing
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

EXPECTED = "a Block rule whose statement matches every country but JP (NotStatement of a GeoMatch on [JP])"


def blocks_outside_japan(statement: dict[str, Any]) -> bool:
    """True when the statement matches a request from outside Japan (possibly ANDed with an allow-list
    exception)."""
    inner = (statement.get("NotStatement") or {}).get("Statement") or {}
    if (inner.get("GeoMatchStatement") or {}).get("CountryCodes") == ["JP"]:
        return True
    parts = (statement.get("AndStatement") or {}).get("Statements") or []
    return any(blocks_outside_japan(part) for part in parts)


class LiveWebAclGeoBlock(AuditCheck):
    id = "live_web_acl_geo_block"
    description = "The web ACL in front of each entry point blocks countries other than Japan"
    remediation = (
        "Restore the Japan-only geo rule (Block, NOT GeoMatch [JP]) in the tenant's web ACL; or redeploy."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        for region in target.regions:
            wafv2 = target.client("wafv2", region)
            for lb in internet_facing(target, region):
                acl = wafv2.get_web_acl_for_resource(ResourceArn=lb["LoadBalancerArn"]).get("WebACL")
                if acl is None:
                    continue  # live_web_acl_associations reports the missing web ACL
                rules = acl.get("Rules") or []
                if any(
                    "Block" in (r.get("Action") or {}) and blocks_outside_japan(r.get("Statement") or {})
                    for r in rules
                ):
                    continue
                yield AuditFailure(
                    WEB_ACL,
                    acl["Name"],
                    "has no rule that blocks requests from outside Japan",
                    EXPECTED,
                    region,
                    acl["ARN"],
                )
