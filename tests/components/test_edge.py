"""EdgeProtection: ALB, TLS, WAF rules per input, logging, Shield, validation messages."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.edge import EdgeProtection, EdgeProtectionArgs, validate_cidrs, validate_edge_args
from components.errors import ComponentInputError
from tests.pulumi_mocks import Run, assert_all_under, run

KEY = "arn:aws:kms:ap-northeast-1:444444444444:key/1234"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"


def args(**overrides: object) -> EdgeProtectionArgs:
    values: dict[str, Any] = {
        "vpc_id": "vpc-0123",
        "vpc_cidr": "10.20.0.0/16",
        "public_subnet_ids": ["subnet-a", "subnet-c"],
        "domain_name": "app.acme.example.co.jp",
        "hosted_zone_id": "Z0123456789ABC",
        "log_kms_key_arn": KEY,
    }
    values.update(overrides)
    return EdgeProtectionArgs(**values)


def build(**overrides: object) -> Run:
    def program() -> EdgeProtection:
        provider = aws.Provider("tokyo", region="ap-northeast-1")
        return EdgeProtection(
            "acme-prod-edge", args(**overrides), opts=pulumi.ResourceOptions(provider=provider)
        )

    return run(program)


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def rules(result: Run) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in result.one(WEB_ACL).inputs["rules"]}


def ip_set(result: Run, purpose: str) -> Any:
    return next(s for s in result.of_type("aws:wafv2/ipSet:IpSet") if s.tags.get("purpose") == purpose)


def test_every_child_is_parented_and_in_tokyo(default: Run) -> None:
    component = default.one("tenant-zone:edge:EdgeProtection")
    assert_all_under(default, component.urn)
    for resource in default.descendants_of(component.urn):
        if (
            resource.custom
            and not resource.type.startswith("aws:route53")
            and not resource.type.startswith("aws:shield")
        ):
            assert default.region_of(resource) == "ap-northeast-1", resource.name


def test_alb_is_internet_facing_in_the_public_subnets(default: Run) -> None:
    alb = default.one("aws:lb/loadBalancer:LoadBalancer").inputs
    assert alb["internal"] is False
    assert alb["loadBalancerType"] == "application"
    assert alb["subnets"] == ["subnet-a", "subnet-c"]
    assert alb["dropInvalidHeaderFields"] is True
    assert alb["enableDeletionProtection"] is True
    assert "accessLogs" not in alb
    assert alb["securityGroups"] == [default.one("aws:ec2/securityGroup:SecurityGroup").outputs["id"]]


def test_security_group_admits_only_443_and_80_from_anywhere(default: Run) -> None:
    group = default.one("aws:ec2/securityGroup:SecurityGroup").inputs
    assert group["vpcId"] == "vpc-0123"
    ingress = sorted(
        (r["protocol"], r["fromPort"], r["toPort"], tuple(r["cidrBlocks"])) for r in group["ingress"]
    )
    assert ingress == [("tcp", 80, 80, ("0.0.0.0/0",)), ("tcp", 443, 443, ("0.0.0.0/0",))]
    assert [tuple(r["cidrBlocks"]) for r in group["egress"]] == [("10.20.0.0/16",)]


def test_https_listener_uses_tls12_policy_and_validated_certificate(default: Run) -> None:
    listeners = {r.inputs["port"]: r.inputs for r in default.of_type("aws:lb/listener:Listener")}
    https = listeners[443]
    assert https["protocol"] == "HTTPS"
    assert https["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    certificate = default.one("aws:acm/certificate:Certificate")
    assert certificate.inputs["domainName"] == "app.acme.example.co.jp"
    assert certificate.inputs["validationMethod"] == "DNS"
    assert https["certificateArn"] == certificate.outputs["arn"]
    validation = default.one("aws:acm/certificateValidation:CertificateValidation")
    assert (
        validation.urn
        in default.by_urn(
            next(r.urn for r in default.of_type("aws:lb/listener:Listener") if r.inputs["port"] == 443)
        ).dependencies
    )
    record = default.named("acme-prod-edge-certificate-validation-record").inputs
    option = certificate.outputs["domainValidationOptions"][0]
    assert (record["name"], record["type"], record["records"]) == (
        option["resourceRecordName"],
        option["resourceRecordType"],
        [option["resourceRecordValue"]],
    )
    assert validation.inputs["validationRecordFqdns"] == [record["name"].rstrip(".")]


def test_http_listener_only_redirects(default: Run) -> None:
    http = next(r.inputs for r in default.of_type("aws:lb/listener:Listener") if r.inputs["port"] == 80)
    assert http["protocol"] == "HTTP"
    assert http["defaultActions"] == [
        {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}
    ]


def test_alias_record_points_at_the_alb(default: Run) -> None:
    alias = default.named("acme-prod-edge-alias").inputs
    alb = default.one("aws:lb/loadBalancer:LoadBalancer").outputs
    assert alias["name"] == "app.acme.example.co.jp" and alias["type"] == "A"
    assert alias["zoneId"] == "Z0123456789ABC"
    assert alias["aliases"] == [
        {"name": alb["dnsName"], "zoneId": alb["zoneId"], "evaluateTargetHealth": True}
    ]


def test_default_web_acl_rules(default: Run) -> None:
    acl = default.one(WEB_ACL).inputs
    assert acl["scope"] == "REGIONAL"
    assert acl["defaultAction"] == {"allow": {}}
    assert acl["visibilityConfig"]["cloudwatchMetricsEnabled"] is True
    found = rules(default)
    assert [r["name"] for r in sorted(found.values(), key=lambda r: r["priority"])] == [
        "deny-list",
        "geo-restrict",
        "rate-limit",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ]
    allow_arn, deny_arn = (
        ip_set(default, "allow-list").outputs["arn"],
        ip_set(default, "deny-list").outputs["arn"],
    )
    assert found["deny-list"]["action"] == {"block": {}}
    assert found["deny-list"]["statement"] == {"ipSetReferenceStatement": {"arn": deny_arn}}
    assert found["geo-restrict"]["action"] == {"block": {}}
    assert found["geo-restrict"]["statement"] == {
        "andStatement": {
            "statements": [
                {"notStatement": {"statement": {"geoMatchStatement": {"countryCodes": ["JP"]}}}},
                {"notStatement": {"statement": {"ipSetReferenceStatement": {"arn": allow_arn}}}},
            ]
        }
    }
    assert found["rate-limit"]["statement"]["rateBasedStatement"]["limit"] == 2000
    assert found["rate-limit"]["statement"]["rateBasedStatement"]["aggregateKeyType"] == "IP"
    for group in (
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ):
        assert found[group]["statement"] == {
            "managedRuleGroupStatement": {"name": group, "vendorName": "AWS"}
        }
        assert found[group]["overrideAction"] == {"none": {}}
    for rule in found.values():
        assert rule["visibilityConfig"]["metricName"] == f"acme-prod-edge-{rule['name']}"


def test_ip_sets_are_tagged_and_default_empty(default: Run) -> None:
    for purpose in ("allow-list", "deny-list"):
        ip = ip_set(default, purpose).inputs
        assert ip["scope"] == "REGIONAL" and ip["ipAddressVersion"] == "IPV4"
        assert ip["addresses"] == []


def test_allowed_cidrs_add_an_allow_only_rule() -> None:
    result = build(allowed_cidrs=["203.0.113.0/24", "198.51.100.7/32"], blocked_cidrs=["192.0.2.0/24"])
    found = rules(result)
    allow_arn = ip_set(result, "allow-list").outputs["arn"]
    assert found["allow-only"]["priority"] == 1
    assert found["allow-only"]["action"] == {"block": {}}
    assert found["allow-only"]["statement"] == {
        "notStatement": {"statement": {"ipSetReferenceStatement": {"arn": allow_arn}}}
    }
    assert found["deny-list"]["priority"] == 0  # a blocked address stays blocked even inside an allowed range
    assert ip_set(result, "allow-list").inputs["addresses"] == ["203.0.113.0/24", "198.51.100.7/32"]
    assert ip_set(result, "deny-list").inputs["addresses"] == ["192.0.2.0/24"]


def test_allowed_countries_and_rate_limit_are_reflected() -> None:
    result = build(allowed_countries=["JP", "KR"], rate_limit=500)
    geo = rules(result)["geo-restrict"]["statement"]["andStatement"]["statements"][0]
    assert geo == {"notStatement": {"statement": {"geoMatchStatement": {"countryCodes": ["JP", "KR"]}}}}
    assert rules(result)["rate-limit"]["statement"]["rateBasedStatement"]["limit"] == 500


def test_association_and_encrypted_logging_kept_a_year(default: Run) -> None:
    acl = default.one(WEB_ACL)
    association = default.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    assert association == {
        "resourceArn": default.one("aws:lb/loadBalancer:LoadBalancer").outputs["arn"],
        "webAclArn": acl.outputs["arn"],
    }
    group = default.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["name"] == "aws-waf-logs-acme-prod-edge"
    assert group.inputs["retentionInDays"] == 400
    assert group.inputs["kmsKeyId"] == KEY
    logging = default.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs
    assert logging["resourceArn"] == acl.outputs["arn"]
    assert logging["logDestinationConfigs"] == [group.outputs["arn"]]
    assert [f["singleHeader"]["name"] for f in logging["redactedFields"]] == ["authorization", "cookie"]


def test_shield_advanced_protects_the_alb_by_default(default: Run) -> None:
    alb_arn = default.one("aws:lb/loadBalancer:LoadBalancer").outputs["arn"]
    assert default.one("aws:shield/protection:Protection").inputs["resourceArn"] == alb_arn
    response = default.one("aws:shield/applicationLayerAutomaticResponse:ApplicationLayerAutomaticResponse")
    assert response.inputs == {"resourceArn": alb_arn, "action": "BLOCK"}
    assert default.one("aws:wafv2/webAclAssociation:WebAclAssociation").urn in response.dependencies


def test_shield_advanced_false_means_no_protection() -> None:
    result = build(shield_advanced=False)
    assert result.of_type("aws:shield/protection:Protection") == []
    assert (
        result.of_type("aws:shield/applicationLayerAutomaticResponse:ApplicationLayerAutomaticResponse") == []
    )


def test_access_logs_and_deletion_protection_inputs() -> None:
    result = build(access_logs_bucket="acme-alb-logs", deletion_protection=False)
    alb = result.one("aws:lb/loadBalancer:LoadBalancer").inputs
    assert alb["accessLogs"] == {"bucket": "acme-alb-logs", "enabled": True, "prefix": "acme-prod-edge"}
    assert alb["enableDeletionProtection"] is False
    prefixed = build(access_logs_bucket="acme-alb-logs", access_logs_prefix="acme-prod")
    assert prefixed.one("aws:lb/loadBalancer:LoadBalancer").inputs["accessLogs"]["prefix"] == "acme-prod"


PREFIX = "EdgeProtection acme-prod-edge: "


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"allowed_cidrs": ["203.0.113.0/24", "10.0.0.1/8"]},
            (
                "allowed_cidrs[1] = '10.0.0.1/8' is not a CIDR block with its host bits zero; expected IPv4"
                " CIDRs such as 203.0.113.0/24 (a single address is 203.0.113.10/32). [EDGE-04]"
            ),
        ),
        (
            {"blocked_cidrs": ["2001:db8::/32"]},
            (
                "blocked_cidrs[0] = '2001:db8::/32' is an IPv6 range; expected IPv4 CIDRs (the entry point is"
                " IPv4 only). [EDGE-01]"
            ),
        ),
        (
            {"allowed_cidrs": ["0.0.0.0/0"]},
            (
                "allowed_cidrs[0] = '0.0.0.0/0' matches every address; expected prefixes /1 to /32 (WAF"
                " rejects /0; leave the list empty instead). [EDGE-04]"
            ),
        ),
        (
            {"blocked_cidrs": ["192.0.2.0/24", "192.0.2.0/24"]},
            "blocked_cidrs[1] = '192.0.2.0/24' is listed twice; expected each range once. [EDGE-01]",
        ),
        (
            {"rate_limit": 5},
            (
                "rate_limit = 5 is outside WAF's range; expected requests per 5 minutes per IP between 10 and"
                " 2000000000. [EDGE-01]"
            ),
        ),
        (
            {"rate_limit": 3_000_000_000},
            (
                "rate_limit = 3000000000 is outside WAF's range; expected requests per 5 minutes per IP"
                " between 10 and 2000000000. [EDGE-01]"
            ),
        ),
        (
            {"allowed_countries": []},
            "allowed_countries is empty; expected at least JP (ISO 3166-1 alpha-2 codes). [EDGE-02]",
        ),
        (
            {"allowed_countries": ["jp"]},
            (
                "allowed_countries[0] = 'jp' is not a country code; expected upper-case ISO 3166-1 alpha-2"
                " codes such as JP. [EDGE-02]"
            ),
        ),
        (
            {"log_retention_days": 180},
            (
                "log_retention_days = 180 is not a CloudWatch retention of at least 365 days; expected one of"
                " 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. [LOG-02]"
            ),
        ),
        (
            {"log_retention_days": 370},
            (
                "log_retention_days = 370 is not a CloudWatch retention of at least 365 days; expected one of"
                " 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. [LOG-02]"
            ),
        ),
        (
            {"ssl_policy": "ELBSecurityPolicy-2016-08"},
            (
                "ssl_policy = 'ELBSecurityPolicy-2016-08' is not a TLS 1.2+ ELB security policy; expected a"
                " policy without TLS 1.0/1.1 such as ELBSecurityPolicy-TLS13-1-2-2021-06. [ENC-03]"
            ),
        ),
        (
            {"domain_name": "App.Example.com"},
            (
                "domain_name = 'App.Example.com' is not a lowercase DNS name; expected the public host name,"
                " e.g. app.acme.example.co.jp. [ENC-03]"
            ),
        ),
        (
            {"access_logs_prefix": "acme/AWSLogs"},
            (
                "access_logs_prefix = 'acme/AWSLogs' is not a prefix ELB accepts; expected a non-empty prefix"
                " without 'AWSLogs' and without a leading slash, such as the stack's name. [LOG-06]"
            ),
        ),
        (
            {"vpc_cidr": "10.20.0.0/33"},
            (
                "vpc_cidr = '10.20.0.0/33' is not an IPv4 CIDR; expected the VPC's CIDR, e.g. 10.20.0.0/16."
                " [NET-02]"
            ),
        ),
    ],
)
def test_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_edge_args("acme-prod-edge", args(**overrides))
    assert str(caught.value) == PREFIX + message


def test_the_component_runs_the_validation() -> None:
    with pytest.raises(ComponentInputError, match=r"rate_limit = 5 is outside WAF's range"):
        build(rate_limit=5)


@pytest.mark.parametrize(
    "policy",
    [
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    ],  # fmt: skip
)
def test_tls12_policies_are_accepted(policy: str) -> None:
    validate_edge_args("x", args(ssl_policy=policy))


def test_validate_cidrs_normalises() -> None:
    assert validate_cidrs("x", "allowed_cidrs", ["203.0.113.7/32", "198.51.100.0/24"], "EDGE-04") == [
        "203.0.113.7/32",
        "198.51.100.0/24",
    ]


ARCHIVE_WAF_BUCKET = "arn:aws:s3:::aws-waf-logs-log-delivery-1a2b"
ARCHIVE_KEY = "arn:aws:kms:ap-northeast-1:222222222222:key/delivery"
TENANT_ACCOUNT = "333333333333"


@pytest.fixture(scope="module")
def archived() -> Run:
    return build(
        waf_log_bucket_arn=ARCHIVE_WAF_BUCKET, waf_log_kms_key_arn=ARCHIVE_KEY, account_id=TENANT_ACCOUNT
    )


def test_waf_logs_reach_the_archive_bucket_through_an_encrypted_firehose_stream(archived: Run) -> None:
    stream = archived.one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
    assert stream.inputs["name"] == "aws-waf-logs-acme-prod-edge"
    assert stream.inputs["serverSideEncryption"] == {"enabled": True, "keyType": "AWS_OWNED_CMK"}
    s3 = stream.inputs["extendedS3Configuration"]
    role = archived.one("aws:iam/role:Role")
    assert s3["bucketArn"] == ARCHIVE_WAF_BUCKET and s3["kmsKeyArn"] == ARCHIVE_KEY
    assert s3["roleArn"] == role.outputs["arn"]
    assert s3["prefix"] == f"AWSLogs/{TENANT_ACCOUNT}/WAFLogs/"
    logging = archived.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs
    assert logging["logDestinationConfigs"] == [stream.outputs["arn"]]
    # One destination per web ACL: the archive replaces the tenant's log group.
    assert archived.of_type("aws:cloudwatch/logGroup:LogGroup") == []


def test_the_delivery_role_is_firehose_only_and_writes_under_its_account_prefix(archived: Run) -> None:
    role = archived.one("aws:iam/role:Role")
    assert role.inputs["path"] == "/tenant-zone/service/"
    assert role.name == "acme-prod-edge-waf-log-delivery"
    [trust] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "firehose.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": TENANT_ACCOUNT}}
    s3, kms = json.loads(archived.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])["Statement"]
    assert s3["Resource"] == [ARCHIVE_WAF_BUCKET, f"{ARCHIVE_WAF_BUCKET}/AWSLogs/{TENANT_ACCOUNT}/*"]
    assert "s3:DeleteObject" not in s3["Action"]
    assert kms["Resource"] == ARCHIVE_KEY
    # the archive bucket uses an S3 Bucket Key: S3 sends the bucket's ARN as the encryption context
    assert kms["Condition"] == {
        "StringEquals": {
            "kms:ViaService": "s3.ap-northeast-1.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": ARCHIVE_WAF_BUCKET,
        }
    }


def test_an_archive_bucket_needs_its_key_and_the_account() -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_edge_args("acme-prod-edge", args(waf_log_bucket_arn=ARCHIVE_WAF_BUCKET))
    assert str(caught.value) == PREFIX + (
        "waf_log_bucket_arn is set without waf_log_kms_key_arn and account_id; expected all three, so that"
        " the delivery stream's role may write and encrypt in the log archive. [LOG-02]"
    )
