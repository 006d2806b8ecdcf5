import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "region_allowed"
BUCKET = "aws:s3/bucket:Bucket"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
WAF_RULE = "aws:wafv2/webAclRule:WebAclRule"
WAF_GROUP_ASSOCIATION = "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
CERT = "aws:acm/certificate:Certificate"
CERT_VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CF_ACL_ARN = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/cdn/abc"
REGIONAL_ACL_ARN = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/app/def"
CERT_ARN = "arn:aws:acm:us-east-1:111111111111:certificate/x"
JAPAN = "expected ap-northeast-1 or ap-northeast-3. [RES-01]"


def outside(resource_type, name, region="us-east-1"):
    return f"{resource_type} {name}: is in region {region}; {JAPAN}"


def test_pass_tokyo_and_osaka():
    assert (
        outcome(RULE, stack(resource(BUCKET, "a"), resource(BUCKET, "b", region="ap-northeast-3"))) == "pass"
    )


@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-1", "ap-northeast-2"])
def test_fail_other_region(region):
    assert messages(RULE, stack(resource(BUCKET, "data", region=region))) == [outside(BUCKET, "data", region)]


def test_own_region_input_overrides_provider():
    moved = resource(BUCKET, "data", {"region": "eu-west-1"})
    assert messages(RULE, stack(moved)) == [outside(BUCKET, "data", "eu-west-1")]
    back_home = resource(BUCKET, "data", {"region": "ap-northeast-3"}, region="us-east-1")
    assert outcome(RULE, stack(back_home)) == "pass"


def test_fail_missing_region():
    assert messages(RULE, stack(resource(BUCKET, "data", region=None))) == [
        f"{BUCKET} data: has no region (no `region` input, provider or aws:region config); {JAPAN}"
    ]


@pytest.mark.parametrize(
    "resource_type, props",
    [
        ("aws:iam/role:Role", {}),
        ("aws:route53/record:Record", {}),
        ("aws:route53/zoneAssociation:ZoneAssociation", {}),
        ("aws:route53domains/registeredDomain:RegisteredDomain", {}),
        ("aws:cloudfront/distribution:Distribution", {}),
        ("aws:cloudfront/cachePolicy:CachePolicy", {}),
        ("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", {}),
        ("aws:waf/webAcl:WebAcl", {}),
        (WEB_ACL, {"scope": "CLOUDFRONT"}),
        ("aws:wafv2/ipSet:IpSet", {"scope": "CLOUDFRONT"}),
        ("aws:wafv2/ruleGroup:RuleGroup", {"scope": "cloudfront"}),
        ("aws:wafv2/regexPatternSet:RegexPatternSet", {"scope": "CLOUDFRONT"}),
        ("aws:wafv2/apiKey:ApiKey", {"scope": "CLOUDFRONT"}),
        ("aws:shield/protection:Protection", {}),
    ],
)
def test_pass_global_services_are_exempt(resource_type, props):
    assert outcome(RULE, stack(resource(resource_type, "g", props, region="us-east-1"))) == "pass"


@pytest.mark.parametrize(
    "resource_type, props",
    [
        (WEB_ACL, {"scope": "REGIONAL"}),
        ("aws:wafv2/ipSet:IpSet", {"scope": "REGIONAL"}),
        ("aws:wafv2/ruleGroup:RuleGroup", {}),
        ("aws:wafregional/webAcl:WebAcl", {}),
        ("aws:route53/resolverEndpoint:ResolverEndpoint", {}),
        ("aws:route53/profilesProfile:ProfilesProfile", {}),
        ("aws:route53/profilesAssociation:ProfilesAssociation", {}),
    ],
)
def test_fail_regional_waf_route53_resolver_and_profiles_are_not_exempt(resource_type, props):
    assert messages(RULE, stack(resource(resource_type, "r", props, region="us-west-2"))) == [
        outside(resource_type, "r", "us-west-2")
    ]


# --- what attaches to a CLOUDFRONT-scope web ACL takes its scope --------------------------------


def cloudfront_acl(scope="CLOUDFRONT", **props):
    return resource(WEB_ACL, "cdn-acl", {"scope": scope, "arn": CF_ACL_ARN, **props}, region="us-east-1")


def logging(props, deps=None, region="us-east-1"):
    return resource(WAF_LOGGING, "cdn-waf-logging", props, region=region, prop_deps=deps)


LOG_DEST = {"logDestinationConfigs": ["arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-cdn"]}
ACL_DEP = {"resourceArn": [urn(WEB_ACL, "cdn-acl")]}


def test_pass_logging_of_cloudfront_acl_through_property_dependency():
    assert (
        outcome(RULE, stack(cloudfront_acl(), logging({"resourceArn": CF_ACL_ARN, **LOG_DEST}, ACL_DEP)))
        == "pass"
    )


def test_pass_logging_of_cloudfront_acl_by_literal_arn_of_an_acl_in_the_stack():
    acl = cloudfront_acl(arn="arn:aws:wafv2:us-east-1:111111111111:webacl-named-oddly")
    config = logging({"resourceArn": "arn:aws:wafv2:us-east-1:111111111111:webacl-named-oddly", **LOG_DEST})
    assert outcome(RULE, stack(acl, config)) == "pass"


def test_pass_logging_of_cloudfront_acl_outside_the_stack_by_its_global_arn():
    assert outcome(RULE, stack(logging({"resourceArn": CF_ACL_ARN, **LOG_DEST}))) == "pass"


def test_fail_logging_of_regional_acl_in_us_east_1():
    acl = cloudfront_acl(scope="REGIONAL", arn=REGIONAL_ACL_ARN)
    config = logging({"resourceArn": REGIONAL_ACL_ARN, **LOG_DEST}, ACL_DEP)
    assert messages(RULE, stack(acl, config)) == [
        outside(WEB_ACL, "cdn-acl"),
        outside(WAF_LOGGING, "cdn-waf-logging"),
    ]


def test_fail_logging_by_regional_arn_outside_the_stack():
    assert messages(RULE, stack(logging({"resourceArn": REGIONAL_ACL_ARN, **LOG_DEST}))) == [
        outside(WAF_LOGGING, "cdn-waf-logging")
    ]


def test_fail_cloudfront_acl_log_destination_still_needs_japan():
    group = resource(LOG_GROUP, "cdn-waf-logs", {"name": "aws-waf-logs-cdn"}, region="us-east-1")
    config = logging(
        {"resourceArn": CF_ACL_ARN, **LOG_DEST}, {**ACL_DEP, "logDestinationConfigs": [group.urn]}
    )
    assert messages(RULE, stack(cloudfront_acl(), config, group)) == [outside(LOG_GROUP, "cdn-waf-logs")]


@pytest.mark.parametrize("resource_type", [WAF_RULE, WAF_GROUP_ASSOCIATION])
def test_pass_rules_and_rule_group_associations_of_cloudfront_acl(resource_type):
    attached = resource(
        resource_type,
        "extra",
        {"webAclArn": CF_ACL_ARN},
        region="us-east-1",
        prop_deps={"webAclArn": [urn(WEB_ACL, "cdn-acl")]},
    )
    assert outcome(RULE, stack(cloudfront_acl(), attached)) == "pass"


@pytest.mark.parametrize("resource_type", [WAF_RULE, WAF_GROUP_ASSOCIATION])
def test_fail_rules_and_rule_group_associations_of_regional_acl(resource_type):
    attached = resource(resource_type, "extra", {"webAclArn": REGIONAL_ACL_ARN}, region="us-east-1")
    assert messages(RULE, stack(attached)) == [outside(resource_type, "extra")]


def test_pass_attachment_in_japan_never_reads_its_acl():
    config = logging({"resourceArn": UNKNOWN_STRING_VALUE}, region="ap-northeast-1")
    assert outcome(RULE, stack(resource(config.type, config.name, config.props, preview=True))) == "pass"


def test_unknown_logging_arn_without_dependency():
    config = resource(
        WAF_LOGGING,
        "cdn-waf-logging",
        {"resourceArn": UNKNOWN_STRING_VALUE},
        region="us-east-1",
        preview=True,
    )
    assert outcome(RULE, stack(config)) == "unknown"


def test_pass_unknown_logging_arn_settled_by_dependency():
    config = resource(
        WAF_LOGGING,
        "cdn-waf-logging",
        {"resourceArn": UNKNOWN_STRING_VALUE},
        region="us-east-1",
        prop_deps=ACL_DEP,
        preview=True,
    )
    assert outcome(RULE, stack(cloudfront_acl(), config)) == "pass"


def test_unknown_scope_outside_japan():
    acl = resource(WEB_ACL, "acl", {"scope": UNKNOWN_STRING_VALUE}, region="us-east-1", preview=True)
    assert outcome(RULE, stack(acl)) == "unknown"


def test_pass_unknown_scope_in_japan_is_not_read():
    acl = resource(WEB_ACL, "acl", {"scope": UNKNOWN_STRING_VALUE}, preview=True)
    assert outcome(RULE, stack(acl)) == "pass"


# --- the us-east-1 certificate CloudFront serves -----------------------------------------------


def certificate(**props):
    return resource(CERT, "cdn-cert", props, region="us-east-1")


def distribution(viewer, deps=None):
    return resource(DISTRIBUTION, "cdn", {"viewerCertificate": viewer}, prop_deps=deps)


def test_fail_us_east_1_certificate_without_distribution():
    assert messages(RULE, stack(certificate())) == [outside(CERT, "cdn-cert")]


def test_pass_cloudfront_certificate_through_property_dependency():
    cdn = distribution({"acmCertificateArn": CERT_ARN}, {"viewerCertificate": [urn(CERT, "cdn-cert")]})
    assert outcome(RULE, stack(certificate(), cdn)) == "pass"


@pytest.mark.parametrize("viewer", [{"acmCertificateArn": CERT_ARN}, [{"acmCertificateArn": CERT_ARN}]])
def test_pass_cloudfront_certificate_by_literal_arn(viewer):
    assert outcome(RULE, stack(certificate(arn=CERT_ARN), distribution(viewer))) == "pass"


def test_pass_certificate_and_validation_when_distribution_uses_the_validation_output():
    validation = resource(
        CERT_VALIDATION,
        "cdn-cert-validation",
        {"certificateArn": CERT_ARN},
        region="us-east-1",
        prop_deps={"certificateArn": [urn(CERT, "cdn-cert")]},
    )
    cdn = distribution({"acmCertificateArn": CERT_ARN}, {"viewerCertificate": [validation.urn]})
    assert outcome(RULE, stack(certificate(arn=CERT_ARN), validation, cdn)) == "pass"


def test_pass_validation_of_a_cloudfront_certificate():
    validation = resource(
        CERT_VALIDATION, "cdn-cert-validation", {"certificateArn": CERT_ARN}, region="us-east-1"
    )
    cdn = distribution({"acmCertificateArn": CERT_ARN}, {"viewerCertificate": [urn(CERT, "cdn-cert")]})
    assert outcome(RULE, stack(certificate(arn=CERT_ARN), validation, cdn)) == "pass"


def test_fail_validation_of_an_unused_certificate():
    validation = resource(CERT_VALIDATION, "v", {"certificateArn": CERT_ARN}, region="us-east-1")
    assert messages(RULE, stack(certificate(arn=CERT_ARN), validation)) == [
        outside(CERT, "cdn-cert"),
        outside(CERT_VALIDATION, "v"),
    ]


def test_fail_cloudfront_certificate_outside_us_east_1():
    cert = resource(CERT, "cdn-cert", {"arn": CERT_ARN}, region="eu-west-1")
    assert messages(RULE, stack(cert, distribution({"acmCertificateArn": CERT_ARN}))) == [
        outside(CERT, "cdn-cert", "eu-west-1")
    ]


def test_fail_other_resource_behind_viewer_certificate_is_not_exempt():
    function = resource("aws:lambda/function:Function", "edge", region="us-east-1")
    cdn = distribution({"acmCertificateArn": CERT_ARN}, {"viewerCertificate": [function.urn]})
    assert messages(RULE, stack(function, cdn)) == [outside("aws:lambda/function:Function", "edge")]


def test_pass_unknown_viewer_certificate_arn_settled_by_dependency():
    cdn = resource(
        DISTRIBUTION,
        "cdn",
        {"viewerCertificate": {"acmCertificateArn": UNKNOWN_STRING_VALUE}},
        prop_deps={"viewerCertificate": [urn(CERT, "cdn-cert")]},
        preview=True,
    )
    cert = resource(CERT, "cdn-cert", {"arn": UNKNOWN_STRING_VALUE}, region="us-east-1", preview=True)
    assert outcome(RULE, stack(cert, cdn)) == "pass"


def test_pass_non_aws_resources_are_ignored():
    assert outcome(RULE, stack(resource("random:index/randomId:RandomId", "r", region=None))) == "pass"
