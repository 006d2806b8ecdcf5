"""Generate ``tenantctl/export/data/terraform_aws.json``: Pulumi AWS token -> Terraform type and schema.

Build-time only (never imported by tenantctl). Two real sources, no hand-typed schema:

- the Terraform AWS provider's names and block structure, from the jsii assembly shipped in the
  ``cdktf-cdktf-provider-aws`` wheel (generated from hashicorp/aws; its version is recorded in the output);
- every resource token of the installed ``pulumi_aws`` SDK, from the module registry in its ``__init__.py``.

A token is matched to a Terraform type by the bridge's naming convention (``aws:<module>/<x>:<Name>`` is
``aws_<module>_<snake Name>``), then by the Terraform prefixes a module is known to use, then by the
exceptions below. A token matching nothing (mostly resources newer than the Terraform provider version of
the wheel) is written to ``unmapped`` so the export reports it instead of dropping it.

Usage::

    pip download --no-deps cdktf-cdktf-provider-aws==21.22.1 -d /tmp/cdktf
    uv run --frozen python tools/gen/terraform_names.py \
        /tmp/cdktf/cdktf_cdktf_provider_aws-21.22.1-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tenantctl" / "export" / "data" / "terraform_aws.json"

# Pulumi modules whose Terraform types carry another prefix, or none (the bridge's module table:
# pulumi-aws provider/resources.go). ``""`` means the Terraform type has no service prefix (aws_vpc).
MODULE_PREFIXES: dict[str, tuple[str, ...]] = {
    "ec2": ("",),
    "elb": ("",),
    "rds": ("db",),
    "cfg": ("config", "config_configuration"),
    "apigateway": ("api_gateway",),
    "amp": ("prometheus",),
    "costexplorer": ("ce",),
    "directconnect": ("dx",),
    "directoryservice": ("directory_service",),
    "elasticbeanstalk": ("elastic_beanstalk",),
    "ec2clientvpn": ("ec2_client_vpn",),
    "ec2transitgateway": ("ec2_transit_gateway",),
    "servicediscovery": ("service_discovery",),
    "cloudhsmv2": ("cloudhsm_v2",),
    "bedrock": ("bedrockagent", "bedrockagentcore"),
    "bedrockmodel": ("bedrock_model",),
    "chime": ("chimesdkvoice",),
    "macie": ("macie2",),
    "mediapackage": ("media_package",),
    "mediastore": ("media_store",),
    "mediaconvert": ("media_convert",),
    "route53recoverycontrol": ("route53recoverycontrolconfig",),
    "servicecatalog": ("servicecatalogappregistry",),
    "lex": ("lexv2models",),
    "resourceexplorer": ("resourceexplorer2",),
    "cloudcontrol": ("cloudcontrolapi",),
    "opensearch": ("opensearchserverless",),
    "opensearchingest": ("osis",),
    "pinpoint": ("pinpointsmsvoicev2",),
    "appconfig": ("appintegrations",),
    "bcmdata": ("bcmdataexports",),
    "controltower": ("controltower",),
    "licensemanager": ("licensemanager",),
    "route53": ("route53profiles",),
    "cloudfront": ("cloudfrontkeyvaluestore",),
    "kinesis": ("kinesis_firehose",),
}

# Tokens whose Terraform name follows no convention (pulumi-aws provider/resources.go and its
# bridge-metadata.json ``renames.resources``; the deprecated ``*V2`` S3 aliases map to the same type).
EXCEPTIONS: dict[str, str] = {
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:alb/loadBalancer:LoadBalancer": "aws_alb",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:elb/loadBalancer:LoadBalancer": "aws_elb",
    "aws:elb/listenerPolicy:ListenerPolicy": "aws_load_balancer_listener_policy",
    "aws:elb/loadBalancerCookieStickinessPolicy:LoadBalancerCookieStickinessPolicy": (
        "aws_lb_cookie_stickiness_policy"
    ),
    "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy": "aws_lb_ssl_negotiation_policy",
    "aws:rds/instance:Instance": "aws_db_instance",
    "aws:rds/clusterSnapshot:ClusterSnapshot": "aws_db_cluster_snapshot",
    "aws:servicediscovery/instance:Instance": "aws_service_discovery_instance",
    "aws:ec2clientvpn/route:Route": "aws_ec2_client_vpn_route",
    "aws:ec2transitgateway/route:Route": "aws_ec2_transit_gateway_route",
    "aws:ec2transitgateway/routeTable:RouteTable": "aws_ec2_transit_gateway_route_table",
    "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation": (
        "aws_ec2_transit_gateway_route_table_association"
    ),
    "aws:ec2transitgateway/transitGateway:TransitGateway": "aws_ec2_transit_gateway",
    "aws:ec2/dedicatedHost:DedicatedHost": "aws_ec2_host",
    "aws:s3/bucketV2:BucketV2": "aws_s3_bucket",
    "aws:s3/bucketObjectv2:BucketObjectv2": "aws_s3_object",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
    "aws:s3/inventory:Inventory": "aws_s3_bucket_inventory",
    "aws:s3/analyticsConfiguration:AnalyticsConfiguration": "aws_s3_bucket_analytics_configuration",
    "aws:s3/bucketAclV2:BucketAclV2": "aws_s3_bucket_acl",
    "aws:s3/bucketAccelerateConfigurationV2:BucketAccelerateConfigurationV2": (
        "aws_s3_bucket_accelerate_configuration"
    ),
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2": "aws_s3_bucket_cors_configuration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": (
        "aws_s3_bucket_lifecycle_configuration"
    ),
    "aws:s3/bucketLoggingV2:BucketLoggingV2": "aws_s3_bucket_logging",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2": (
        "aws_s3_bucket_object_lock_configuration"
    ),
    "aws:s3/bucketRequestPaymentConfigurationV2:BucketRequestPaymentConfigurationV2": (
        "aws_s3_bucket_request_payment_configuration"
    ),
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": (
        "aws_s3_bucket_server_side_encryption_configuration"
    ),
    "aws:s3/bucketVersioningV2:BucketVersioningV2": "aws_s3_bucket_versioning",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2": "aws_s3_bucket_website_configuration",
    "aws:ses/mailFrom:MailFrom": "aws_ses_domain_mail_from",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:iam/sshKey:SshKey": "aws_iam_user_ssh_key",
    "aws:guardduty/iPSet:IPSet": "aws_guardduty_ipset",
    "aws:guardduty/threatIntelSet:ThreatIntelSet": "aws_guardduty_threatintelset",
    "aws:appsync/graphQLApi:GraphQLApi": "aws_appsync_graphql_api",
    "aws:appsync/dataSource:DataSource": "aws_appsync_datasource",
    "aws:autoscaling/tag:Tag": "aws_autoscaling_group_tag",
    "aws:apigateway/response:Response": "aws_api_gateway_gateway_response",
    "aws:codedeploy/application:Application": "aws_codedeploy_app",
    "aws:codepipeline/pipeline:Pipeline": "aws_codepipeline",
    "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": (
        "aws_cognito_identity_pool_roles_attachment"
    ),
    "aws:cfg/rule:Rule": "aws_config_config_rule",
    "aws:cfg/recorder:Recorder": "aws_config_configuration_recorder",
    "aws:cfg/recorderStatus:RecorderStatus": "aws_config_configuration_recorder_status",
    "aws:codeartifact/domainPermissions:DomainPermissions": "aws_codeartifact_domain_permissions_policy",
    "aws:cloudformation/cloudFormationType:CloudFormationType": "aws_cloudformation_type",
    "aws:rds/proxy:Proxy": "aws_db_proxy",
    "aws:sns/dataProtectionPolicy:DataProtectionPolicy": "aws_sns_topic_data_protection_policy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:sqs/redrivePolicy:RedrivePolicy": "aws_sqs_queue_redrive_policy",
    "aws:account/alternativeContact:AlternativeContact": "aws_account_alternate_contact",
}

ANY = "any"
_LINK = re.compile(r"docs/(?:resources|data-sources)/[\w-]+#(\w+) ")
_RESOURCE = re.compile(r"docs/resources/\S+ (aws_\w+)\}")


def snake(name: str) -> str:
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def load_assembly(wheel: Path) -> dict[str, Any]:
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(archive.read(member))) as tar:
            handle = tar.extractfile("package/.jsii")
            assert handle is not None
            return dict(json.load(handle))


def _struct(type_ref: dict[str, Any]) -> tuple[str | None, bool]:
    """The struct fqn a property holds (if any) and whether it is a collection of them."""
    if "fqn" in type_ref:
        return type_ref["fqn"], False
    if "collection" in type_ref:
        element = type_ref["collection"]["elementtype"]
        return (element.get("fqn"), True) if "fqn" in element else (None, True)
    for option in type_ref.get("union", {}).get("types", []):
        fqn, many = _struct(option)
        if fqn and fqn != "cdktf.IResolvable":
            return fqn, many
    return None, False


def schema_of(types: dict[str, Any], fqn: str, depth: int = 0) -> dict[str, Any]:
    """Terraform attribute name -> 0 (a value), ``any`` (untyped nested blocks) or [shape, nested] where shape
    is ``list`` (a list of blocks or objects), ``block`` (a block Terraform allows once; still a one-item list
    in a plan) or
    ``object`` (a nested object attribute)."""
    out: dict[str, Any] = {}
    for prop in types[fqn].get("properties", []):
        docs = prop.get("docs", {})
        text = f"{docs.get('summary', '')} {docs.get('remarks', '')}"
        match = _LINK.search(text)
        if not match:
            continue
        name = match.group(1)
        if name == "timeouts":
            continue
        if prop["type"] == {"primitive": "any"}:
            # A block too deep for the provider schema to type (wafv2 statements): structure free.
            out[name] = ANY
            continue
        struct, many = _struct(prop["type"])
        if struct and struct.startswith("@cdktf/provider-aws.") and depth < 12:
            shape = "list" if many else ("block" if f"{name} block" in docs.get("summary", "") else "object")
            out[name] = [shape, schema_of(types, struct, depth + 1)]
        else:
            out[name] = 0
    return out


def terraform_resources(assembly: dict[str, Any]) -> dict[str, dict[str, Any]]:
    types = assembly["types"]
    resources: dict[str, dict[str, Any]] = {}
    for info in types.values():
        if info.get("base") != "cdktf.TerraformResource":
            continue
        match = _RESOURCE.search(info["initializer"]["docs"]["summary"])
        if not match:
            continue
        config = info["initializer"]["parameters"][-1]["type"]["fqn"]
        resources[match.group(1)] = schema_of(types, config)
    return resources


def pulumi_tokens(sdk_init: Path) -> list[str]:
    match = re.search(r'resource_modules="""(.*?)"""', sdk_init.read_text(encoding="utf-8"), re.S)
    assert match, "no resource module registry in pulumi_aws/__init__.py"
    return sorted(token for module in json.loads(match.group(1)) for token in module["classes"])


def candidates(token: str) -> list[str]:
    _, module_path, name = token.split(":")
    module = module_path.split("/")[0]
    rest = snake(name)
    prefixes = [module, *MODULE_PREFIXES.get(module, ())]
    return [f"aws_{p}_{rest}" if p else f"aws_{rest}" for p in prefixes]


def match_tokens(tokens: list[str], terraform: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    mapped: dict[str, str] = {}
    unmapped: dict[str, str] = {}
    for token in tokens:
        if token in EXCEPTIONS:
            assert EXCEPTIONS[token] in terraform, (
                f"{token}: exception {EXCEPTIONS[token]} is no Terraform type"
            )
            mapped[token] = EXCEPTIONS[token]
            continue
        found = [c for c in candidates(token) if c in terraform]
        if found:
            mapped[token] = found[0]
        else:
            unmapped[token] = "no Terraform AWS resource of that name in the reference provider version"
    return mapped, unmapped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="cdktf-cdktf-provider-aws wheel")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    import pulumi_aws

    assembly = load_assembly(args.wheel)
    terraform = terraform_resources(assembly)
    tokens = pulumi_tokens(Path(pulumi_aws.__file__))
    mapped, unmapped = match_tokens(tokens, set(terraform))
    claimed: dict[str, list[str]] = defaultdict(list)
    for token, tf_type in mapped.items():
        claimed[tf_type].append(token)
    aliases = {tf: toks for tf, toks in claimed.items() if len(toks) > 1}
    for tf_type, toks in aliases.items():
        # Only the deprecated V2 aliases may share a Terraform type with their successor.
        assert sum(not t.split(":")[2].endswith(("V2", "v2")) for t in toks) == 1, (tf_type, toks)
    provider_version = re.search(
        r"hashicorp/aws/([\d.]+)/",
        json.dumps(
            assembly["types"][
                next(
                    iter(
                        f for f, i in assembly["types"].items() if i.get("base") == "cdktf.TerraformResource"
                    )
                )
            ]
        ),
    )
    document = {
        "sources": {
            "pulumi_aws": pulumi_aws_version(),
            "terraform_provider": f"hashicorp/aws {provider_version.group(1) if provider_version else '?'}",
            "from": f"{assembly['name']} {assembly['version']} (jsii assembly)",
        },
        "resources": dict(sorted(mapped.items())),
        "unmapped": dict(sorted(unmapped.items())),
        "schemas": {tf: terraform[tf] for tf in sorted(set(mapped.values()))},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{len(mapped)} tokens mapped, {len(unmapped)} unmapped, {len(terraform)} Terraform types ->"
        f" {args.out}"
    )
    return 0


def pulumi_aws_version() -> str:
    from importlib.metadata import version

    return version("pulumi_aws")


if __name__ == "__main__":
    sys.exit(main())
