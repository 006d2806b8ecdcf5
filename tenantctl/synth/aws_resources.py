"""Outputs of AWS resources under mocks: IDs, ARNs and the attributes programs read downstream.

If a mock leaves out an output another resource uses (``arn``, ``id``,
``dnsName``...), the SDK silently drops that input from the dependent
resource, and the synth would describe a different program. So:

* every ``arn`` is built from the type token (service from the module,
  resource type from the class name), with a table of the types whose ARN
  AWS shapes differently (S3 without region and account, IAM without region,
  log groups with ``:log-group:``, SNS topics by name, ...);
* region and account are the resource's: its own ``region`` input, else its
  provider's; the account of the provider's assumed role, else the management
  account;
* IDs look like AWS's (``vpc-`` + 17 hex, KMS UUIDs or ``mrk-`` keys, 12-digit
  account IDs, ``o-``/``ou-``/``r-``/``p-`` organization IDs) and are hashes of
  the URN;
* names the provider would autoname (``name``, S3 ``bucket``) get
  ``<logical name>-<7 hex>``, as Pulumi does;
* an output is only added when the type has it (read from the SDK), and never
  overrides an input.

In preview mode only what the provider knows at plan time is returned
(autonames, ``tagsAll``, ``region``); IDs and ARNs stay unknown, as in
``pulumi preview`` of a new stack.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tenantctl.synth import ids, wire
from tenantctl.synth.awsenv import ALB_ZONE_IDS, NLB_ZONE_IDS, S3_ZONE_IDS, ProviderEnv, organization_id
from tenantctl.synth.typeinfo import TypeInfo

# Pulumi module -> the service namespace in ARNs.
SERVICE_BY_MODULE: dict[str, str] = {
    "alb": "elasticloadbalancing", "lb": "elasticloadbalancing", "elb": "elasticloadbalancing",
    "cfg": "config", "vpc": "ec2", "ebs": "ec2", "ec2transitgateway": "ec2", "ec2clientvpn": "ec2",
    "sesv2": "ses", "opensearch": "es", "elasticsearch": "es", "cognito": "cognito-idp",
    "apigatewayv2": "apigateway", "appautoscaling": "application-autoscaling", "efs": "elasticfilesystem",
    "sfn": "states", "msk": "kafka", "ssoadmin": "sso", "cloudwatch": "cloudwatch", "emr": "elasticmapreduce",
    "networkfirewall": "network-firewall", "servicecatalog": "catalog", "cloudhsmv2": "cloudhsm",
}  # fmt: skip
# Services whose ARNs carry no region.
GLOBAL_SERVICES = frozenset(
    {"iam", "organizations", "route53", "cloudfront", "shield", "globalaccelerator", "waf"}
)

# Resource types whose AWS ID has a fixed prefix, with the ARN resource type for EC2 ARNs.
EC2_IDS: dict[str, tuple[str, str]] = {
    "aws:ec2/vpc:Vpc": ("vpc", "vpc"),
    "aws:ec2/subnet:Subnet": ("subnet", "subnet"),
    "aws:ec2/securityGroup:SecurityGroup": ("sg", "security-group"),
    "aws:ec2/internetGateway:InternetGateway": ("igw", "internet-gateway"),
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": ("eigw", "egress-only-internet-gateway"),
    "aws:ec2/natGateway:NatGateway": ("nat", "natgateway"),
    "aws:ec2/eip:Eip": ("eipalloc", "elastic-ip"),
    "aws:ec2/routeTable:RouteTable": ("rtb", "route-table"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ("rtbassoc", "route-table-association"),
    "aws:ec2/networkAcl:NetworkAcl": ("acl", "network-acl"),
    "aws:ec2/networkAclAssociation:NetworkAclAssociation": ("aclassoc", "network-acl-association"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("vpce", "vpc-endpoint"),
    "aws:ec2/flowLog:FlowLog": ("fl", "vpc-flow-log"),
    "aws:ec2/launchTemplate:LaunchTemplate": ("lt", "launch-template"),
    "aws:ec2/instance:Instance": ("i", "instance"),
    "aws:ec2/networkInterface:NetworkInterface": ("eni", "network-interface"),
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": ("pcx", "vpc-peering-connection"),
    "aws:ec2/managedPrefixList:ManagedPrefixList": ("pl", "prefix-list"),
    "aws:ec2/vpcDhcpOptions:VpcDhcpOptions": ("dopt", "dhcp-options"),
    "aws:ec2/keyPair:KeyPair": ("key", "key-pair"),
    "aws:ec2/securityGroupRule:SecurityGroupRule": ("sgrule", "security-group-rule"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ("sgr", "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ("sgr", "security-group-rule"),
    "aws:ebs/volume:Volume": ("vol", "volume"),
    "aws:ec2transitgateway/transitGateway:TransitGateway": ("tgw", "transit-gateway"),
}

# Properties the provider autonames, and the longest name it will generate.
NAME_PROPERTY: dict[str, str] = {"aws:s3/bucket:Bucket": "bucket", "aws:s3/bucketV2:BucketV2": "bucket"}
NAME_MAX: dict[str, int] = {
    "aws:s3/bucket:Bucket": 63,
    "aws:lb/loadBalancer:LoadBalancer": 32, "aws:alb/loadBalancer:LoadBalancer": 32,
    "aws:lb/targetGroup:TargetGroup": 32, "aws:alb/targetGroup:TargetGroup": 32, "aws:iam/role:Role": 64,
    "aws:elasticache/cluster:Cluster": 50, "aws:sqs/queue:Queue": 80,
}  # fmt: skip
LOWERCASE_NAMES = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})


@dataclass
class Draft:
    """One resource being mocked: what the program gave and what the mock adds."""

    type: str
    name: str
    urn: str
    inputs: Mapping[str, Any]
    env: ProviderEnv
    region: str | None
    info: TypeInfo
    preview: bool = False
    id: str = ""
    out: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.plain: dict[str, Any] = wire.unwrap(dict(self.inputs))

    @property
    def account(self) -> str:
        return self.env.account

    @property
    def partition(self) -> str:
        return self.env.partition

    @property
    def module(self) -> str:
        parts = self.type.split(":")
        return parts[1].split("/", 1)[0] if len(parts) == 3 else ""

    @property
    def class_name(self) -> str:
        return self.type.rsplit(":", 1)[-1]

    def has(self, prop: str) -> bool:
        """The type has this output (any output when the SDK does not describe the type)."""
        return not self.info.outputs or prop in self.info.outputs

    def put(self, prop: str, value: Any) -> None:
        """Add an output unless the program set it or the type lacks it."""
        if value is not None and prop not in self.inputs and self.has(prop):
            self.out[prop] = value

    def value(self, prop: str) -> Any:
        if prop in self.plain:
            return self.plain[prop]
        return self.out.get(prop)

    def text(self, prop: str) -> str:
        value = self.value(prop)
        return value if isinstance(value, str) else ""

    def hexid(self, length: int, purpose: str = "") -> str:
        return ids.hex_id(self.urn, length, purpose)

    def arn(
        self, service: str, resource: str, *, region: str | None = None, account: str | None = None
    ) -> str:
        in_region = (
            "" if service in GLOBAL_SERVICES else (region if region is not None else (self.region or ""))
        )
        owner = self.account if account is None else account
        return f"arn:{self.partition}:{service}:{in_region}:{owner}:{resource}"

    @property
    def physical_name(self) -> str:
        return self.text(NAME_PROPERTY.get(self.type, "name"))


Shaper = Callable[[Draft], None]
IRREGULAR: dict[str, Shaper] = {}


def irregular(*types: str) -> Callable[[Shaper], Shaper]:
    def register(fn: Shaper) -> Shaper:
        for type_token in types:
            IRREGULAR[type_token] = fn
        return fn

    return register


# Types whose ID and outputs follow from their inputs alone: templates over the inputs (by wire name) and the
# fields of ``_Fields`` ({partition}, {region}, {account}, {name}, {path}, {unique17}, {hex20}, {alnum10}).
# Formats from each service's ARN reference:
# https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
TEMPLATES: dict[str, tuple[str, dict[str, str]]] = {
    "aws:iam/role:Role": ("{name}", {
        "arn": "arn:{partition}:iam::{account}:role{path}{name}", "uniqueId": "AROA{unique17}"}),
    "aws:iam/user:User": ("{name}", {
        "arn": "arn:{partition}:iam::{account}:user{path}{name}", "uniqueId": "AIDA{unique17}"}),
    "aws:iam/group:Group": ("{name}", {
        "arn": "arn:{partition}:iam::{account}:group{path}{name}", "uniqueId": "AGPA{unique17}"}),
    "aws:iam/policy:Policy": ("arn:{partition}:iam::{account}:policy{path}{name}", {
        "arn": "{id}", "policyId": "ANPA{unique17}"}),
    "aws:iam/instanceProfile:InstanceProfile": ("{name}", {
        "arn": "arn:{partition}:iam::{account}:instance-profile{path}{name}", "uniqueId": "AIPA{unique17}"}),
    "aws:iam/rolePolicy:RolePolicy": ("{role}:{name}", {}),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ("{role}-{hex20}", {}),
    "aws:cloudwatch/logGroup:LogGroup": ("{name}", {
        "arn": "arn:{partition}:logs:{region}:{account}:log-group:{name}"}),
    "aws:cloudwatch/eventBus:EventBus": ("{name}", {
        "arn": "arn:{partition}:events:{region}:{account}:event-bus/{name}"}),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("{name}", {
        "arn": "arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"}),
    "aws:sns/topic:Topic": ("arn:{partition}:sns:{region}:{account}:{name}", {
        "arn": "{id}", "owner": "{account}"}),
    "aws:sns/topicPolicy:TopicPolicy": ("{arn}", {}),
    "aws:sqs/queue:Queue": ("https://sqs.{region}.amazonaws.com/{account}/{name}", {
        "url": "{id}", "arn": "arn:{partition}:sqs:{region}:{account}:{name}"}),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (
        "arn:{partition}:firehose:{region}:{account}:deliverystream/{name}", {"arn": "{id}"}),
    "aws:accessanalyzer/analyzer:Analyzer": ("{analyzerName}", {
        "arn": "arn:{partition}:access-analyzer:{region}:{account}:analyzer/{analyzerName}"}),
    "aws:acm/certificateValidation:CertificateValidation": ("{certificateArn}", {}),
    "aws:wafv2/webAclAssociation:WebAclAssociation": ("{webAclArn},{resourceArn}", {}),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": ("{resourceArn}", {}),
    "aws:shield/subscription:Subscription": ("{account}", {}),
    "aws:backup/vault:Vault": ("{name}", {
        "arn": "arn:{partition}:backup:{region}:{account}:backup-vault:{name}"}),
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": ("{backupVaultName}", {
        "backupVaultArn": "arn:{partition}:backup:{region}:{account}:backup-vault:{backupVaultName}"}),
    "aws:backup/vaultPolicy:VaultPolicy": ("{backupVaultName}", {
        "backupVaultArn": "arn:{partition}:backup:{region}:{account}:backup-vault:{backupVaultName}"}),
    "aws:backup/vaultNotifications:VaultNotifications": ("{backupVaultName}", {
        "backupVaultArn": "arn:{partition}:backup:{region}:{account}:backup-vault:{backupVaultName}"}),
    "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount": ("{adminAccountId}", {}),
    "aws:guardduty/detectorFeature:DetectorFeature": ("{detectorId}/{name}", {}),
    "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount": ("{adminAccountId}", {}),
    "aws:ses/mailFrom:MailFrom": ("{domain}", {}),
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": ("{emailIdentity}", {}),
    "aws:ssm/patchGroup:PatchGroup": ("{patchGroup},{baselineId}", {}),
    "aws:ssm/maintenanceWindow:MaintenanceWindow": ("mw-{hex17}", {}),
    "aws:organizations/policyAttachment:PolicyAttachment": ("{targetId}:{policyId}", {}),
    "aws:lambda/function:Function": ("{name}", {
        "arn": "arn:{partition}:lambda:{region}:{account}:function:{name}",
        "qualifiedArn": "{arn}:$LATEST", "version": "$LATEST",
        "invokeArn": (
            "arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations"
        )}),
    "aws:dynamodb/table:Table": ("{name}", {
        "arn": "arn:{partition}:dynamodb:{region}:{account}:table/{name}"}),
    "aws:ecr/repository:Repository": ("{name}", {
        "arn": "arn:{partition}:ecr:{region}:{account}:repository/{name}", "registryId": "{account}",
        "repositoryUrl": "{account}.dkr.ecr.{region}.amazonaws.com/{name}"}),
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
    "aws:apigateway/restApi:RestApi": ("{alnum10}", {
        "arn": "arn:{partition}:apigateway:{region}::/restapis/{id}", "rootResourceId": "{alnum6}",
        "executionArn": "arn:{partition}:execute-api:{region}:{account}:{id}"}),
    "aws:apigateway/stage:Stage": ("ags-{restApi}-{stageName}", {
        "arn": "arn:{partition}:apigateway:{region}::/restapis/{restApi}/stages/{stageName}",
        "executionArn": "arn:{partition}:execute-api:{region}:{account}:{restApi}/{stageName}",
        "invokeUrl": "https://{restApi}.execute-api.{region}.amazonaws.com/{stageName}"}),
    "aws:apigatewayv2/api:Api": ("{alnum10}", {
        "arn": "arn:{partition}:apigateway:{region}::/apis/{id}",
        "apiEndpoint": "https://{id}.execute-api.{region}.amazonaws.com",
        "executionArn": "arn:{partition}:execute-api:{region}:{account}:{id}"}),
    "aws:apigatewayv2/stage:Stage": ("{name}", {
        "arn": "arn:{partition}:apigateway:{region}::/apis/{apiId}/stages/{name}",
        "executionArn": "arn:{partition}:execute-api:{region}:{account}:{apiId}/{name}",
        "invokeUrl": "https://{apiId}.execute-api.{region}.amazonaws.com/{name}"}),
    # https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html
    "aws:eks/cluster:Cluster": ("{name}", {
        "arn": "arn:{partition}:eks:{region}:{account}:cluster/{name}",
        "endpoint": "https://{HEX32}.gr7.{region}.eks.amazonaws.com"}),
}  # fmt: skip


class _Fields(dict[str, str]):
    """Template fields: the resource's place and identity, then its inputs and outputs so far."""

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def __missing__(self, key: str) -> str:
        draft = self.draft
        if key == "partition":
            return draft.partition
        if key == "region":
            return draft.region or ""
        if key == "account":
            return draft.account
        if key == "name":
            return draft.physical_name
        if key == "path":
            return _iam_path(draft)
        if key == "id":
            return draft.id
        if key.startswith("unique"):
            return ids.upper_alnum(draft.urn, int(key[6:]), "unique")
        if key.startswith("hex"):
            return draft.hexid(int(key[3:]), "id")
        if key.startswith("HEX"):
            return draft.hexid(int(key[3:]), "id").upper()
        if key.startswith("alnum"):
            return ids.lower_alnum(draft.urn, int(key[5:]), "id")
        return draft.text(key)


def _from_template(draft: Draft) -> None:
    id_template, outputs = TEMPLATES[draft.type]
    fields = _Fields(draft)
    draft.id = id_template.format_map(fields)
    for prop, template in outputs.items():
        draft.put(prop, template.format_map(fields))


def template_fields(template: str) -> list[str]:
    """The field names a template uses (for tests that check them against the type's properties)."""
    return [field for _, field, _, _ in string.Formatter().parse(template) if field]


def kebab(class_name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", class_name).lower()


def compute(draft: Draft) -> tuple[str, dict[str, Any]]:
    """The mock's (id, outputs) for one AWS resource."""
    _autoname(draft)
    _plan_time_outputs(draft)
    if draft.preview:
        return "", draft.out
    special = IRREGULAR.get(draft.type)
    if special is not None:
        special(draft)
    elif draft.type in TEMPLATES:
        _from_template(draft)
    elif draft.type in EC2_IDS:
        _ec2(draft)
    if not draft.id:
        draft.id = _generic_id(draft)
    if "arn" not in draft.out and "arn" not in draft.inputs and draft.has("arn") and draft.info.outputs:
        draft.put("arn", _generic_arn(draft))
    _common_outputs(draft)
    return draft.id, draft.out


def autoname(draft: Draft) -> dict[str, str]:
    """The name the provider's Check fills in when the program gives none: ``{"bucket": "data-1a2b3c4"}``."""
    _autoname(draft)
    prop = NAME_PROPERTY.get(draft.type, "name")
    value = draft.out.get(prop)
    return {prop: value} if isinstance(value, str) else {}


def _autoname(draft: Draft) -> None:
    prop = NAME_PROPERTY.get(draft.type, "name")
    if prop not in draft.info.inputs or prop in draft.inputs:
        return
    prefix = draft.plain.get(f"{prop}Prefix")
    if isinstance(prefix, str) and prefix:
        generated = prefix + draft.hexid(26, "autoname")
    else:
        limit = NAME_MAX.get(draft.type, 255)
        base = draft.name[: max(1, limit - 8)]
        if draft.type == "aws:kms/alias:Alias":
            base = "alias/" + base
        generated = f"{base}-{draft.hexid(7, 'autoname')}"
    draft.put(prop, generated.lower() if draft.type in LOWERCASE_NAMES else generated)


def _plan_time_outputs(draft: Draft) -> None:
    if "tagsAll" in draft.info.outputs and ("tags" in draft.info.inputs):
        tags = draft.plain.get("tags")
        merged = {**draft.env.default_tags, **(tags if isinstance(tags, Mapping) else {})}
        draft.put("tagsAll", merged)
    if "region" in draft.info.inputs and draft.region:
        draft.put("region", draft.region)


def _generic_id(draft: Draft) -> str:
    name = draft.physical_name
    if name:
        return name
    bucket = draft.text("bucket")
    if draft.module == "s3" and bucket:
        return bucket  # S3 sub-resources are identified by their bucket
    return f"{draft.name}-{draft.hexid(8, 'id')}"


def _generic_arn(draft: Draft) -> str:
    service = SERVICE_BY_MODULE.get(draft.module, draft.module)
    return draft.arn(service, f"{kebab(draft.class_name)}/{draft.physical_name or draft.id}")


def _common_outputs(draft: Draft) -> None:
    computed = draft.info.computed
    for prop in ("ownerId", "accountId"):
        if prop in computed:
            draft.put(prop, draft.account)
    if "homeRegion" in computed and draft.region:
        draft.put("homeRegion", draft.region)


# --- EC2 / VPC ---------------------------------------------------------------------------------


def _ec2_id(prefix: str, seed: str) -> str:
    return f"{prefix}-{ids.hex_id(seed, 17, prefix)}"


def _ec2(draft: Draft) -> None:
    prefix, arn_type = EC2_IDS[draft.type]
    draft.id = _ec2_id(prefix, draft.urn)
    draft.put("arn", draft.arn("ec2", f"{arn_type}/{draft.id}"))


@irregular("aws:ec2/vpc:Vpc")
def _vpc(draft: Draft) -> None:
    _ec2(draft)
    # The VPC's default SG, route table and NACL: the Default* resources adopt these same IDs.
    draft.put("defaultSecurityGroupId", _ec2_id("sg", f"{draft.id}/default"))
    draft.put("defaultRouteTableId", _ec2_id("rtb", f"{draft.id}/default"))
    draft.put("mainRouteTableId", _ec2_id("rtb", f"{draft.id}/default"))
    draft.put("defaultNetworkAclId", _ec2_id("acl", f"{draft.id}/default"))
    draft.put("dhcpOptionsId", _ec2_id("dopt", draft.urn))


@irregular("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
def _default_sg(draft: Draft) -> None:
    vpc = draft.text("vpcId")
    draft.id = _ec2_id("sg", f"{vpc}/default") if vpc else _ec2_id("sg", draft.urn)
    draft.put("arn", draft.arn("ec2", f"security-group/{draft.id}"))
    draft.put("name", "default")


@irregular("aws:ec2/defaultRouteTable:DefaultRouteTable")
def _default_rtb(draft: Draft) -> None:
    draft.id = draft.text("defaultRouteTableId") or _ec2_id("rtb", draft.urn)
    draft.put("arn", draft.arn("ec2", f"route-table/{draft.id}"))


@irregular("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl")
def _default_acl(draft: Draft) -> None:
    draft.id = draft.text("defaultNetworkAclId") or _ec2_id("acl", draft.urn)
    draft.put("arn", draft.arn("ec2", f"network-acl/{draft.id}"))


@irregular("aws:ec2/eip:Eip")
def _eip(draft: Draft) -> None:
    _ec2(draft)
    octets = ids.digits(draft.urn, 9, "ip")
    public_ip = f"52.{int(octets[:3]) % 256}.{int(octets[3:6]) % 256}.{int(octets[6:9]) % 254 + 1}"
    draft.put("allocationId", draft.id)
    draft.put("publicIp", public_ip)
    draft.put("domain", "vpc")
    draft.put("publicDns", f"ec2-{public_ip.replace('.', '-')}.{draft.region or ''}.compute.amazonaws.com")


@irregular("aws:ec2/vpcEndpoint:VpcEndpoint")
def _vpc_endpoint(draft: Draft) -> None:
    _ec2(draft)
    if str(draft.value("vpcEndpointType") or "Gateway") == "Gateway":
        draft.put("prefixListId", _ec2_id("pl", draft.text("serviceName")))


@irregular("aws:ec2/route:Route")
def _route(draft: Draft) -> None:
    destination = draft.text("destinationCidrBlock") or draft.text("destinationIpv6CidrBlock")
    draft.id = f"r-{draft.text('routeTableId')}{ids.digits(destination, 10, 'route')}"


# --- RDS ------------------------------------------------------------------------------------------

# The port RDS gives a database without one, by engine prefix ("Port ... Default: 3306" and so on):
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
RDS_DEFAULT_PORTS = (
    ("aurora-postgresql", 5432), ("aurora", 3306), ("mysql", 3306), ("mariadb", 3306), ("postgres", 5432),
    ("oracle", 1521), ("sqlserver", 1433), ("db2", 50000),
)  # fmt: skip


def _rds_port(draft: Draft, engine: str) -> int:
    given = draft.value("port")
    return int(given or next((p for prefix, p in RDS_DEFAULT_PORTS if engine.startswith(prefix)), 3306))


def _rds_address(draft: Draft, identifier: str, kind: str) -> str:
    return f"{identifier}.{kind}{draft.hexid(12, 'endpoint')}.{draft.region or ''}.rds.amazonaws.com"


@irregular("aws:rds/instance:Instance")
def _rds_instance(draft: Draft) -> None:
    identifier = draft.text("identifier") or f"{draft.name}-{draft.hexid(7)}"
    port = _rds_port(draft, draft.text("engine"))
    draft.id = f"db-{draft.hexid(26, 'resource').upper()}"
    draft.put("arn", draft.arn("rds", f"db:{identifier}"))
    address = _rds_address(draft, identifier, "")
    draft.put("port", port)
    draft.put("address", address)
    draft.put("endpoint", f"{address}:{port}")


@irregular("aws:rds/cluster:Cluster")
def _rds_cluster(draft: Draft) -> None:
    identifier = draft.text("clusterIdentifier") or f"{draft.name}-{draft.hexid(7)}"
    draft.id = identifier
    draft.put("arn", draft.arn("rds", f"cluster:{identifier}"))
    draft.put("port", _rds_port(draft, draft.text("engine") or "aurora-mysql"))
    draft.put("endpoint", _rds_address(draft, identifier, "cluster-"))
    draft.put("readerEndpoint", _rds_address(draft, identifier, "cluster-ro-"))


# --- S3 -------------------------------------------------------------------------------------------


@irregular("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
def _bucket(draft: Draft) -> None:
    bucket = draft.text("bucket")
    draft.id = bucket
    draft.put("arn", f"arn:{draft.partition}:s3:::{bucket}")
    draft.put("bucketDomainName", f"{bucket}.s3.amazonaws.com")
    region = draft.region or ""
    draft.put("bucketRegionalDomainName", f"{bucket}.s3.{region}.amazonaws.com")
    draft.put("bucketRegion", region or None)
    draft.put("hostedZoneId", S3_ZONE_IDS.get(region))
    # Website outputs are empty unless the bucket serves a website (configured on another resource).
    draft.put("websiteDomain", "")
    draft.put("websiteEndpoint", "")


# --- KMS ------------------------------------------------------------------------------------------


def _key_arn(draft: Draft, key_id: str, region: str | None = None, account: str | None = None) -> str:
    return draft.arn("kms", f"key/{key_id}", region=region, account=account)


@irregular("aws:kms/key:Key")
def _kms_key(draft: Draft) -> None:
    multi_region = draft.value("multiRegion") in (True, "true")
    key_id = f"mrk-{draft.hexid(32, 'key')}" if multi_region else ids.uuid(draft.urn, "key")
    draft.id = key_id
    draft.put("keyId", key_id)
    draft.put("arn", _key_arn(draft, key_id))


@irregular("aws:kms/replicaKey:ReplicaKey")
def _kms_replica(draft: Draft) -> None:
    # A replica shares its primary's key ID and account; only the region differs.
    primary = draft.text("primaryKeyArn")
    parts = primary.split(":")
    key_id = primary.rsplit("key/", 1)[1] if "key/" in primary else f"mrk-{draft.hexid(32, 'key')}"
    account = parts[4] if len(parts) >= 6 and parts[4] else None
    draft.id = key_id
    draft.put("keyId", key_id)
    draft.put("arn", _key_arn(draft, key_id, account=account))


@irregular("aws:kms/alias:Alias")
def _kms_alias(draft: Draft) -> None:
    name = draft.text("name")
    draft.id = name
    draft.put("arn", draft.arn("kms", name))
    target = draft.text("targetKeyId")
    draft.put("targetKeyArn", target if target.startswith("arn:") else _key_arn(draft, target))


# --- IAM ------------------------------------------------------------------------------------------


def _iam_path(draft: Draft) -> str:
    path = draft.text("path") or "/"
    return path if path.endswith("/") else path + "/"


@irregular("aws:iam/serviceLinkedRole:ServiceLinkedRole")
def _iam_service_linked_role(draft: Draft) -> None:
    service = draft.text("awsServiceName")
    name = "AWSServiceRoleFor" + "".join(
        p.capitalize() for p in re.split(r"[.\-]", service.split(".amazonaws.com")[0])
    )
    arn = draft.arn("iam", f"role/aws-service-role/{service}/{name}")
    draft.id = arn
    draft.put("arn", arn)
    draft.put("name", name)
    draft.put("path", f"/aws-service-role/{service}/")
    draft.put("uniqueId", "AROA" + ids.upper_alnum(draft.urn, 17, "unique"))


# --- Logs, events, notifications --------------------------------------------------------------------


@irregular("aws:cloudwatch/eventRule:EventRule")
def _event_rule(draft: Draft) -> None:
    name = draft.text("name")
    bus = draft.text("eventBusName")
    custom_bus = bool(bus) and bus != "default" and not bus.startswith("arn:")
    draft.id = f"{bus}|{name}" if custom_bus else name
    draft.put("arn", draft.arn("events", f"rule/{bus}/{name}" if custom_bus else f"rule/{name}"))


@irregular("aws:cloudwatch/eventTarget:EventTarget")
def _event_target(draft: Draft) -> None:
    target_id = draft.text("targetId") or draft.hexid(26, "target")
    draft.put("targetId", target_id)
    draft.id = f"{draft.text('rule')}-{target_id}"


@irregular("aws:sns/topicSubscription:TopicSubscription")
def _sns_subscription(draft: Draft) -> None:
    arn = f"{draft.text('topic')}:{ids.uuid(draft.urn, 'subscription')}"  # `topic` holds the topic's ARN
    draft.id = arn
    draft.put("arn", arn)
    draft.put("ownerId", draft.account)


# --- Load balancing, certificates, DNS ---------------------------------------------------------------


@irregular("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
def _load_balancer(draft: Draft) -> None:
    kind = {"network": "net", "gateway": "gwy"}.get(draft.text("loadBalancerType"), "app")
    name = draft.text("name")
    suffix = f"{kind}/{name}/{draft.hexid(16, 'lb')}"
    arn = draft.arn("elasticloadbalancing", f"loadbalancer/{suffix}")
    draft.id = arn
    draft.put("arn", arn)
    draft.put("arnSuffix", suffix)
    internal = "internal-" if draft.value("internal") in (True, "true") else ""
    domain = "elb.amazonaws.com" if kind != "net" else f"elb.{draft.region or ''}.amazonaws.com"
    region_part = f".{draft.region}" if kind != "net" and draft.region else ""
    draft.put("dnsName", f"{internal}{name}-{ids.digits(draft.urn, 10, 'dns')}{region_part}.{domain}")
    zones = NLB_ZONE_IDS if kind == "net" else ALB_ZONE_IDS
    draft.put("zoneId", zones.get(draft.region or "", "Z" + ids.upper_alnum(draft.region or "", 13, "zone")))


@irregular("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup")
def _target_group(draft: Draft) -> None:
    suffix = f"targetgroup/{draft.text('name')}/{draft.hexid(16, 'tg')}"
    arn = draft.arn("elasticloadbalancing", suffix)
    draft.id = arn
    draft.put("arn", arn)
    draft.put("arnSuffix", suffix)


@irregular("aws:lb/listener:Listener", "aws:alb/listener:Listener")
def _listener(draft: Draft) -> None:
    lb_arn = draft.text("loadBalancerArn")
    if ":loadbalancer/" in lb_arn:
        arn = lb_arn.replace(":loadbalancer/", ":listener/", 1) + "/" + draft.hexid(16, "listener")
    else:
        arn = draft.arn("elasticloadbalancing", f"listener/app/unknown/{draft.hexid(16, 'listener')}")
    draft.id = arn
    draft.put("arn", arn)


@irregular("aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule")
def _listener_rule(draft: Draft) -> None:
    listener = draft.text("listenerArn")
    arn = listener.replace(":listener/", ":listener-rule/", 1) + "/" + draft.hexid(16, "rule")
    draft.id = arn
    draft.put("arn", arn)


@irregular("aws:acm/certificate:Certificate")
def _certificate(draft: Draft) -> None:
    arn = draft.arn("acm", f"certificate/{ids.uuid(draft.urn, 'certificate')}")
    draft.id = arn
    draft.put("arn", arn)
    domains = [draft.text("domainName")]
    alternatives = draft.value("subjectAlternativeNames")
    for name in alternatives if isinstance(alternatives, list) else []:
        if isinstance(name, str) and name not in domains:
            domains.append(name)
    options = []
    for domain in sorted(d for d in domains if d):
        # wildcard and apex names share one validation record, as ACM reports them
        base = domain[2:] if domain.startswith("*.") else domain
        options.append(
            {
                "domainName": domain,
                "resourceRecordName": f"_{ids.hex_id(base, 32, 'acm-name')}.{base}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": (
                    f"_{ids.hex_id(base, 32, 'acm-value')}.{ids.lower_alnum(base, 10, 'acm')}"
                    ".acm-validations.aws."
                ),
            }
        )
    draft.put("domainValidationOptions", options)
    draft.put("status", "ISSUED")


@irregular("aws:route53/zone:Zone")
def _zone(draft: Draft) -> None:
    zone_id = "Z" + ids.upper_alnum(draft.urn, 20, "zone")
    draft.id = zone_id
    draft.put("zoneId", zone_id)
    draft.put("arn", draft.arn("route53", f"hostedzone/{zone_id}", account=""))
    n = int(ids.digits(draft.urn, 4, "ns"))
    draft.put(
        "nameServers",
        [
            f"ns-{(n + i * 517) % 2048}.awsdns-{(n + i) % 64:02d}.{tld}"
            for i, tld in enumerate(("com", "net", "org", "co.uk"))
        ],
    )


@irregular("aws:route53/record:Record")
def _record(draft: Draft) -> None:
    parts = [draft.text("zoneId"), draft.text("name"), draft.text("type")]
    if draft.text("setIdentifier"):
        parts.append(draft.text("setIdentifier"))
    draft.id = "_".join(parts)
    draft.put("fqdn", draft.text("name").rstrip("."))


# --- WAF, Shield ------------------------------------------------------------------------------------


def _waf(kind: str) -> Shaper:
    def build(draft: Draft) -> None:
        waf_id = ids.uuid(draft.urn, "waf")
        scope = "global" if draft.text("scope") == "CLOUDFRONT" else "regional"
        region = "us-east-1" if scope == "global" else None
        draft.id = waf_id
        draft.put("arn", draft.arn("wafv2", f"{scope}/{kind}/{draft.text('name')}/{waf_id}", region=region))
        draft.put("lockToken", ids.uuid(draft.urn, "lock"))

    return build


IRREGULAR["aws:wafv2/webAcl:WebAcl"] = _waf("webacl")
IRREGULAR["aws:wafv2/ipSet:IpSet"] = _waf("ipset")
IRREGULAR["aws:wafv2/ruleGroup:RuleGroup"] = _waf("rulegroup")
IRREGULAR["aws:wafv2/regexPatternSet:RegexPatternSet"] = _waf("regexpatternset")


@irregular("aws:shield/protection:Protection")
def _shield_protection(draft: Draft) -> None:
    draft.id = ids.uuid(draft.urn, "protection")
    draft.put("arn", draft.arn("shield", f"protection/{draft.id}"))


@irregular("aws:shield/protectionGroup:ProtectionGroup")
def _shield_group(draft: Draft) -> None:
    draft.id = draft.text("protectionGroupId") or draft.name
    draft.put("protectionGroupArn", draft.arn("shield", f"protection-group/{draft.id}"))


# --- Backup, detection, configuration ----------------------------------------------------------------


@irregular("aws:backup/plan:Plan")
def _backup_plan(draft: Draft) -> None:
    draft.id = ids.uuid(draft.urn, "plan")
    draft.put("arn", draft.arn("backup", f"backup-plan:{draft.id}"))
    draft.put("version", ids.lower_alnum(draft.urn, 40, "version"))


@irregular("aws:backup/selection:Selection")
def _backup_selection(draft: Draft) -> None:
    draft.id = ids.uuid(draft.urn, "selection")


@irregular("aws:guardduty/detector:Detector")
def _detector(draft: Draft) -> None:
    draft.id = draft.hexid(32, "detector")
    draft.put("arn", draft.arn("guardduty", f"detector/{draft.id}"))
    draft.put("accountId", draft.account)


@irregular("aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan")
def _malware_plan(draft: Draft) -> None:
    draft.id = draft.hexid(20, "malware")
    draft.put("arn", draft.arn("guardduty", f"malware-protection-plan/{draft.id}"))
    draft.put("status", "ACTIVE")


@irregular("aws:securityhub/account:Account")
def _securityhub(draft: Draft) -> None:
    draft.id = draft.account
    draft.put("arn", draft.arn("securityhub", "hub/default"))


@irregular("aws:securityhub/standardsSubscription:StandardsSubscription")
def _standards_subscription(draft: Draft) -> None:
    standards = draft.text("standardsArn")
    suffix = (
        standards.split(":standards/", 1)[1] if ":standards/" in standards else standards.rsplit("/", 1)[-1]
    )
    draft.id = draft.arn("securityhub", f"subscription/{suffix}")


@irregular(
    "aws:cfg/recorder:Recorder",
    "aws:cfg/deliveryChannel:DeliveryChannel",
    "aws:cfg/recorderStatus:RecorderStatus",
)
def _config_named(draft: Draft) -> None:
    draft.id = draft.text("name") or "default"
    draft.put("name", draft.id)


@irregular("aws:cfg/rule:Rule")
def _config_rule(draft: Draft) -> None:
    draft.id = draft.text("name")
    rule_id = f"config-rule-{ids.lower_alnum(draft.urn, 6, 'rule')}"
    draft.put("ruleId", rule_id)
    draft.put("arn", draft.arn("config", f"config-rule/{rule_id}"))


@irregular("aws:cfg/configurationAggregator:ConfigurationAggregator")
def _config_aggregator(draft: Draft) -> None:
    draft.id = draft.text("name")
    draft.put(
        "arn", draft.arn("config", f"config-aggregator/config-aggregator-{ids.lower_alnum(draft.urn, 8)}")
    )


@irregular("aws:cloudtrail/trail:Trail")
def _trail(draft: Draft) -> None:
    arn = draft.arn("cloudtrail", f"trail/{draft.text('name')}")
    draft.id = arn
    draft.put("arn", arn)
    draft.put("homeRegion", draft.region)


@irregular("aws:inspector2/enabler:Enabler")
def _inspector_enabler(draft: Draft) -> None:
    accounts = draft.value("accountIds")
    types = draft.value("resourceTypes")
    joined_accounts = (
        ",".join(a for a in accounts if isinstance(a, str)) if isinstance(accounts, list) else ""
    )
    joined_types = ",".join(t for t in types if isinstance(t, str)) if isinstance(types, list) else ""
    draft.id = f"{joined_accounts}-{joined_types}"


@irregular("aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount")
def _inspector_admin(draft: Draft) -> None:
    draft.id = draft.text("accountId")
    draft.put("relationshipStatus", "ENABLED")


# --- Mail, systems manager -------------------------------------------------------------------------


@irregular("aws:ses/domainIdentity:DomainIdentity")
def _ses_domain(draft: Draft) -> None:
    domain = draft.text("domain")
    draft.id = domain
    draft.put("arn", draft.arn("ses", f"identity/{domain}"))
    draft.put("verificationToken", ids.hex_id(draft.urn, 44, "verify"))


def _dkim_tokens(seed: str) -> list[str]:
    return [ids.lower_alnum(seed, 32, f"dkim{i}") for i in range(3)]


@irregular("aws:ses/domainDkim:DomainDkim")
def _ses_dkim(draft: Draft) -> None:
    draft.id = draft.text("domain")
    draft.put("dkimTokens", _dkim_tokens(draft.urn))


@irregular("aws:ses/domainIdentityVerification:DomainIdentityVerification")
def _ses_verification(draft: Draft) -> None:
    draft.id = draft.text("domain")
    draft.put("arn", draft.arn("ses", f"identity/{draft.id}"))


@irregular("aws:sesv2/emailIdentity:EmailIdentity")
def _sesv2_identity(draft: Draft) -> None:
    identity = draft.text("emailIdentity")
    draft.id = identity
    draft.put("arn", draft.arn("ses", f"identity/{identity}"))
    draft.put("identityType", "EMAIL_ADDRESS" if "@" in identity else "DOMAIN")
    attributes = draft.value("dkimSigningAttributes")
    merged = dict(attributes) if isinstance(attributes, Mapping) else {}
    merged.setdefault("tokens", _dkim_tokens(draft.urn))
    merged.setdefault("status", "SUCCESS")
    merged.setdefault("signingAttributesOrigin", "AWS_SES")
    merged.setdefault("currentSigningKeyLength", "RSA_2048_BIT")
    draft.out["dkimSigningAttributes"] = merged


@irregular("aws:ssm/patchBaseline:PatchBaseline")
def _patch_baseline(draft: Draft) -> None:
    draft.id = _ec2_id("pb", draft.urn)
    draft.put("arn", draft.arn("ssm", f"patchbaseline/{draft.id}"))


@irregular("aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget")
def _maintenance_target(draft: Draft) -> None:
    draft.id = ids.uuid(draft.urn, "window-target")


@irregular("aws:ssm/maintenanceWindowTask:MaintenanceWindowTask")
def _maintenance_task(draft: Draft) -> None:
    draft.id = ids.uuid(draft.urn, "window-task")
    draft.put("windowTaskId", draft.id)
    draft.put("arn", draft.arn("ssm", f"windowtask/{draft.id}"))


@irregular("aws:ssm/parameter:Parameter")
def _ssm_parameter(draft: Draft) -> None:
    name = draft.text("name")
    draft.id = name
    draft.put("arn", draft.arn("ssm", f"parameter/{name.lstrip('/')}"))
    draft.put("version", 1)


# --- Organizations ------------------------------------------------------------------------------------


def _org_arn(draft: Draft, resource: str) -> str:
    return draft.arn("organizations", resource)


@irregular("aws:organizations/organization:Organization")
def _organization(draft: Draft) -> None:
    org_id = organization_id(draft.account)
    draft.id = org_id
    draft.put("arn", _org_arn(draft, f"organization/{org_id}"))
    draft.put("masterAccountId", draft.account)
    draft.put("masterAccountArn", _org_arn(draft, f"account/{org_id}/{draft.account}"))
    draft.put("masterAccountEmail", f"aws+{draft.account}@example.com")
    root_id = "r-" + ids.lower_alnum(org_id, 4, "root")
    enabled = draft.value("enabledPolicyTypes")
    policy_types = (
        [{"status": "ENABLED", "type": t} for t in enabled if isinstance(t, str)]
        if isinstance(enabled, list)
        else []
    )
    draft.put(
        "roots",
        [
            {
                "id": root_id,
                "arn": _org_arn(draft, f"root/{org_id}/{root_id}"),
                "name": "Root",
                "policyTypes": policy_types,
            }
        ],
    )


@irregular("aws:organizations/account:Account")
def _org_account(draft: Draft) -> None:
    account = ids.account_id(draft.urn, avoid=draft.account)
    draft.id = account
    draft.put("arn", _org_arn(draft, f"account/{organization_id(draft.account)}/{account}"))
    draft.put("status", "ACTIVE")
    draft.put("joinedMethod", "CREATED")


@irregular("aws:organizations/organizationalUnit:OrganizationalUnit")
def _org_unit(draft: Draft) -> None:
    org_id = organization_id(draft.account)
    root_part = ids.lower_alnum(org_id, 4, "root")
    draft.id = f"ou-{root_part}-{ids.lower_alnum(draft.urn, 8, 'ou')}"
    draft.put("arn", _org_arn(draft, f"ou/{org_id}/{draft.id}"))
    draft.put("accounts", [])


@irregular("aws:organizations/policy:Policy")
def _org_policy(draft: Draft) -> None:
    draft.id = "p-" + ids.lower_alnum(draft.urn, 8, "policy")
    kind = (draft.text("type") or "SERVICE_CONTROL_POLICY").lower()
    draft.put("arn", _org_arn(draft, f"policy/{organization_id(draft.account)}/{kind}/{draft.id}"))


@irregular("aws:organizations/delegatedAdministrator:DelegatedAdministrator")
def _org_delegated_admin(draft: Draft) -> None:
    account = draft.text("accountId")
    draft.id = f"{account}/{draft.text('servicePrincipal')}"
    draft.put("arn", _org_arn(draft, f"account/{organization_id(draft.account)}/{account}"))
    draft.put("status", "ACTIVE")


# --- Compute and data stores commonly found in raw programs -----------------------------------------


@irregular("aws:secretsmanager/secret:Secret")
def _secret(draft: Draft) -> None:
    arn = draft.arn(
        "secretsmanager", f"secret:{draft.text('name')}-{ids.lower_alnum(draft.urn, 6, 'secret')}"
    )
    draft.id = arn
    draft.put("arn", arn)
