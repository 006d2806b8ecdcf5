"""Compliant baselines for the network and edge rules, built as raw programs would write them.

IDs and ARNs are literal (as a raw program or the synth's mock outputs give them),
so the rules' literal linking is exercised; a few links use property
dependencies instead, as our components' outputs produce. Tests change one field
with ``patched`` and compare exact messages.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

from policies.framework import ProviderView, ResourceView, StackView
from tests.rulekit import STACK, resource, stack, urn

ACCOUNT = "111111111111"
OTHER_ACCOUNT = "222222222222"
REGION = "ap-northeast-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole"

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ROUTE = "aws:ec2/route:Route"
RTA = "aws:ec2/routeTableAssociation:RouteTableAssociation"
IGW = "aws:ec2/internetGateway:InternetGateway"
NAT = "aws:ec2/natGateway:NatGateway"
EIP = "aws:ec2/eip:Eip"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LB = "aws:lb/loadBalancer:LoadBalancer"
ALB_LB = "aws:alb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
ALB_LISTENER = "aws:alb/listener:Listener"
LISTENER_RULE = "aws:lb/listenerRule:ListenerRule"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
IP_SET = "aws:wafv2/ipSet:IpSet"
ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
PROTECTION = "aws:shield/protection:Protection"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
KMS_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SECURITY_HEADERS_POLICY = "67f7725c-6f97-4210-82d7-5512b31e9d03"

AZS = ("ap-northeast-1a", "ap-northeast-1c")
SUFFIX = {"ap-northeast-1a": "a", "ap-northeast-1c": "c"}


def arn(service: str, rest: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{rest}"


def patched(view: ResourceView, *, drop: Iterable[str] = (), **props: Any) -> ResourceView:
    """The same resource with some props replaced (``None`` removes one) or dropped."""
    raw = dict(view.props)
    for key in drop:
        raw.pop(key, None)
    for key, value in props.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return dataclasses.replace(view, props=raw)


def linked(view: ResourceView, prop: str, *targets: ResourceView) -> ResourceView:
    """The resource with ``prop`` depending on ``targets``, as passing their outputs produces."""
    deps = {**view.property_dependencies, prop: tuple(t.urn for t in targets)}
    return dataclasses.replace(view, property_dependencies=deps)


def on_provider(view: ResourceView, **props: Any) -> ResourceView:
    """The resource with more provider inputs."""
    assert view.provider is not None
    provider = ProviderView(
        view.provider.type, view.provider.urn, view.provider.name, {**view.provider.props, **props}
    )
    return dataclasses.replace(view, provider=provider)


def assumed(view: ResourceView, account: str = ACCOUNT) -> ResourceView:
    """The resource on a provider that assumes the tenant role (props JSON-encoded, as the SDK sends them)."""
    roles = json.dumps([{"roleArn": f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"}])
    return on_provider(view, assumeRoles=roles)


def tags(zone: str | None = None, **extra: str) -> dict[str, str]:
    found = {
        "tenant": "acme",
        "environment": "prod",
        "data-classification": "internal",
        "managed-by": "tenant-zone",
    }
    if zone is not None:
        found["zone"] = zone
    found.update(extra)
    return found


def build(
    views: Mapping[str, ResourceView] | Iterable[ResourceView], *extra: ResourceView, name: str = STACK
) -> StackView:
    items = list(views.values()) if isinstance(views, Mapping) else list(views)
    return stack(*items, *extra, name=name)


def network(
    prefix: str = "", cidr: str = "10.0.0.0/16", *, stack_name: str = STACK, region: str = REGION
) -> dict[str, ResourceView]:
    """A compliant three-zone VPC in two AZs: public subnets behind an IGW, a NAT per AZ for the private
    subnets, isolated data subnets, endpoints, an empty default security group and an encrypted flow log."""
    p = prefix
    v: dict[str, ResourceView] = {}

    def add(kind: str, name: str, props: dict[str, Any], **kw: Any) -> ResourceView:
        kw.setdefault("region", region)
        view = resource(kind, f"{p}{name}", props, stack=stack_name, **kw)
        v[name] = view
        return view

    vpc_id = f"vpc-{p}1"
    add(
        VPC,
        "vpc",
        {
            "cidrBlock": cidr,
            "id": vpc_id,
            "arn": arn("ec2", f"vpc/{vpc_id}", region),
            "defaultSecurityGroupId": f"sg-{p}default",
            "defaultRouteTableId": f"rtb-{p}main",
            "tags": tags(),
        },
    )
    add(IGW, "igw", {"vpcId": vpc_id, "id": f"igw-{p}1"})
    add(
        ROUTE_TABLE,
        "rt-public",
        {
            "vpcId": vpc_id,
            "id": f"rtb-{p}public",
            "routes": [{"cidrBlock": "0.0.0.0/0", "gatewayId": f"igw-{p}1"}],
        },
    )
    add(ROUTE_TABLE, "rt-data", {"vpcId": vpc_id, "id": f"rtb-{p}data"})
    for az in AZS:
        s = SUFFIX[az]
        for zone, cidr_index in (("public", 0), ("private", 10), ("isolated", 20)):
            name = {"public": "public", "private": "app", "isolated": "data"}[zone]
            third = cidr_index + (0 if s == "a" else 1)
            base = cidr.split(".")
            add(
                SUBNET,
                f"{name}-{s}",
                {
                    "vpcId": vpc_id,
                    "id": f"subnet-{p}{name}-{s}",
                    "availabilityZone": az,
                    "cidrBlock": f"{base[0]}.{base[1]}.{third}.0/24",
                    "mapPublicIpOnLaunch": False,
                    "tags": tags(zone),
                },
            )
        add(
            EIP,
            f"nat-eip-{s}",
            {
                "domain": "vpc",
                "id": f"eipalloc-{p}{s}",
                "allocationId": f"eipalloc-{p}{s}",
                "arn": arn("ec2", f"elastic-ip/eipalloc-{p}{s}", region),
            },
        )
        # Shield protects every Elastic IP (EDGE-03), NAT gateways' included.
        add(
            PROTECTION,
            f"nat-eip-{s}-shield",
            {"name": f"{p}nat-{s}", "resourceArn": arn("ec2", f"eip-allocation/eipalloc-{p}{s}", region)},
            region="us-east-1",
        )
        add(
            NAT,
            f"nat-{s}",
            {"subnetId": f"subnet-{p}public-{s}", "allocationId": f"eipalloc-{p}{s}", "id": f"nat-{p}{s}"},
        )
        add(ROUTE_TABLE, f"rt-app-{s}", {"vpcId": vpc_id, "id": f"rtb-{p}app-{s}"})
        add(
            ROUTE,
            f"rt-app-{s}-default",
            {
                "routeTableId": f"rtb-{p}app-{s}",
                "destinationCidrBlock": "0.0.0.0/0",
                "natGatewayId": f"nat-{p}{s}",
            },
        )
        for name, table in (("public", "public"), ("app", f"app-{s}"), ("data", "data")):
            add(
                RTA,
                f"rta-{name}-{s}",
                {"subnetId": f"subnet-{p}{name}-{s}", "routeTableId": f"rtb-{p}{table}"},
            )
    for service, kind in (
        ("s3", "Gateway"),
        ("dynamodb", "Gateway"),
        ("kms", "Interface"),
        ("sts", "Interface"),
        ("logs", "Interface"),
    ):
        props: dict[str, Any] = {
            "vpcId": vpc_id,
            "serviceName": f"com.amazonaws.{region}.{service}",
            "vpcEndpointType": kind,
        }
        if kind == "Interface":
            props["privateDnsEnabled"] = True
        add(ENDPOINT, f"endpoint-{service}", props)
    # Linked through a property dependency, as `vpc_id=vpc.id` in a component produces.
    add(DEFAULT_SG, "default-sg", {"vpcId": vpc_id}, prop_deps={"vpcId": [v["vpc"].urn]})
    group_name = f"/aws/vpc/{p}flow-logs"
    add(
        LOG_GROUP,
        "flow-logs",
        {
            "name": group_name,
            "kmsKeyId": KMS_KEY_ARN,
            "retentionInDays": 365,
            "arn": arn("logs", f"log-group:{group_name}", region),
        },
    )
    add(
        FLOW_LOG,
        "flow-log",
        {
            "vpcId": vpc_id,
            "trafficType": "ALL",
            "logDestinationType": "cloud-watch-logs",
            "logDestination": arn("logs", f"log-group:{group_name}", region),
        },
    )
    return v


ACL_ARN = "arn:aws:wafv2:ap-northeast-1:111111111111:regional/webacl/acme/abc"
ALLOW_ARN = "arn:aws:wafv2:ap-northeast-1:111111111111:regional/ipset/acme-allow/a1"
DENY_ARN = "arn:aws:wafv2:ap-northeast-1:111111111111:regional/ipset/acme-deny/d1"


def managed(name: str, priority: int, override: str = "none") -> dict[str, Any]:
    return {
        "name": name,
        "priority": priority,
        "overrideAction": {override: {}},
        "statement": {"managedRuleGroupStatement": {"vendorName": "AWS", "name": name}},
        "visibilityConfig": {
            "metricName": name,
            "cloudwatchMetricsEnabled": True,
            "sampledRequestsEnabled": True,
        },
    }


def geo_rule(countries: list[str] | None = None, action: str = "block", priority: int = 1) -> dict[str, Any]:
    return {
        "name": "japan-only",
        "priority": priority,
        "action": {action: {}},
        "statement": {
            "andStatement": {
                "statements": [
                    {
                        "notStatement": {
                            "statement": {"geoMatchStatement": {"countryCodes": countries or ["JP"]}}
                        }
                    },
                    {"notStatement": {"statement": {"ipSetReferenceStatement": {"arn": ALLOW_ARN}}}},
                ]
            }
        },
    }


def acl_rules() -> list[dict[str, Any]]:
    return [
        {
            "name": "deny-list",
            "priority": 0,
            "action": {"block": {}},
            "statement": {"ipSetReferenceStatement": {"arn": DENY_ARN}},
        },
        geo_rule(),
        {
            "name": "rate-limit",
            "priority": 2,
            "action": {"block": {}},
            "statement": {"rateBasedStatement": {"limit": 2000, "aggregateKeyType": "IP"}},
        },
        managed("AWSManagedRulesCommonRuleSet", 10),
        managed("AWSManagedRulesSQLiRuleSet", 11),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 12),
    ]


def web_acl(rules: list[dict[str, Any]] | None = None, **props: Any) -> ResourceView:
    base = {
        "name": "acme",
        "scope": "REGIONAL",
        "defaultAction": {"allow": {}},
        "rules": acl_rules() if rules is None else rules,
        "arn": ACL_ARN,
        "id": "abc",
    }
    base.update(props)
    return resource(WEB_ACL, "acl", base)


def edge() -> dict[str, ResourceView]:
    """A compliant REGIONAL edge: IP sets, web ACL, its logging, an internet-facing ALB with an HTTPS
    listener and an HTTP redirect, the association and the Shield protection."""
    v: dict[str, ResourceView] = {}
    v["allow"] = resource(
        IP_SET,
        "allow",
        {
            "name": "acme-allow",
            "scope": "REGIONAL",
            "ipAddressVersion": "IPV4",
            "addresses": [],
            "arn": ALLOW_ARN,
            "tags": tags(purpose="allow-list"),
        },
    )
    v["deny"] = resource(
        IP_SET,
        "deny",
        {
            "name": "acme-deny",
            "scope": "REGIONAL",
            "ipAddressVersion": "IPV4",
            "addresses": ["198.51.100.0/24"],
            "arn": DENY_ARN,
            "tags": tags(purpose="deny-list"),
        },
    )
    v["acl"] = web_acl()
    waf_group = "aws-waf-logs-acme"
    v["waf-logs"] = resource(
        LOG_GROUP,
        "waf-logs",
        {
            "name": waf_group,
            "kmsKeyId": KMS_KEY_ARN,
            "retentionInDays": 400,
            "arn": arn("logs", f"log-group:{waf_group}"),
        },
    )
    v["waf-logging"] = resource(
        WAF_LOGGING,
        "waf-logging",
        {"resourceArn": ACL_ARN, "logDestinationConfigs": [arn("logs", f"log-group:{waf_group}")]},
    )
    lb_arn = arn("elasticloadbalancing", "loadbalancer/app/acme/1")
    v["lb-sg"] = resource(
        SG,
        "lb-sg",
        {
            "id": "sg-lb",
            "vpcId": "vpc-1",
            "ingress": [
                {
                    "protocol": "tcp",
                    "fromPort": 443,
                    "toPort": 443,
                    "cidrBlocks": ["0.0.0.0/0"],
                    "ipv6CidrBlocks": ["::/0"],
                },
                {"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]},
            ],
        },
    )
    v["alb"] = resource(
        LB,
        "alb",
        {
            "loadBalancerType": "application",
            "internal": False,
            "arn": lb_arn,
            "securityGroups": ["sg-lb"],
            "subnets": ["subnet-public-a", "subnet-public-c"],
        },
    )
    v["https"] = resource(
        LISTENER,
        "https",
        {
            "loadBalancerArn": lb_arn,
            "protocol": "HTTPS",
            "port": 443,
            "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "certificateArn": arn("acm", "certificate/x"),
            "defaultActions": [{"type": "forward", "targetGroupArn": "tg"}],
        },
    )
    v["http"] = resource(
        LISTENER,
        "http",
        {
            "loadBalancerArn": lb_arn,
            "protocol": "HTTP",
            "port": 80,
            "defaultActions": [
                {
                    "type": "redirect",
                    "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"},
                }
            ],
        },
    )
    v["association"] = resource(ASSOCIATION, "alb-waf", {"resourceArn": lb_arn, "webAclArn": ACL_ARN})
    v["alb-shield"] = resource(
        PROTECTION, "alb-shield", {"name": "alb", "resourceArn": lb_arn}, region="us-east-1"
    )
    return v


def urn_of(kind: str, name: str, stack_name: str = STACK) -> str:
    return urn(kind, name, stack_name)
