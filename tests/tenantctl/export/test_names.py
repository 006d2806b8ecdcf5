"""The Pulumi-to-Terraform name data: generated from the Terraform provider's own schema (the cdktf jsii
assembly) and the installed pulumi_aws; every `aws:` resource token is either mapped or listed as unmapped."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import pulumi_aws
import pytest

from tenantctl.export.names import attribute, convert, names, snake, terraform_type


def sdk_tokens() -> set[str]:
    text = Path(pulumi_aws.__file__).read_text(encoding="utf-8")
    registry = re.search(r'resource_modules="""(.*?)"""', text, re.S)
    assert registry is not None
    return {token for module in json.loads(registry.group(1)) for token in module["classes"]}


def test_every_resource_token_of_the_installed_provider_is_mapped_or_reported() -> None:
    data = names()
    tokens = sdk_tokens()
    assert len(tokens) > 1500
    assert set(data.resources) | set(data.unmapped) == tokens
    assert not set(data.resources) & set(data.unmapped)
    assert all(reason for reason in data.unmapped.values())
    assert len(data.resources) / len(tokens) > 0.85


def test_the_data_names_its_sources() -> None:
    sources = names().sources
    assert sources["pulumi_aws"] == version("pulumi_aws")
    assert sources["terraform_provider"] == "hashicorp/aws 6.25.0"
    assert sources["from"].startswith("@cdktf/provider-aws ")


def test_every_mapped_type_has_its_schema() -> None:
    data = names()
    assert set(data.resources.values()) == set(data.schemas)


@pytest.mark.parametrize(
    "token, terraform",
    [
        ("aws:s3/bucket:Bucket", "aws_s3_bucket"),
        ("aws:s3/bucketV2:BucketV2", "aws_s3_bucket"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws_s3_bucket_public_access_block"),
        ("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "aws_s3_bucket_replication_configuration"),
        ("aws:ec2/vpc:Vpc", "aws_vpc"),
        ("aws:ec2/instance:Instance", "aws_instance"),
        ("aws:ec2/securityGroup:SecurityGroup", "aws_security_group"),
        ("aws:ec2/flowLog:FlowLog", "aws_flow_log"),
        ("aws:rds/instance:Instance", "aws_db_instance"),
        ("aws:rds/subnetGroup:SubnetGroup", "aws_db_subnet_group"),
        ("aws:rds/cluster:Cluster", "aws_rds_cluster"),
        ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),
        ("aws:lb/loadBalancer:LoadBalancer", "aws_lb"),
        ("aws:alb/loadBalancer:LoadBalancer", "aws_alb"),
        ("aws:apigateway/domainName:DomainName", "aws_api_gateway_domain_name"),
        ("aws:apigatewayv2/domainName:DomainName", "aws_apigatewayv2_domain_name"),
        ("aws:cfg/recorder:Recorder", "aws_config_configuration_recorder"),
        ("aws:lambda/functionUrl:FunctionUrl", "aws_lambda_function_url"),
        ("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group"),
        ("aws:wafv2/webAcl:WebAcl", "aws_wafv2_web_acl"),
        ("aws:servicediscovery/instance:Instance", "aws_service_discovery_instance"),
    ],
)
def test_known_names(token: str, terraform: str) -> None:
    assert terraform_type(token) == terraform


def test_a_token_without_terraform_type_is_none() -> None:
    assert terraform_type("aws:s3/vectorsVectorBucket:VectorsVectorBucket") is None
    assert "aws:s3/vectorsVectorBucket:VectorsVectorBucket" in names().unmapped
    assert terraform_type("tenant-zone:baseline:TenantBaseline") is None


@pytest.mark.parametrize(
    "pulumi, terraform",
    [
        ("serverSideEncryptionConfiguration", "server_side_encryption_configuration"),
        ("ipv6CidrBlocks", "ipv6_cidr_blocks"),
        ("enableHttp2", "enable_http2"),
        ("kmsKeyARN", "kms_key_arn"),
        ("s3Key", "s3_key"),
    ],
)
def test_snake_case(pulumi: str, terraform: str) -> None:
    assert snake(pulumi) == terraform


def test_plural_list_names_become_terraform_block_names() -> None:
    sse = names().schemas["aws_s3_bucket_server_side_encryption_configuration"]
    assert attribute("rules", sse) == "rule"
    listener = names().schemas["aws_lb_listener"]
    assert attribute("defaultActions", listener) == "default_action"
    policy = names().schemas["aws_wafv2_web_acl"]
    assert attribute("rules", policy) == "rule"


def test_renamed_references_and_names() -> None:
    subscription = names().schemas["aws_sns_topic_subscription"]
    assert attribute("topic", subscription) == "topic_arn"
    function = names().schemas["aws_lambda_function"]
    assert attribute("name", function, "aws_lambda_function") == "function_name"
    assert attribute("noSuchProperty", function, "aws_lambda_function") is None


def test_convert_blocks_maps_and_unmatched() -> None:
    schema = names().schemas["aws_s3_bucket_server_side_encryption_configuration"]
    converted = convert(
        {
            "bucket": "data",
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "k"},
                    "bucketKeyEnabled": True,
                }
            ],
            "madeUp": 1,
        },
        schema,
        "aws_s3_bucket_server_side_encryption_configuration",
    )
    assert converted.values == {
        "bucket": "data",
        "rule": [
            {
                # a block Terraform allows once is still a one-item list in a plan
                "apply_server_side_encryption_by_default": [
                    {"sse_algorithm": "aws:kms", "kms_master_key_id": "k"}
                ],
                "bucket_key_enabled": True,
            }
        ],
        "made_up": 1,
    }
    assert converted.unmatched == ["madeUp"]


def test_map_attributes_keep_their_keys() -> None:
    schema = names().schemas["aws_s3_bucket"]
    converted = convert({"tags": {"Owner": "platform", "costCenter": "42"}}, schema, "aws_s3_bucket")
    assert converted.values == {"tags": {"Owner": "platform", "costCenter": "42"}}


def test_untyped_wafv2_statements_follow_the_bridge_rules() -> None:
    schema = names().schemas["aws_wafv2_web_acl"]
    rule = {
        "name": "geo",
        "priority": 1,
        "action": {"block": {}},
        "statement": {
            "andStatement": {
                "statements": [
                    {"notStatement": {"statement": {"geoMatchStatement": {"countryCodes": ["JP"]}}}},
                    {
                        "managedRuleGroupStatement": {
                            "name": "AWSManagedRulesKnownBadInputsRuleSet",
                            "vendorName": "AWS",
                        }
                    },
                ]
            }
        },
    }
    converted = convert({"rules": [rule]}, schema, "aws_wafv2_web_acl")
    assert converted.unmatched == []
    assert converted.values["rule"][0]["statement"] == [
        {
            "and_statement": [
                {
                    "statement": [
                        {
                            "not_statement": [
                                {"statement": [{"geo_match_statement": [{"country_codes": ["JP"]}]}]}
                            ]
                        },
                        {
                            "managed_rule_group_statement": [
                                {"name": "AWSManagedRulesKnownBadInputsRuleSet", "vendor_name": "AWS"}
                            ]
                        },
                    ]
                }
            ]
        }
    ]
