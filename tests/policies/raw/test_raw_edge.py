"""Raw pulumi_aws entry points through the offline gate (families: ALB/NLB listeners, CloudFront, API Gateway,
WAFv2, Shield; also security groups): ENC-03, EDGE-01..04, NET-02."""

import pytest

from tests.policies.raw._net_raw import findings, gate, messages, undecided

VIOLATING = {
    ("ENC-03", "lb_listener_tls", "alb-https"),
    ("ENC-03", "lb_listener_tls", "alb-http"),
    ("ENC-03", "lb_listener_tls", "nlb-tcp"),
    ("ENC-03", "cloudfront_tls", "cdn"),
    ("EDGE-01", "entry_point_web_acl", "alb"),
    ("EDGE-01", "entry_point_web_acl", "api-prod"),
    ("EDGE-01", "entry_point_web_acl", "http-api"),
    ("EDGE-01", "entry_point_web_acl", "cdn"),
    ("EDGE-01", "waf_managed_rules", "regional-acl"),
    ("EDGE-01", "waf_managed_rules", "staging-acl"),
    ("EDGE-01", "waf_rate_limit", "regional-acl"),
    ("EDGE-01", "waf_rate_limit", "staging-acl"),
    ("EDGE-01", "waf_ip_sets", "regional-acl"),
    ("EDGE-01", "waf_ip_sets", "staging-acl"),
    ("EDGE-02", "waf_geo_japan_only", "regional-acl"),
    ("EDGE-02", "waf_geo_japan_only", "staging-acl"),
    ("EDGE-03", "entry_point_shield", "alb"),
    ("EDGE-03", "entry_point_shield", "nlb"),
    ("EDGE-03", "entry_point_shield", "cdn"),
    ("EDGE-03", "entry_point_shield", "spare-ip"),
    ("EDGE-03", "entry_point_shield", "legacy-clb"),
    ("ENC-03", "lb_listener_tls", "legacy-clb"),
    ("EDGE-03", "waf_logging", "regional-acl"),
    ("EDGE-03", "waf_logging", "staging-waf-logging"),
    ("EDGE-04", "waf_allow_list_enforced", "regional-acl"),
    ("NET-02", "sg_no_public_ingress", "web-sg"),
    ("LOG-06", "lb_access_logs", "alb"),
}


@pytest.fixture(scope="module")
def violating():
    return gate("edge", "violating")


def test_violating_program_yields_exactly_the_expected_findings(violating):
    assert findings(violating) == VIOLATING
    assert undecided(violating) == []


def test_violating_cloudfront_messages(violating):
    expected_origin = "expected originProtocolPolicy https-only with originSslProtocols [TLSv1.2]. [ENC-03]"
    assert messages(violating, "cloudfront_tls", "cdn") == sorted(
        [
            (
                "aws:cloudfront/distribution:Distribution cdn: defaultCacheBehavior has no"
                " responseHeadersPolicyId, so no Strict-Transport-Security header is sent; expected a"
                " responseHeadersPolicyId whose policy sends Strict-Transport-Security with max-age >="
                " 31536000 (e.g. the managed SecurityHeadersPolicy 67f7725c-6f97-4210-82d7-5512b31e9d03)."
                " [ENC-03]"
            ),
            (
                "aws:cloudfront/distribution:Distribution cdn: defaultCacheBehavior viewerProtocolPolicy is"
                " allow-all; expected viewerProtocolPolicy redirect-to-https or https-only. [ENC-03]"
            ),
            (
                "aws:cloudfront/distribution:Distribution cdn: origins[0] (alb)"
                f" customOriginConfig.originProtocolPolicy is http-only; {expected_origin}"
            ),
            (
                "aws:cloudfront/distribution:Distribution cdn: origins[0] (alb)"
                f" customOriginConfig.originSslProtocols is [TLSv1, TLSv1.2]; {expected_origin}"
            ),
            (
                "aws:cloudfront/distribution:Distribution cdn: viewerCertificate uses the CloudFront default"
                " certificate, whose minimum protocol is TLSv1; expected an ACM certificate with"
                " minimumProtocolVersion TLSv1.2_2021 or newer. [ENC-03]"
            ),
        ]
    )


def test_violating_geo_rule_names_the_extra_country(violating):
    assert messages(violating, "waf_geo_japan_only", "regional-acl") == [
        "aws:wafv2/webAcl:WebAcl regional-acl: rule geo (priority 1) lets through requests from US; expected "
        "countryCodes [JP] only. [EDGE-02]"
    ]


def test_violating_classic_load_balancer_listeners(violating):
    assert messages(violating, "lb_listener_tls", "legacy-clb") == [
        (
            "aws:elb/loadBalancer:LoadBalancer legacy-clb: listeners[0] lbProtocol HTTP on port 80 carries"
            " unencrypted traffic from the internet; expected lbProtocol HTTPS or SSL with a TLS 1.2+"
            " security policy (a classic load balancer cannot redirect HTTP to HTTPS). [ENC-03]"
        ),
        (
            "aws:elb/loadBalancer:LoadBalancer legacy-clb: listeners[1] lbProtocol HTTPS on port 443 has no"
            " SSL negotiation policy (ELB applies ELBSecurityPolicy-2016-08, which allows TLS 1.0); expected"
            " an aws:elb/listenerPolicy for the port naming an SSLNegotiationPolicyType policy whose"
            " Reference-Security-Policy is ELBSecurityPolicy-TLS-1-2-2017-01 or newer (or an"
            " aws:elb/sslNegotiationPolicy enabling only Protocol-TLSv1.2). [ENC-03]"
        ),
    ]


def test_compliant_twin_is_not_flagged():
    result = gate("edge", "compliant")
    assert findings(result) == set()
    assert undecided(result) == []


def test_violating_alb_without_access_logs(violating):
    assert messages(violating, "lb_access_logs", "alb") == [
        "aws:lb/loadBalancer:LoadBalancer alb: accessLogs is not set (the load balancer writes no access"
        " log); expected accessLogs with enabled true and the bucket of the log archive's access logs."
        " [LOG-06]"
    ]
