"""Load balancer listeners speak TLS 1.2+ or only redirect to HTTPS (ENC-03).

- HTTPS and TLS listeners name an ``sslPolicy`` whose minimum is TLS 1.2
  (absent, ELB applies ``ELBSecurityPolicy-2016-08``, which accepts TLS 1.0).
- HTTP listeners (an ALB listener without ``protocol`` is HTTP) answer only
  with a redirect to protocol HTTPS on port 443, in their default actions and
  in every listener rule attached to them.
- On an internet-facing network load balancer, TCP, UDP and TCP_UDP listeners
  carry traffic ELB cannot prove encrypted: only TLS (or QUIC, which is TLS 1.3
  by design) is allowed. A listener whose load balancer is not declared in the
  stack is judged as internet-facing.
- Classic load balancers (``aws:elb``) declare their listeners inline and
  cannot redirect: no HTTP or TCP listener when internet-facing, and HTTPS/SSL
  listeners only under a TLS 1.2+ SSL negotiation policy (see ``_net/classic_elb``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from policies.framework import Failure, NotApplicable, StackRule, StackView, as_list, dig
from policies.rules._common.values import text
from policies.rules._net import classic_elb
from policies.rules._net.common import links_of
from policies.rules._net.entry import LISTENER_RULES, LISTENERS, LOAD_BALANCERS, internet_facing, lb_kind

# ELB security policies whose minimum protocol is TLS 1.2 (or 1.3), current and future dated variants.
TLS12_POLICY = re.compile(
    r"^ELBSecurityPolicy-("
    r"TLS13-1-2-[A-Za-z0-9-]+|TLS13-1-3-[A-Za-z0-9-]+|FS-1-2-[A-Za-z0-9-]+|TLS-1-2-[A-Za-z0-9-]+"
    r")$"
)
DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
EXPECTED_POLICY = (
    "sslPolicy with TLS 1.2 or newer as minimum (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06, "
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-FS-1-2-Res-2020-10)"
)
EXPECTED_REDIRECT = "only a redirect action to protocol HTTPS, port 443"
PLAIN_NLB_PROTOCOLS = ("TCP", "UDP", "TCP_UDP", "TCP_QUIC")


def is_tls12_policy(policy: str) -> bool:
    return bool(TLS12_POLICY.match(policy))


def redirect_problem(action: Any, label: str) -> str | None:
    """Why an action of an HTTP listener is not a redirect to HTTPS:443, or None."""
    if not isinstance(action, Mapping):
        return f"{label} is not an action block"
    kind = (text(action.get("type")) or "").lower()
    if kind != "redirect":
        return f"{label} is {kind or 'an action without type'} on plain HTTP"
    protocol = text(dig(action, "redirect", "protocol")) or "#{protocol}"
    port = dig(action, "redirect", "port")
    port_text = str(int(port)) if isinstance(port, int | float) else (text(port) or "#{port}")
    if protocol.upper() != "HTTPS":
        return f"{label} redirects to protocol {protocol}"
    if port_text != "443":
        return f"{label} redirects to port {port_text}"
    return None


class LbListenerTls(StackRule):
    id = "lb_listener_tls"
    description = (
        "HTTPS/TLS listeners use a TLS 1.2+ security policy, HTTP listeners only redirect to HTTPS, "
        "internet-facing network load balancers carry no plain TCP/UDP listeners, and classic load balancers "
        "listen only over HTTPS/SSL with a TLS 1.2+ negotiation policy when internet-facing."
    )
    remediation = (
        'Set `ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06"` (or another TLS 1.2+ policy) on HTTPS/TLS'
        " listeners; give HTTP listeners a single redirect action to HTTPS port 443 (HTTP_301); use TLS"
        " listeners on internet-facing network load balancers; replace internet-facing classic load"
        " balancers' HTTP/TCP listeners with HTTPS/SSL ones under an SSLNegotiationPolicyType policy with"
        " Reference-Security-Policy ELBSecurityPolicy-TLS-1-2-2017-01 (or move to an application load"
        " balancer)."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        links = links_of(stack)
        listeners = links.of(*LISTENERS)
        if not listeners and not classic_elb.has_listeners(links):
            raise NotApplicable("the stack declares no load balancer listener")
        for lb, wrong, expected in classic_elb.listener_problems(links, is_tls12_policy):
            yield Failure(wrong, expected, lb.urn)
        http_listeners: set[str] = set()
        for listener in listeners:
            listener_lb = links.one(listener, "loadBalancerArn", LOAD_BALANCERS)
            kind = lb_kind(listener_lb) if listener_lb is not None else None
            if kind == "gateway":
                continue
            protocol = (text(listener.props.get("protocol")) or "HTTP").upper()
            if protocol in ("HTTPS", "TLS"):
                policy = text(listener.props.get("sslPolicy"))
                if policy is None:
                    yield Failure(
                        f"protocol {protocol} has no sslPolicy (ELB applies {DEFAULT_POLICY}, which allows"
                        " TLS 1.0)",
                        EXPECTED_POLICY,
                        listener.urn,
                    )
                elif not is_tls12_policy(policy):
                    yield Failure(
                        f"sslPolicy is {policy}, which allows protocols older than TLS 1.2",
                        EXPECTED_POLICY,
                        listener.urn,
                    )
            elif protocol == "HTTP":
                http_listeners.add(listener.urn)
                actions = as_list(listener.props.get("defaultActions"))
                if not actions:
                    yield Failure("protocol HTTP has no defaultActions", EXPECTED_REDIRECT, listener.urn)
                for index, action in enumerate(actions):
                    problem = redirect_problem(action, f"defaultActions[{index}]")
                    if problem is not None:
                        yield Failure(problem, EXPECTED_REDIRECT, listener.urn)
            elif protocol in PLAIN_NLB_PROTOCOLS:
                if listener_lb is not None and not internet_facing(listener_lb):
                    continue
                where = (
                    f"internet-facing network load balancer {listener_lb.name}"
                    if listener_lb is not None
                    else (
                        f"load balancer {text(listener.props.get('loadBalancerArn')) or '(not set)'} "
                        "(not declared in this stack, so judged internet-facing)"
                    )
                )
                yield Failure(
                    f"protocol {protocol} on {where} carries unencrypted traffic",
                    "protocol TLS with a TLS 1.2+ sslPolicy (or QUIC)",
                    listener.urn,
                )
        for rule in links.of(*LISTENER_RULES):
            parent = links.one(rule, "listenerArn", LISTENERS)
            if parent is None or parent.urn not in http_listeners:
                continue
            for index, action in enumerate(as_list(rule.props.get("actions"))):
                problem = redirect_problem(action, f"actions[{index}]")
                if problem is not None:
                    yield Failure(
                        f"{problem} (rule of HTTP listener {parent.name})", EXPECTED_REDIRECT, rule.urn
                    )
