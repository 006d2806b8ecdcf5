"""Classic load balancers' listeners and the SSL negotiation policies that govern them (ENC-03).

A classic ELB declares its listeners inline (``listeners[].lbProtocol`` HTTP,
HTTPS, TCP or SSL). It cannot redirect HTTP to HTTPS, so a plain listener on an
internet-facing one carries unencrypted traffic. An HTTPS/SSL listener uses
``ELBSecurityPolicy-2016-08`` (TLS 1.0 and up) unless an SSL negotiation policy
is set for its port: an ``aws:elb/listenerPolicy`` naming an
``aws:elb/loadBalancerPolicy`` of type ``SSLNegotiationPolicyType``, or an
``aws:elb/sslNegotiationPolicy``. A policy is TLS 1.2+ when its
``Reference-Security-Policy`` is, or when it enables ``Protocol-TLSv1.2`` and
none of SSLv3, TLSv1, TLSv1.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from policies.framework import ResourceView, as_list, truthy
from policies.rules._common.values import number, shown_number, text
from policies.rules._net.common import Links
from policies.rules._net.entry import CLASSIC_LB, internet_facing

LISTENER_POLICY = "aws:elb/listenerPolicy:ListenerPolicy"
LOAD_BALANCER_POLICY = "aws:elb/loadBalancerPolicy:LoadBalancerPolicy"
SSL_NEGOTIATION_POLICY = "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy"
SSL_NEGOTIATION_TYPE = "SSLNegotiationPolicyType"
WEAK_PROTOCOLS = ("Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1")
PLAIN = ("HTTP", "TCP")
ENCRYPTED = ("HTTPS", "SSL")
DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
EXPECTED_PLAIN = (
    "lbProtocol HTTPS or SSL with a TLS 1.2+ security policy (a classic load balancer cannot redirect HTTP to"
    " HTTPS)"
)
EXPECTED_POLICY = (
    "an aws:elb/listenerPolicy for the port naming an SSLNegotiationPolicyType policy whose"
    " Reference-Security-Policy is ELBSecurityPolicy-TLS-1-2-2017-01 or newer (or an"
    " aws:elb/sslNegotiationPolicy enabling only Protocol-TLSv1.2)"
)


def _attributes(value: Any) -> dict[str, Any]:
    return {
        str(a["name"]): a.get("value") for a in as_list(value) if isinstance(a, Mapping) and a.get("name")
    }


def policy_problem(attributes: Mapping[str, Any], is_tls12_policy: Callable[[str], bool]) -> str | None:
    """Why a negotiation policy allows protocols older than TLS 1.2, or None."""
    reference = text(attributes.get("Reference-Security-Policy"))
    if reference is not None:
        return None if is_tls12_policy(reference) else f"Reference-Security-Policy {reference}"
    weak = [p for p in WEAK_PROTOCOLS if truthy(attributes.get(p))]
    if weak:
        return f"{', '.join(weak)} enabled"
    return None if truthy(attributes.get("Protocol-TLSv1.2")) else "Protocol-TLSv1.2 not enabled"


def _port_policies(links: Links) -> dict[tuple[str, float], list[dict[str, Any]]]:
    """(load balancer URN, port) -> the attributes of every negotiation policy set for that port."""
    found: dict[tuple[str, float], list[dict[str, Any]]] = {}
    named: dict[tuple[str, str], dict[str, Any]] = {}
    by_urn: dict[str, dict[str, Any]] = {}
    for policy in links.of(LOAD_BALANCER_POLICY):
        if str(policy.props.get("policyTypeName") or "") != SSL_NEGOTIATION_TYPE:
            continue
        attributes = _attributes(policy.props.get("policyAttributes"))
        by_urn[policy.urn] = attributes
        lb = links.one(policy, "loadBalancerName", (CLASSIC_LB,))
        name = text(policy.props.get("policyName"))
        if lb is not None and name is not None:
            named[(lb.urn, name)] = attributes
    for listener_policy in links.of(LISTENER_POLICY):
        lb = links.one(listener_policy, "loadBalancerName", (CLASSIC_LB,))
        port = number(listener_policy.props.get("loadBalancerPort"))
        if lb is None or port is None:
            continue
        linked = [
            by_urn[p.urn]
            for p in links.deps(listener_policy, "policyNames", (LOAD_BALANCER_POLICY,))
            if p.urn in by_urn
        ]
        if not linked:
            names = [n for n in as_list(listener_policy.props.get("policyNames")) if isinstance(n, str)]
            linked = [named[(lb.urn, n)] for n in names if (lb.urn, n) in named]
        found.setdefault((lb.urn, port), []).extend(linked)
    for policy in links.of(SSL_NEGOTIATION_POLICY):
        lb = links.one(policy, "loadBalancer", (CLASSIC_LB,))
        port = number(policy.props.get("lbPort"))
        if lb is not None and port is not None:
            found.setdefault((lb.urn, port), []).append(_attributes(policy.props.get("attributes")))
    return found


def listener_problems(
    links: Links, is_tls12_policy: Callable[[str], bool]
) -> Iterator[tuple[ResourceView, str, str]]:
    """(load balancer, wrong, expected) for each classic listener that is not TLS 1.2+."""
    balancers = links.of(CLASSIC_LB)
    policies = _port_policies(links) if balancers else {}
    for lb in balancers:
        for index, listener in enumerate(as_list(lb.props.get("listeners"))):
            if not isinstance(listener, Mapping):
                continue
            protocol = (text(listener.get("lbProtocol")) or "").upper()
            port = number(listener.get("lbPort"))
            where = f"listeners[{index}] lbProtocol {protocol} on port {shown_number(port)}"
            if protocol in PLAIN and internet_facing(lb):
                yield lb, f"{where} carries unencrypted traffic from the internet", EXPECTED_PLAIN
            elif protocol in ENCRYPTED:
                set_for_port = policies.get((lb.urn, port), []) if port is not None else []
                if not set_for_port:
                    yield (
                        lb,
                        (
                            f"{where} has no SSL negotiation policy (ELB applies {DEFAULT_POLICY}, which"
                            " allows TLS 1.0)"
                        ),
                        EXPECTED_POLICY,
                    )
                for attributes in set_for_port:
                    problem = policy_problem(attributes, is_tls12_policy)
                    if problem is not None:
                        yield (
                            lb,
                            (
                                f"{where} has an SSL negotiation policy that allows protocols older than TLS"
                                f" 1.2 ({problem})"
                            ),
                            EXPECTED_POLICY,
                        )


def has_listeners(links: Links) -> bool:
    return any(as_list(lb.props.get("listeners")) for lb in links.of(CLASSIC_LB))
