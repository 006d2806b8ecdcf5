import pytest

from tests.rulekit import messages, outcome, resource, stack, urn

BUCKET = "aws:s3/bucket:Bucket"


def test_tokyo_and_osaka_pass():
    assert outcome("region_allowed", stack(resource(BUCKET, "a"), resource(BUCKET, "b", region="ap-northeast-3"))) == "pass"


@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-1", "ap-northeast-2"])
def test_other_region_fails_with_exact_message(region):
    assert messages("region_allowed", stack(resource(BUCKET, "data", region=region))) == [
        f"{BUCKET} data: is in region {region}; expected ap-northeast-1 or ap-northeast-3. [RES-01]"
    ]


def test_own_region_input_overrides_provider():
    moved = resource(BUCKET, "data", {"region": "eu-west-1"})
    assert messages("region_allowed", stack(moved)) == [
        f"{BUCKET} data: is in region eu-west-1; expected ap-northeast-1 or ap-northeast-3. [RES-01]"
    ]
    back_home = resource(BUCKET, "data", {"region": "ap-northeast-3"}, region="us-east-1")
    assert outcome("region_allowed", stack(back_home)) == "pass"


def test_missing_region_fails():
    assert messages("region_allowed", stack(resource(BUCKET, "data", region=None))) == [
        f"{BUCKET} data: has no region (no `region` input, provider or aws:region config); "
        "expected ap-northeast-1 or ap-northeast-3. [RES-01]"
    ]


@pytest.mark.parametrize(
    "resource_type, props",
    [
        ("aws:iam/role:Role", {}),
        ("aws:route53/record:Record", {}),
        ("aws:cloudfront/distribution:Distribution", {}),
        ("aws:wafv2/webAcl:WebAcl", {"scope": "CLOUDFRONT"}),
        ("aws:shield/protection:Protection", {}),
    ],
)
def test_global_services_are_exempt(resource_type, props):
    assert outcome("region_allowed", stack(resource(resource_type, "g", props, region="us-east-1"))) == "pass"


def test_regional_waf_and_route53_resolver_are_not_exempt():
    waf = resource("aws:wafv2/webAcl:WebAcl", "acl", {"scope": "REGIONAL"}, region="us-east-1")
    resolver = resource("aws:route53/resolverEndpoint:ResolverEndpoint", "r", region="us-west-2")
    assert outcome("region_allowed", stack(waf)) == "fail"
    assert outcome("region_allowed", stack(resolver)) == "fail"


def test_us_east_1_certificate_allowed_only_for_cloudfront():
    cert = resource("aws:acm/certificate:Certificate", "cdn-cert", region="us-east-1")
    lonely = stack(cert)
    assert outcome("region_allowed", lonely) == "fail"
    cdn = resource(
        "aws:cloudfront/distribution:Distribution",
        "cdn",
        {"viewerCertificate": {"acmCertificateArn": "arn:aws:acm:us-east-1:111111111111:certificate/x"}},
        prop_deps={"viewerCertificate": [urn("aws:acm/certificate:Certificate", "cdn-cert")]},
    )
    assert outcome("region_allowed", stack(cert, cdn)) == "pass"


def test_non_aws_resources_are_ignored():
    assert outcome("region_allowed", stack(resource("random:index/randomId:RandomId", "r", region=None))) == "pass"
