"""Internet-facing entry points (EDGE-01, EDGE-03) and load balancer facts (ENC-03, NET-02)."""

from __future__ import annotations

from collections.abc import Iterable

from policies.framework import ResourceView, as_list, dig, truthy
from policies.rules._common.values import text
from policies.rules._net.common import Links

LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
CLASSIC_LB = "aws:elb/loadBalancer:LoadBalancer"
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
LISTENER_RULES = ("aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule")
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
REST_STAGE = "aws:apigateway/stage:Stage"
REST_API = "aws:apigateway/restApi:RestApi"
HTTP_API = "aws:apigatewayv2/api:Api"
APPSYNC_API = "aws:appsync/graphQLApi:GraphQLApi"
USER_POOL = "aws:cognito/userPool:UserPool"
EIP = "aws:ec2/eip:Eip"
SHIELD_PROTECTION = "aws:shield/protection:Protection"


def lb_kind(lb: ResourceView) -> str:
    """``application`` (the provider's default), ``network`` or ``gateway``."""
    return (text(lb.props.get("loadBalancerType")) or "application").lower()


def internet_facing(lb: ResourceView) -> bool:
    """``internal`` absent means internet-facing, for ALB/NLB and classic load balancers alike."""
    return not truthy(lb.props.get("internal"))


def public_albs(links: Links) -> list[ResourceView]:
    return [lb for lb in links.of(*LOAD_BALANCERS) if lb_kind(lb) == "application" and internet_facing(lb)]


def public_nlbs(links: Links) -> list[ResourceView]:
    return [lb for lb in links.of(*LOAD_BALANCERS) if lb_kind(lb) == "network" and internet_facing(lb)]


def public_classic_lbs(links: Links) -> list[ResourceView]:
    return [lb for lb in links.of(CLASSIC_LB) if internet_facing(lb)]


def is_private_rest_api(api: ResourceView | None) -> bool:
    if api is None:
        return False
    types = [str(t).upper() for t in as_list(dig(api.props, "endpointConfiguration", "types"))]
    return types == ["PRIVATE"]


def public_rest_stages(links: Links) -> list[ResourceView]:
    """REST API stages, except those of a PRIVATE API (reachable only through a VPC endpoint)."""
    return [s for s in links.of(REST_STAGE) if not is_private_rest_api(links.one(s, "restApi", (REST_API,)))]


def public_appsync_apis(links: Links) -> list[ResourceView]:
    return [
        a for a in links.of(APPSYNC_API) if (text(a.props.get("visibility")) or "GLOBAL").upper() != "PRIVATE"
    ]


def refers_to(
    links: Links, resource: ResourceView, prop: str, targets: Iterable[ResourceView]
) -> list[ResourceView]:
    """Which of ``targets`` ``resource.<prop>`` names: property dependency or literal ID / ARN."""
    wanted = {t.urn: t for t in targets}
    found = [wanted[u] for u in resource.property_dependencies.get(prop, ()) if u in wanted]
    if found:
        return found
    types = {t.type for t in wanted.values()}
    return [t for t in links.by_value(resource.props.get(prop), types) if t.urn in wanted]
