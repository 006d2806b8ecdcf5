import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.policies.rules._fixtures_net import (
    DISTRIBUTION,
    HEADERS_POLICY,
    SECURITY_HEADERS_POLICY,
    build,
    linked,
    patched,
)
from tests.rulekit import messages, outcome, resource

RULE = "cloudfront_tls"
EXPECTED_CERT = "expected an ACM certificate with minimumProtocolVersion TLSv1.2_2021 or newer. [ENC-03]"
EXPECTED_VIEWER = "expected viewerProtocolPolicy redirect-to-https or https-only. [ENC-03]"
EXPECTED_ORIGIN = "expected originProtocolPolicy https-only with originSslProtocols [TLSv1.2]. [ENC-03]"
EXPECTED_HSTS = (
    "expected a responseHeadersPolicyId whose policy sends Strict-Transport-Security with max-age >= 31536000"
    " (e.g. the managed SecurityHeadersPolicy 67f7725c-6f97-4210-82d7-5512b31e9d03). [ENC-03]"
)
POLICY_ID = "rhp-custom"


def behavior(**props):
    base = {
        "targetOriginId": "app",
        "viewerProtocolPolicy": "redirect-to-https",
        "allowedMethods": ["GET", "HEAD"],
        "cachedMethods": ["GET", "HEAD"],
        "responseHeadersPolicyId": SECURITY_HEADERS_POLICY,
    }
    base.update(props)
    return base


def distribution(**props):
    base = {
        "enabled": True,
        "origins": [
            {
                "originId": "app",
                "domainName": "app.example.jp",
                "customOriginConfig": {
                    "httpPort": 80,
                    "httpsPort": 443,
                    "originProtocolPolicy": "https-only",
                    "originSslProtocols": ["TLSv1.2"],
                },
            },
            {
                "originId": "assets",
                "domainName": "assets.s3.ap-northeast-1.amazonaws.com",
                "originAccessControlId": "oac",
            },
        ],
        "defaultCacheBehavior": behavior(),
        "orderedCacheBehaviors": [behavior(pathPattern="/static/*", targetOriginId="assets")],
        "viewerCertificate": {
            "acmCertificateArn": "arn:aws:acm:us-east-1:111111111111:certificate/x",
            "sslSupportMethod": "sni-only",
            "minimumProtocolVersion": "TLSv1.2_2021",
        },
        "webAclId": "arn:aws:wafv2:us-east-1:111111111111:global/webacl/acme-cf/x",
    }
    base.update(props)
    return resource(DISTRIBUTION, "cdn", base, region=None)


def headers_policy(max_age=63072000):
    return resource(
        HEADERS_POLICY,
        "hsts",
        {
            "name": "hsts",
            "id": POLICY_ID,
            "securityHeadersConfig": {
                "strictTransportSecurity": {
                    "accessControlMaxAgeSec": max_age,
                    "override": True,
                    "includeSubdomains": True,
                }
            },
        },
    )


def test_pass_compliant_distribution():
    assert outcome(RULE, build([distribution()])) == "pass"


@pytest.mark.parametrize("version", ["TLSv1.2_2025", "TLSv1.3_2025"])
def test_pass_newer_viewer_policies(version):
    cert = {**distribution().props["viewerCertificate"], "minimumProtocolVersion": version}
    assert outcome(RULE, build([distribution(viewerCertificate=cert)])) == "pass"


def test_pass_custom_headers_policy_of_stack():
    cdn = distribution(defaultCacheBehavior=behavior(responseHeadersPolicyId=POLICY_ID))
    assert outcome(RULE, build([cdn, headers_policy()])) == "pass"


def test_pass_custom_headers_policy_through_property_dependency():
    policy = headers_policy()
    cdn = linked(
        distribution(defaultCacheBehavior=behavior(responseHeadersPolicyId="id-from-output")),
        "defaultCacheBehavior",
        policy,
    )
    assert outcome(RULE, build([cdn, policy])) == "pass"


@pytest.mark.parametrize("version", ["TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019"])
def test_fail_old_viewer_policy(version):
    cert = {**distribution().props["viewerCertificate"], "minimumProtocolVersion": version}
    assert messages(RULE, build([distribution(viewerCertificate=cert)])) == [
        f"{DISTRIBUTION} cdn: viewerCertificate.minimumProtocolVersion is {version}; {EXPECTED_CERT}"
    ]


def test_fail_viewer_policy_absent():
    cert = {
        "acmCertificateArn": "arn:aws:acm:us-east-1:111111111111:certificate/x",
        "sslSupportMethod": "sni-only",
    }
    assert messages(RULE, build([distribution(viewerCertificate=cert)])) == [
        f"{DISTRIBUTION} cdn: viewerCertificate.minimumProtocolVersion is not set (CloudFront defaults to"
        f" TLSv1); {EXPECTED_CERT}"
    ]


@pytest.mark.parametrize("value", [True, "true"])
def test_fail_default_certificate(value):
    assert messages(
        RULE, build([distribution(viewerCertificate=[{"cloudfrontDefaultCertificate": value}])])
    ) == [
        f"{DISTRIBUTION} cdn: viewerCertificate uses the CloudFront default certificate, whose minimum"
        f" protocol is TLSv1; {EXPECTED_CERT}"
    ]


def test_fail_ordered_behavior_allows_http():
    cdn = distribution(
        orderedCacheBehaviors=[behavior(pathPattern="/static/*", viewerProtocolPolicy="allow-all")]
    )
    assert messages(RULE, build([cdn])) == [
        f"{DISTRIBUTION} cdn: orderedCacheBehaviors[0] (/static/*) viewerProtocolPolicy is allow-all;"
        f" {EXPECTED_VIEWER}"
    ]


def test_fail_origin_over_http():
    origins = [
        {
            "originId": "app",
            "domainName": "app.example.jp",
            "customOriginConfig": {"originProtocolPolicy": "match-viewer", "originSslProtocols": ["TLSv1.2"]},
        }
    ]
    assert messages(RULE, build([distribution(origins=origins)])) == [
        f"{DISTRIBUTION} cdn: origins[0] (app) customOriginConfig.originProtocolPolicy is match-viewer;"
        f" {EXPECTED_ORIGIN}"
    ]


def test_fail_origin_allows_old_tls():
    origins = {
        "originId": "app",
        "domainName": "app.example.jp",
        "customOriginConfig": {
            "originProtocolPolicy": "https-only",
            "originSslProtocols": ["TLSv1.1", "TLSv1.2"],
        },
    }
    assert messages(RULE, build([distribution(origins=origins)])) == [
        f"{DISTRIBUTION} cdn: origins[0] (app) customOriginConfig.originSslProtocols is [TLSv1.1, TLSv1.2];"
        f" {EXPECTED_ORIGIN}"
    ]


def test_fail_behavior_without_headers_policy():
    cdn = distribution(defaultCacheBehavior=behavior(responseHeadersPolicyId=None))
    assert messages(RULE, build([cdn])) == [
        f"{DISTRIBUTION} cdn: defaultCacheBehavior has no responseHeadersPolicyId, so no"
        f" Strict-Transport-Security header is sent; {EXPECTED_HSTS}"
    ]


def test_fail_headers_policy_short_max_age():
    cdn = distribution(defaultCacheBehavior=behavior(responseHeadersPolicyId=POLICY_ID))
    assert messages(RULE, build([cdn, headers_policy(max_age=86400.0)])) == [
        f"{DISTRIBUTION} cdn: defaultCacheBehavior uses response headers policy hsts, whose "
        f"strictTransportSecurity.accessControlMaxAgeSec is 86400; {EXPECTED_HSTS}"
    ]


def test_fail_headers_policy_without_hsts():
    cdn = distribution(defaultCacheBehavior=behavior(responseHeadersPolicyId=POLICY_ID))
    policy = patched(headers_policy(), securityHeadersConfig={"contentTypeOptions": {"override": True}})
    assert messages(RULE, build([cdn, policy])) == [
        f"{DISTRIBUTION} cdn: defaultCacheBehavior uses response headers policy hsts, which has no "
        f"securityHeadersConfig.strictTransportSecurity; {EXPECTED_HSTS}"
    ]


def test_fail_unknown_headers_policy_id():
    cdn = distribution(
        defaultCacheBehavior=behavior(responseHeadersPolicyId="60669652-455b-4ae9-85a4-c4c02393f86c")
    )
    assert messages(RULE, build([cdn])) == [
        f"{DISTRIBUTION} cdn: defaultCacheBehavior responseHeadersPolicyId"
        " 60669652-455b-4ae9-85a4-c4c02393f86c is neither a response headers policy of this stack nor a"
        f" managed policy that sends HSTS; {EXPECTED_HSTS}"
    ]


def test_na_no_distribution():
    assert outcome(RULE, build([headers_policy()])) == "n/a"


def test_unknown_certificate_in_preview():
    cdn = resource(
        DISTRIBUTION,
        "cdn",
        {**distribution().props, "viewerCertificate": {"minimumProtocolVersion": UNKNOWN_STRING_VALUE}},
        preview=True,
    )
    assert outcome(RULE, build([cdn])) == "unknown"


def test_pass_single_blocks_written_as_one_element_lists():
    base = distribution()
    props = dict(base.props)
    props["defaultCacheBehavior"] = [props["defaultCacheBehavior"]]
    props["viewerCertificate"] = [props["viewerCertificate"]]
    props["origins"] = [
        {**props["origins"][0], "customOriginConfig": [props["origins"][0]["customOriginConfig"]]}
    ]
    assert outcome(RULE, build([resource(DISTRIBUTION, "cdn", props, region=None)])) == "pass"


def test_fail_one_element_list_blocks_are_judged_like_objects():
    # A raw program writing the blocks as lists must not slip past the checks.
    props = dict(distribution().props)
    props["defaultCacheBehavior"] = [behavior(viewerProtocolPolicy="allow-all")]
    props["origins"] = [
        {
            "originId": "app",
            "domainName": "app.example.jp",
            "customOriginConfig": [{"originProtocolPolicy": "http-only", "originSslProtocols": ["TLSv1.2"]}],
        }
    ]
    assert messages(RULE, build([resource(DISTRIBUTION, "cdn", props, region=None)])) == [
        (
            f"{DISTRIBUTION} cdn: origins[0] (app) customOriginConfig.originProtocolPolicy is http-only;"
            f" {EXPECTED_ORIGIN}"
        ),
        f"{DISTRIBUTION} cdn: defaultCacheBehavior viewerProtocolPolicy is allow-all; {EXPECTED_VIEWER}",
    ]
