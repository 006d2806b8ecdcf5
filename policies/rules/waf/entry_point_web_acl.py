"""Every internet-facing entry point is protected by a WAFv2 web ACL (EDGE-01).

Entry points: internet-facing application load balancers, API Gateway REST
stages (except PRIVATE APIs), AppSync GraphQL APIs (except PRIVATE ones) and
Cognito user pools each need a ``WebAclAssociation`` whose ``resourceArn``
names them; CloudFront distributions need ``webAclId``. API Gateway v2 (HTTP
and WebSocket) APIs cannot be associated with a web ACL at all, so they fail:
expose such an API as a REST API stage instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, StackRule, StackView
from policies.rules._common.unknowns import read
from policies.rules._common.values import text
from policies.rules._net.common import links_of
from policies.rules._net.entry import (
    DISTRIBUTION,
    HTTP_API,
    USER_POOL,
    public_albs,
    public_appsync_apis,
    public_rest_stages,
    refers_to,
)
from policies.rules._net.waf import ASSOCIATION

EXPECTED_ASSOCIATION = (
    "an aws:wafv2/webAclAssociation:WebAclAssociation whose resourceArn is this resource's ARN and whose "
    "webAclArn names a REGIONAL web ACL"
)


class EntryPointWebAcl(StackRule):
    id = "entry_point_web_acl"
    description = (
        "Internet-facing ALBs, API Gateway REST stages, AppSync APIs and Cognito user pools have a WAFv2 web"
        " ACL association; CloudFront distributions have webAclId."
    )
    remediation = (
        "Associate the tenant's REGIONAL web ACL with each ALB, REST API stage, AppSync API and user pool "
        "(aws.wafv2.WebAclAssociation), and set web_acl_id to the CLOUDFRONT-scope web ACL's ARN on every "
        "distribution."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        regional = [
            *public_albs(links),
            *public_rest_stages(links),
            *public_appsync_apis(links),
            *links.of(USER_POOL),
        ]
        distributions = links.of(DISTRIBUTION)
        http_apis = [
            a
            for a in links.of(HTTP_API)
            if (text(a.props.get("protocolType")) or "HTTP").upper() in ("HTTP", "WEBSOCKET")
        ]
        if not regional and not distributions and not http_apis:
            raise NotApplicable("the stack declares no internet-facing entry point")
        associated: set[str] = set()
        for association in links.of(ASSOCIATION):
            associated.update(t.urn for t in refers_to(links, association, "resourceArn", regional))
        for entry in regional:
            if entry.urn not in associated:
                yield Failure("has no web ACL association", EXPECTED_ASSOCIATION, entry.urn)
        for distribution in distributions:
            # An unknown (preview) webAclId is an output of a web ACL: set.
            if text(read(distribution.props, "webAclId")) is None:
                yield Failure(
                    "has no webAclId", "webAclId naming a CLOUDFRONT-scope WAFv2 web ACL", distribution.urn
                )
        for api in http_apis:
            kind = (text(api.props.get("protocolType")) or "HTTP").upper()
            yield Failure(
                f"is an API Gateway v2 {kind} API, which cannot be associated with a WAFv2 web ACL",
                "an API Gateway REST API stage with a web ACL association",
                api.urn,
            )
