import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    ALB_LISTENER,
    LB,
    LISTENER,
    LISTENER_RULE,
    arn,
    build,
    edge,
    linked,
    patched,
)
from tests.rulekit import messages, outcome, resource

RULE = "lb_listener_tls"
EXPECTED_POLICY = (
    "expected sslPolicy with TLS 1.2 or newer as minimum (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06, "
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-FS-1-2-Res-2020-10). [ENC-03]"
)
EXPECTED_REDIRECT = "expected only a redirect action to protocol HTTPS, port 443. [ENC-03]"
NLB_ARN = arn("elasticloadbalancing", "loadbalancer/net/acme/2")


def lb_views():
    views = edge()
    return {k: views[k] for k in ("alb", "https", "http")}


def nlb(internal=False):
    return resource(LB, "nlb", {"loadBalancerType": "network", "internal": internal, "arn": NLB_ARN})


def test_pass_https_and_redirect():
    assert outcome(RULE, build(lb_views())) == "pass"


@pytest.mark.parametrize(
    "policy",
    [
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    ],
)
def test_pass_tls12_policies(policy):
    views = lb_views()
    views["https"] = patched(views["https"], sslPolicy=policy)
    assert outcome(RULE, build(views)) == "pass"


@pytest.mark.parametrize(
    "policy",
    [
        "ELBSecurityPolicy-2016-08",
        "ELBSecurityPolicy-TLS-1-1-2017-01",
        "ELBSecurityPolicy-TLS13-1-1-2021-06",
        "ELBSecurityPolicy-TLS13-1-0-2021-06",
        "ELBSecurityPolicy-FS-1-1-2019-08",
        "ELBSecurityPolicy-FS-2018-06",
    ],
)
def test_fail_old_policy(policy):
    views = lb_views()
    views["https"] = patched(views["https"], sslPolicy=policy)
    assert messages(RULE, build(views)) == [
        f"{LISTENER} https: sslPolicy is {policy}, which allows protocols older than TLS 1.2;"
        f" {EXPECTED_POLICY}"
    ]


def test_fail_policy_absent():
    views = lb_views()
    views["https"] = patched(views["https"], sslPolicy=None)
    assert messages(RULE, build(views)) == [
        f"{LISTENER} https: protocol HTTPS has no sslPolicy (ELB applies ELBSecurityPolicy-2016-08, which"
        f" allows TLS 1.0); {EXPECTED_POLICY}"
    ]


def test_fail_http_forwarding():
    views = lb_views()
    views["http"] = patched(views["http"], defaultActions=[{"type": "forward", "targetGroupArn": "tg"}])
    assert messages(RULE, build(views)) == [
        f"{LISTENER} http: defaultActions[0] is forward on plain HTTP; {EXPECTED_REDIRECT}"
    ]


def test_fail_http_listener_without_protocol_is_http():
    views = lb_views()
    views["http"] = patched(views["http"], protocol=None, defaultActions={"type": "fixed-response"})
    assert messages(RULE, build(views)) == [
        f"{LISTENER} http: defaultActions[0] is fixed-response on plain HTTP; {EXPECTED_REDIRECT}"
    ]


@pytest.mark.parametrize(
    "redirect, problem",
    [
        ({"protocol": "HTTP", "port": "443"}, "redirects to protocol HTTP"),
        ({"protocol": "HTTPS"}, "redirects to port #{port}"),
        ({"protocol": "HTTPS", "port": "8443"}, "redirects to port 8443"),
        ({"port": "443"}, "redirects to protocol #{protocol}"),
    ],
)
def test_fail_redirect_not_to_https_443(redirect, problem):
    views = lb_views()
    views["http"] = patched(views["http"], defaultActions=[{"type": "redirect", "redirect": redirect}])
    assert messages(RULE, build(views)) == [
        f"{LISTENER} http: defaultActions[0] {problem}; {EXPECTED_REDIRECT}"
    ]


def test_pass_redirect_port_as_number_and_alb_alias():
    views = lb_views()
    views["http"] = resource(
        ALB_LISTENER,
        "http",
        {
            **views["http"].props,
            "defaultActions": [
                {
                    "type": "redirect",
                    "redirect": [{"protocol": "HTTPS", "port": 443.0, "statusCode": "HTTP_302"}],
                }
            ],
        },
    )
    assert outcome(RULE, build(views)) == "pass"


def test_fail_listener_rule_on_http_listener_forwards():
    views = lb_views()
    views["http"] = patched(views["http"], arn="arn:listener/http")
    rule = resource(
        LISTENER_RULE,
        "api",
        {
            "listenerArn": "arn:listener/http",
            "priority": 10,
            "actions": [{"type": "forward", "targetGroupArn": "tg"}],
        },
    )
    assert messages(RULE, build(views, rule)) == [
        f"{LISTENER_RULE} api: actions[0] is forward on plain HTTP (rule of HTTP listener http);"
        f" {EXPECTED_REDIRECT}"
    ]


def test_pass_listener_rule_on_https_listener():
    views = lb_views()
    views["https"] = patched(views["https"], arn="arn:listener/https")
    rule = resource(
        LISTENER_RULE, "api", {"listenerArn": "arn:listener/https", "actions": [{"type": "forward"}]}
    )
    assert outcome(RULE, build(views, rule)) == "pass"


@pytest.mark.parametrize("protocol", ["TCP", "UDP", "TCP_UDP"])
def test_fail_plain_protocol_on_internet_facing_nlb(protocol):
    listener = resource(LISTENER, "nlb-l", {"loadBalancerArn": NLB_ARN, "protocol": protocol, "port": 443})
    assert messages(RULE, build([nlb(), listener])) == [
        f"{LISTENER} nlb-l: protocol {protocol} on internet-facing network load balancer nlb carries"
        " unencrypted traffic; expected protocol TLS with a TLS 1.2+ sslPolicy (or QUIC). [ENC-03]"
    ]


def test_fail_tcp_on_load_balancer_outside_stack():
    listener = resource(LISTENER, "nlb-l", {"loadBalancerArn": "arn:elb/x", "protocol": "TCP", "port": 443})
    assert messages(RULE, build([listener])) == [
        f"{LISTENER} nlb-l: protocol TCP on load balancer arn:elb/x (not declared in this stack, so judged"
        " internet-facing) carries unencrypted traffic; expected protocol TLS with a TLS 1.2+ sslPolicy (or"
        " QUIC). [ENC-03]"
    ]


def test_pass_tcp_on_internal_nlb_and_tls_on_public():
    internal = resource(LISTENER, "internal-l", {"loadBalancerArn": NLB_ARN, "protocol": "TCP", "port": 5432})
    assert outcome(RULE, build([nlb(internal="true"), internal])) == "pass"
    tls = resource(
        LISTENER,
        "tls",
        {
            "loadBalancerArn": NLB_ARN,
            "protocol": "TLS",
            "port": 443,
            "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        },
    )
    assert outcome(RULE, build([nlb(), tls])) == "pass"


def test_fail_tls_listener_without_policy():
    tls = resource(LISTENER, "tls", {"loadBalancerArn": NLB_ARN, "protocol": "TLS", "port": 443})
    assert messages(RULE, build([nlb(), tls])) == [
        f"{LISTENER} tls: protocol TLS has no sslPolicy (ELB applies ELBSecurityPolicy-2016-08, which allows "
        f"TLS 1.0); {EXPECTED_POLICY}"
    ]


def test_na_no_listener():
    assert outcome(RULE, build([nlb()])) == "n/a"


def test_unknown_policy_in_preview():
    views = lb_views()
    views["https"] = resource(
        LISTENER, "https", {"protocol": "HTTPS", "sslPolicy": UNKNOWN_STRING_VALUE}, preview=True
    )
    assert outcome(RULE, build(views)) == "unknown"


def test_pass_preview_load_balancer_arn_unknown_but_linked():
    internal = nlb(internal=True)
    listener = resource(
        LISTENER,
        "db",
        {"loadBalancerArn": UNKNOWN_STRING_VALUE, "protocol": "TCP", "port": 5432},
        preview=True,
    )
    assert outcome(RULE, build([internal, linked(listener, "loadBalancerArn", internal)])) == "pass"


@pytest.mark.parametrize("actions", [None, []])
def test_fail_http_listener_without_actions(actions):
    views = lb_views()
    views["http"] = patched(views["http"], defaultActions=actions)
    assert messages(RULE, build(views)) == [
        f"{LISTENER} http: protocol HTTP has no defaultActions; {EXPECTED_REDIRECT}"
    ]


def test_fail_http_action_that_is_not_a_block():
    views = lb_views()
    views["http"] = patched(views["http"], defaultActions=["redirect"])
    assert messages(RULE, build(views)) == [
        f"{LISTENER} http: defaultActions[0] is not an action block; {EXPECTED_REDIRECT}"
    ]


def test_pass_gateway_load_balancer_listener_carries_no_tls():
    gateway_arn = arn("elasticloadbalancing", "loadbalancer/gwy/acme/3")
    gateway = resource(LB, "gwlb", {"loadBalancerType": "gateway", "arn": gateway_arn})
    listener = resource(
        LISTENER, "geneve", {"loadBalancerArn": gateway_arn, "defaultActions": [{"type": "forward"}]}
    )
    assert outcome(RULE, build([gateway, listener])) == "pass"
    # The same listener on an application load balancer is plain HTTP forwarding.
    application = patched(gateway, loadBalancerType="application")
    assert messages(RULE, build([application, listener])) == [
        f"{LISTENER} geneve: defaultActions[0] is forward on plain HTTP; {EXPECTED_REDIRECT}"
    ]


# --- classic load balancers -------------------------------------------------------------------------

CLB = "aws:elb/loadBalancer:LoadBalancer"
LISTENER_POLICY = "aws:elb/listenerPolicy:ListenerPolicy"
LB_POLICY = "aws:elb/loadBalancerPolicy:LoadBalancerPolicy"
SSL_POLICY = "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy"
EXPECTED_CLASSIC_PLAIN = (
    "expected lbProtocol HTTPS or SSL with a TLS 1.2+ security policy (a classic load balancer cannot"
    " redirect HTTP to HTTPS). [ENC-03]"
)
EXPECTED_CLASSIC_POLICY = (
    "expected an aws:elb/listenerPolicy for the port naming an SSLNegotiationPolicyType policy whose"
    " Reference-Security-Policy is ELBSecurityPolicy-TLS-1-2-2017-01 or newer (or an"
    " aws:elb/sslNegotiationPolicy enabling only Protocol-TLSv1.2). [ENC-03]"
)
HTTPS_LISTENER = {
    "instancePort": 8080,
    "instanceProtocol": "http",
    "lbPort": 443,
    "lbProtocol": "https",
    "sslCertificateId": "arn:aws:acm:ap-northeast-1:111111111111:certificate/x",
}


def classic(*listeners, internal=None):
    props = {"name": "legacy", "listeners": list(listeners)}
    if internal is not None:
        props["internal"] = internal
    return resource(CLB, "legacy", props)


def reference_policy(reference="ELBSecurityPolicy-TLS-1-2-2017-01", port=443):
    policy = resource(
        LB_POLICY,
        "tls12",
        {
            "loadBalancerName": "legacy",
            "policyName": "tls12",
            "policyTypeName": "SSLNegotiationPolicyType",
            "policyAttributes": [{"name": "Reference-Security-Policy", "value": reference}],
        },
    )
    listener_policy = resource(
        LISTENER_POLICY,
        "tls12-443",
        {"loadBalancerName": "legacy", "loadBalancerPort": port, "policyNames": ["tls12"]},
    )
    return [policy, listener_policy]


def test_pass_classic_https_listener_under_tls12_reference_policy():
    assert outcome(RULE, build([classic(HTTPS_LISTENER), *reference_policy()])) == "pass"


def test_pass_classic_ssl_negotiation_policy_enabling_only_tls12():
    ssl = resource(
        SSL_POLICY,
        "tls12",
        {
            "name": "tls12",
            "loadBalancer": "legacy",
            "lbPort": 443,
            "attributes": [
                {"name": "Protocol-TLSv1.2", "value": "true"},
                {"name": "ECDHE-RSA-AES128-GCM-SHA256", "value": "true"},
            ],
        },
    )
    assert outcome(RULE, build([classic(HTTPS_LISTENER), ssl])) == "pass"


@pytest.mark.parametrize("protocol", ["http", "TCP"])
def test_fail_plain_listener_on_internet_facing_classic_load_balancer(protocol):
    listener = {"instancePort": 80, "instanceProtocol": "http", "lbPort": 80, "lbProtocol": protocol}
    assert messages(RULE, build([classic(listener)])) == [
        f"{CLB} legacy: listeners[0] lbProtocol {protocol.upper()} on port 80 carries unencrypted traffic"
        f" from the internet; {EXPECTED_CLASSIC_PLAIN}"
    ]
    assert outcome(RULE, build([classic(listener, internal="true")])) == "pass"


def test_fail_classic_https_listener_without_negotiation_policy():
    assert messages(RULE, build([classic(HTTPS_LISTENER), *reference_policy(port=8443)])) == [
        f"{CLB} legacy: listeners[0] lbProtocol HTTPS on port 443 has no SSL negotiation policy (ELB applies "
        f"ELBSecurityPolicy-2016-08, which allows TLS 1.0); {EXPECTED_CLASSIC_POLICY}"
    ]


@pytest.mark.parametrize(
    "policies, problem",
    [
        (
            reference_policy("ELBSecurityPolicy-2016-08"),
            "Reference-Security-Policy ELBSecurityPolicy-2016-08",
        ),
        (
            [
                resource(
                    SSL_POLICY,
                    "old",
                    {
                        "name": "old",
                        "loadBalancer": "legacy",
                        "lbPort": 443,
                        "attributes": [
                            {"name": "Protocol-TLSv1.2", "value": "true"},
                            {"name": "Protocol-TLSv1", "value": "true"},
                        ],
                    },
                )
            ],
            "Protocol-TLSv1 enabled",
        ),
        (
            [
                resource(
                    SSL_POLICY,
                    "none",
                    {"name": "none", "loadBalancer": "legacy", "lbPort": 443, "attributes": []},
                )
            ],
            "Protocol-TLSv1.2 not enabled",
        ),
    ],
)
def test_fail_classic_negotiation_policy_older_than_tls12(policies, problem):
    listener = {**HTTPS_LISTENER, "lbProtocol": "SSL"}
    assert messages(RULE, build([classic(listener), *policies])) == [
        f"{CLB} legacy: listeners[0] lbProtocol SSL on port 443 has an SSL negotiation policy that allows"
        f" protocols older than TLS 1.2 ({problem}); {EXPECTED_CLASSIC_POLICY}"
    ]


def test_pass_classic_policy_linked_by_property_dependencies():
    policy, listener_policy = reference_policy()
    listener_policy = linked(
        patched(listener_policy, policyNames=["name-from-output"]), "policyNames", policy
    )
    assert outcome(RULE, build([classic(HTTPS_LISTENER), policy, listener_policy])) == "pass"


def test_na_classic_load_balancer_without_listeners():
    assert outcome(RULE, build([classic()])) == "n/a"
