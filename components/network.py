"""TenantNetwork: the tenant VPC with three zones across availability zones (NET-01..04, RES-03).

- public: load balancers and NAT gateways only; the only zone with a route to the internet gateway.
- private: applications; egress through a NAT gateway (one per AZ in production, NET-03).
- isolated: data stores; no route to an internet or NAT gateway at all.

No subnet maps public IPs on launch, the default security group is emptied and the default network ACL
admits the remote administration ports from the VPC's own CIDR only (NET-02), flow logs capture ALL traffic
to a KMS-encrypted log group kept at least a year (NET-04) and, with ``flow_log_bucket_arn``, a second flow
log delivers the same records to the log-archive account's bucket (LOG-02), where no tenant administrator can
delete them; the tenant's own copy stays for querying in the account (CloudWatch Logs Insights), and
``tz-protect-tenant-baseline`` keeps it from being deleted or diverted; AWS service traffic stays on the
AWS network through gateway endpoints (S3, DynamoDB) and interface endpoints (KMS, STS, Logs) (RES-03).

With ``organization_id``, every endpoint carries an endpoint policy that lets through only requests of the
organization's own principals or of AWS services acting for them (``aws:PrincipalOrgID``,
``aws:PrincipalIsAWSService``): credentials of another account, stolen or planted, cannot use the tenant's
network path to move data out (the identity perimeter of
https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html;
endpoint policies: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). STS also
lets through the web-identity and SAML role assumptions: unsigned, they carry no principal to match.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.errors import ComponentInputError, InputProblems
from components.naming import SERVICE_ROLE_PATH
from components.policy_documents import policy_document, service_trust_policy
from policies.parameters import ADMIN_PORTS, MIN_LOG_RETENTION_DAYS, PRIMARY_REGION

_KIND = "TenantNetwork"
ZONES: tuple[str, ...] = ("public", "private", "isolated")
MAX_AZS = 4  # slots per zone in the layout; the spec allows 3, one spare keeps the plan stable
MIN_SUBNET_PREFIX = 28  # the smallest subnet AWS allows
GATEWAY_ENDPOINT_SERVICES: tuple[str, ...] = ("s3", "dynamodb")
INTERFACE_ENDPOINT_SERVICES: tuple[str, ...] = ("kms", "sts", "logs")


@dataclass(frozen=True)
class SubnetPlan:
    zone: str
    availability_zone: str
    cidr: str


def plan_subnets(vpc_cidr: str, azs: Sequence[str]) -> list[SubnetPlan]:
    """Public, private and isolated subnets for every AZ, ordered by zone then AZ.

    The VPC splits into halves: private takes the first half (applications need the addresses), isolated and
    public a quarter each. Each zone's block has one slot per possible AZ and AZ ``i`` always takes slot
    ``i``, so adding a zone later never renumbers an existing subnet."""
    try:
        vpc = ipaddress.IPv4Network(vpc_cidr)
    except ValueError as exc:
        raise ComponentInputError(
            _KIND,
            "plan",
            f"vpc_cidr {vpc_cidr!r} is not an IPv4 network ({exc})",
            "a CIDR such as '10.20.0.0/16'",
        ) from None
    if not 2 <= len(azs) <= MAX_AZS - 1 or len(set(azs)) != len(azs):
        raise ComponentInputError(
            _KIND,
            "plan",
            f"availability zones {list(azs)!r} are not 2 or 3 distinct zones",
            "2 or 3 distinct zones",
            "NET-03",
        )
    half, quarter = vpc.prefixlen + 1, vpc.prefixlen + 2
    blocks = {
        "private": list(vpc.subnets(new_prefix=half))[0],
        "isolated": list(vpc.subnets(new_prefix=quarter))[2],
        "public": list(vpc.subnets(new_prefix=quarter))[3],
    }
    plans: list[SubnetPlan] = []
    for zone in ZONES:
        block = blocks[zone]
        slot_prefix = block.prefixlen + 2  # four slots
        if slot_prefix > MIN_SUBNET_PREFIX:
            raise ComponentInputError(
                _KIND,
                "plan",
                f"vpc_cidr {vpc_cidr} is too small for three zones of subnets of at least"
                f" /{MIN_SUBNET_PREFIX} in every AZ",
                "a VPC of /24 or larger",
                "NET-01",
            )
        slots = list(block.subnets(new_prefix=slot_prefix))
        plans.extend(SubnetPlan(zone, az, str(slots[index])) for index, az in enumerate(azs))
    return plans


def shield_eip_arn(
    region: str, account_id: pulumi.Input[str], allocation_id: pulumi.Input[str]
) -> pulumi.Output[str]:
    """The ARN Shield Advanced accepts for an Elastic IP.

    ``CreateProtection`` takes ``arn:aws:ec2:<region>:<account>:eip-allocation/<allocation-id>``, not the
    ``elastic-ip/`` ARN the EC2 resource reports:
    https://docs.aws.amazon.com/waf/latest/DDOSAPIReference/API_CreateProtection.html
    """
    return pulumi.Output.concat("arn:aws:ec2:", region, ":", account_id, ":eip-allocation/", allocation_id)


@dataclass
class TenantNetworkArgs:
    """Inputs of a tenant VPC. ``kms_key_arn`` encrypts the flow-log group; ``region`` must be the
    provider's."""

    vpc_cidr: str
    availability_zones: Sequence[str]
    account_id: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str]
    region: str = PRIMARY_REGION
    primary_provider: pulumi.ProviderResource | None = None
    nat_per_az: bool = True  # production must keep it (NET-03); non-production may share one NAT gateway
    # Shield Advanced protection of the NAT gateways' Elastic IPs (EDGE-03); needs the account's subscription,
    # which ``shield_depends_on`` orders before the protections.
    shield_protection: bool = True
    shield_depends_on: Sequence[pulumi.Resource] = ()
    flow_log_retention_days: int = 400
    # The log archive's flow-log bucket (the org stack's output), delivered to by the log delivery service.
    flow_log_bucket_arn: pulumi.Input[str] | None = None
    gateway_endpoint_services: Sequence[str] = GATEWAY_ENDPOINT_SERVICES
    interface_endpoint_services: Sequence[str] = INTERFACE_ENDPOINT_SERVICES
    tags: dict[str, str] = field(default_factory=dict)
    # The organization (the org stack's ``organizationId``): the endpoints then admit its principals only.
    organization_id: pulumi.Input[str] | None = None


# Unsigned STS calls: the identity is established by the call itself, so no aws:PrincipalOrgID exists yet.
UNSIGNED_STS_ACTIONS: tuple[str, ...] = ("sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


# Buckets AWS owns that instances in private subnets read through the S3 gateway endpoint without the
# organization's credentials: the Amazon Linux repositories (anonymous), ECR image layers (URLs presigned
# by ECR) and SSM Agent and Patch Manager files (presigned by SSM). Without them patching and image pulls
# get 403.
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms
# https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html
# https://docs.aws.amazon.com/linux/al2023/ug/s3-vpc-endpoint.html
AWS_OWNED_BUCKET_TEMPLATES: tuple[str, ...] = (
    "al2023-repos-{region}-*",
    "amazonlinux-2-repos-{region}",
    "prod-{region}-starport-layer-bucket",
    "aws-ssm-{region}",
    "aws-windows-downloads-{region}",
    "amazon-ssm-{region}",
    "amazon-ssm-packages-{region}",
    "{region}-birdwatcher-prod",
    "aws-ssm-distributor-file-{region}",
    "aws-ssm-document-attachments-{region}",
    "patch-baseline-snapshot-{region}",
)


def aws_owned_bucket_objects(region: str) -> list[str]:
    return [f"arn:aws:s3:::{template.format(region=region)}/*" for template in AWS_OWNED_BUCKET_TEMPLATES]


def endpoint_policy(organization_id: str, service: str, region: str = PRIMARY_REGION) -> dict[str, Any]:
    """The endpoint policy of one endpoint: the organization's principals and AWS services acting for them
    (and, for S3, reads of the AWS-owned buckets that patching and image pulls need)."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "OrganizationPrincipalsOnly",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization_id}},
        },
        {
            "Sid": "AwsServicesActingForThem",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:PrincipalIsAWSService": "true"}},
        },
    ]
    if service == "s3":
        statements.append(
            {
                "Sid": "AwsOwnedBucketsForPatchingAndImages",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": aws_owned_bucket_objects(region),
            }
        )
    if service == "sts":
        statements.append(
            {
                "Sid": "UnsignedRoleAssumption",
                "Effect": "Allow",
                "Principal": "*",
                "Action": list(UNSIGNED_STS_ACTIONS),
                "Resource": "*",
            }
        )
    return policy_document(*statements)


def validate_network_args(name: str, args: TenantNetworkArgs) -> list[SubnetPlan]:
    """Refuse settings that break a control (every problem at once); returns the subnet plan."""
    problems = InputProblems(_KIND, name)
    if args.flow_log_retention_days < MIN_LOG_RETENTION_DAYS:
        problems.add(
            f"flow_log_retention_days {args.flow_log_retention_days} keeps flow logs less than "
            f"{MIN_LOG_RETENTION_DAYS} days",
            f"at least {MIN_LOG_RETENTION_DAYS}",
            "NET-04",
        )
    strays = [az for az in args.availability_zones if not az.startswith(args.region)]
    if strays:
        problems.add(
            f"availability zones {strays!r} are not in {args.region}", f"zones of {args.region}", "RES-01"
        )
    missing = [s for s in GATEWAY_ENDPOINT_SERVICES if s not in args.gateway_endpoint_services]
    missing += [s for s in INTERFACE_ENDPOINT_SERVICES if s not in args.interface_endpoint_services]
    if missing:
        problems.add(
            f"endpoints for {', '.join(missing)} are left out",
            "S3 and DynamoDB gateway endpoints and KMS, STS and Logs interface endpoints",
            "RES-03",
        )
    plans: list[SubnetPlan] = []
    try:
        plans = plan_subnets(args.vpc_cidr, args.availability_zones)
    except ComponentInputError as exc:
        problems.absorb(exc)
    problems.raise_if_any()
    return plans


def _flow_log_policy(log_group_arn: str) -> str:
    return json.dumps(
        policy_document(
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": [log_group_arn, f"{log_group_arn}:*"],
            },
            {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"},
        )
    )


class TenantNetwork(pulumi.ComponentResource):
    """The tenant VPC; see the module docstring for the zones and the controls they satisfy."""

    vpc_id: pulumi.Output[str]
    subnet_ids: dict[str, list[pulumi.Output[str]]]
    flow_log_group_arn: pulumi.Output[str]
    endpoint_security_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: TenantNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        plans = validate_network_args(name, args)
        super().__init__("tenant-zone:network:TenantNetwork", name, None, opts)
        azs = list(args.availability_zones)
        self.nat_eips: list[aws.ec2.Eip] = []
        vpc, igw = self._vpc(name, args)
        subnets = self._subnets(name, args, plans, vpc)
        self._default_network_acl(name, args, vpc, subnets)
        public_rt = self._public_routes(name, args, azs, vpc, igw, subnets)
        nats = self._nat_gateways(name, args, azs, igw, subnets)
        private_rts = self._private_routes(name, args, azs, vpc, nats, subnets)
        isolated_rt = self._isolated_routes(name, args, azs, vpc, subnets)
        endpoint_sg = self._endpoints(name, args, azs, vpc, [public_rt, *private_rts, isolated_rt], subnets)
        log_group = self._flow_logs(name, args, vpc)

        self.vpc_id = vpc.id
        self.subnet_ids = {zone: [subnets[zone][az].id for az in azs] for zone in ZONES}
        self.flow_log_group_arn = log_group.arn
        self.endpoint_security_group_id = endpoint_sg.id
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "publicSubnetIds": self.subnet_ids["public"],
                "privateSubnetIds": self.subnet_ids["private"],
                "isolatedSubnetIds": self.subnet_ids["isolated"],
                "flowLogGroupArn": self.flow_log_group_arn,
            }
        )

    def _child(self, args: TenantNetworkArgs) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, provider=args.primary_provider)

    def _vpc(self, name: str, args: TenantNetworkArgs) -> tuple[aws.ec2.Vpc, aws.ec2.InternetGateway]:
        """The VPC, its default security group emptied, and its internet gateway."""
        child = self._child(args)
        tags = dict(args.tags)
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.vpc_cidr,
            enable_dns_support=True,  # interface endpoints' private DNS needs both
            enable_dns_hostnames=True,
            tags={**tags, "Name": f"{name}-vpc"},
            opts=child,
        )
        aws.ec2.DefaultSecurityGroup(  # declared without rules: the provider removes AWS's allow-all defaults
            f"{name}-default-sg",
            vpc_id=vpc.id,
            tags={**tags, "Name": f"{name}-default-do-not-use"},
            opts=child,
        )
        igw = aws.ec2.InternetGateway(
            f"{name}-igw", vpc_id=vpc.id, tags={**tags, "Name": f"{name}-igw"}, opts=child
        )
        return vpc, igw

    def _subnets(
        self, name: str, args: TenantNetworkArgs, plans: Sequence[SubnetPlan], vpc: aws.ec2.Vpc
    ) -> dict[str, dict[str, aws.ec2.Subnet]]:
        """One subnet per zone (public, private, isolated) and availability zone, from the subnet plan."""
        child = self._child(args)
        tags = dict(args.tags)
        subnets: dict[str, dict[str, aws.ec2.Subnet]] = {zone: {} for zone in ZONES}
        for plan in plans:
            subnets[plan.zone][plan.availability_zone] = aws.ec2.Subnet(
                f"{name}-{plan.zone}-{plan.availability_zone}",
                vpc_id=vpc.id,
                cidr_block=plan.cidr,
                availability_zone=plan.availability_zone,
                map_public_ip_on_launch=False,
                tags={**tags, "Name": f"{name}-{plan.zone}-{plan.availability_zone}", "zone": plan.zone},
                opts=child,
            )
        return subnets

    def _default_network_acl(
        self,
        name: str,
        args: TenantNetworkArgs,
        vpc: aws.ec2.Vpc,
        subnets: dict[str, dict[str, aws.ec2.Subnet]],
    ) -> aws.ec2.DefaultNetworkAcl:
        """The VPC's default network ACL, which every subnet uses, managed: AWS creates it allowing all
        traffic (https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html). The
        lowest-numbered matching rule decides (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html),
        so the remote administration ports are first allowed from the VPC's own CIDR (a bastion reaching an
        instance in another subnet crosses this ACL too), then denied from everywhere else; then everything
        else is allowed both ways, as the ACL is stateless and security groups do the filtering. Every subnet
        is listed, so the provider reports none as drifting away from the default ACL."""

        def admin_ports(first_rule: int, action: str, cidr: pulumi.Input[str]) -> list[Any]:
            return [
                aws.ec2.DefaultNetworkAclIngressArgs(
                    rule_no=first_rule + index,
                    action=action,
                    protocol="tcp",
                    from_port=port,
                    to_port=port,
                    cidr_block=cidr,
                )
                for index, port in enumerate(sorted(ADMIN_PORTS))
            ]

        inside = admin_ports(90, "allow", args.vpc_cidr)
        denies = admin_ports(100, "deny", "0.0.0.0/0")
        return aws.ec2.DefaultNetworkAcl(
            f"{name}-default-nacl",
            default_network_acl_id=vpc.default_network_acl_id,
            subnet_ids=[subnet.id for zone in ZONES for subnet in subnets[zone].values()],
            ingress=[
                *inside,
                *denies,
                aws.ec2.DefaultNetworkAclIngressArgs(
                    rule_no=200, action="allow", protocol="-1", from_port=0, to_port=0, cidr_block="0.0.0.0/0"
                ),
            ],
            egress=[
                aws.ec2.DefaultNetworkAclEgressArgs(
                    rule_no=100, action="allow", protocol="-1", from_port=0, to_port=0, cidr_block="0.0.0.0/0"
                )
            ],
            tags={**dict(args.tags), "Name": f"{name}-default-nacl"},
            opts=self._child(args),
        )

    def _public_routes(
        self,
        name: str,
        args: TenantNetworkArgs,
        azs: list[str],
        vpc: aws.ec2.Vpc,
        igw: aws.ec2.InternetGateway,
        subnets: dict[str, dict[str, aws.ec2.Subnet]],
    ) -> aws.ec2.RouteTable:
        """The public subnets' route table: the internet through the gateway."""
        child = self._child(args)
        tags = dict(args.tags)
        public_rt = aws.ec2.RouteTable(
            f"{name}-public-rt",
            vpc_id=vpc.id,
            tags={**tags, "Name": f"{name}-public", "zone": "public"},
            opts=child,
        )
        aws.ec2.Route(
            f"{name}-public-default",
            route_table_id=public_rt.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=igw.id,
            opts=child,
        )
        for az in azs:
            aws.ec2.RouteTableAssociation(
                f"{name}-public-{az}",
                subnet_id=subnets["public"][az].id,
                route_table_id=public_rt.id,
                opts=child,
            )
        return public_rt

    def _nat_gateways(
        self,
        name: str,
        args: TenantNetworkArgs,
        azs: list[str],
        igw: aws.ec2.InternetGateway,
        subnets: dict[str, dict[str, aws.ec2.Subnet]],
    ) -> dict[str, aws.ec2.NatGateway]:
        """NAT gateways (one per AZ, or one for all), their Elastic IPs and, asked for, Shield protection."""
        child = self._child(args)
        tags = dict(args.tags)
        nat_azs = azs if args.nat_per_az else azs[:1]
        nats: dict[str, aws.ec2.NatGateway] = {}
        self.nat_eips = []
        for az in nat_azs:
            eip = aws.ec2.Eip(
                f"{name}-nat-{az}", domain="vpc", tags={**tags, "Name": f"{name}-nat-{az}"}, opts=child
            )
            self.nat_eips.append(eip)
            if args.shield_protection:
                aws.shield.Protection(
                    f"{name}-nat-{az}-shield",
                    name=f"{name}-nat-{az}",
                    resource_arn=shield_eip_arn(args.region, args.account_id, eip.allocation_id),
                    tags=tags,
                    opts=pulumi.ResourceOptions.merge(
                        child, pulumi.ResourceOptions(depends_on=list(args.shield_depends_on))
                    ),
                )
            nats[az] = aws.ec2.NatGateway(
                f"{name}-nat-{az}",
                allocation_id=eip.id,
                subnet_id=subnets["public"][az].id,
                connectivity_type="public",
                tags={**tags, "Name": f"{name}-nat-{az}"},
                opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[igw])),
            )
        return nats

    def _private_routes(
        self,
        name: str,
        args: TenantNetworkArgs,
        azs: list[str],
        vpc: aws.ec2.Vpc,
        nats: dict[str, aws.ec2.NatGateway],
        subnets: dict[str, dict[str, aws.ec2.Subnet]],
    ) -> list[aws.ec2.RouteTable]:
        """One route table per private subnet: the internet through its AZ's NAT gateway (or the only one)."""
        child = self._child(args)
        tags = dict(args.tags)
        route_tables: list[aws.ec2.RouteTable] = []
        for az in azs:
            private_rt = aws.ec2.RouteTable(
                f"{name}-private-rt-{az}",
                vpc_id=vpc.id,
                tags={**tags, "Name": f"{name}-private-{az}", "zone": "private"},
                opts=child,
            )
            nat = nats.get(az, next(iter(nats.values())))
            aws.ec2.Route(
                f"{name}-private-default-{az}",
                route_table_id=private_rt.id,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nat.id,
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{az}",
                subnet_id=subnets["private"][az].id,
                route_table_id=private_rt.id,
                opts=child,
            )
            route_tables.append(private_rt)
        return route_tables

    def _isolated_routes(
        self,
        name: str,
        args: TenantNetworkArgs,
        azs: list[str],
        vpc: aws.ec2.Vpc,
        subnets: dict[str, dict[str, aws.ec2.Subnet]],
    ) -> aws.ec2.RouteTable:
        child = self._child(args)
        tags = dict(args.tags)
        # Only the VPC's local route: data stores can reach nothing outside it but the gateway endpoints.
        isolated_rt = aws.ec2.RouteTable(
            f"{name}-isolated-rt",
            vpc_id=vpc.id,
            tags={**tags, "Name": f"{name}-isolated", "zone": "isolated"},
            opts=child,
        )
        for az in azs:
            aws.ec2.RouteTableAssociation(
                f"{name}-isolated-{az}",
                subnet_id=subnets["isolated"][az].id,
                route_table_id=isolated_rt.id,
                opts=child,
            )
        return isolated_rt

    def _endpoints(
        self,
        name: str,
        args: TenantNetworkArgs,
        azs: list[str],
        vpc: aws.ec2.Vpc,
        route_tables: list[aws.ec2.RouteTable],
        subnets: dict[str, dict[str, aws.ec2.Subnet]],
    ) -> aws.ec2.SecurityGroup:
        """Gateway endpoints on every route table; interface endpoints in the private subnets behind one
        group."""
        child = self._child(args)
        tags = dict(args.tags)
        for service in args.gateway_endpoint_services:
            aws.ec2.VpcEndpoint(
                f"{name}-{service}",
                vpc_id=vpc.id,
                service_name=f"com.amazonaws.{args.region}.{service}",
                vpc_endpoint_type="Gateway",
                route_table_ids=[rt.id for rt in route_tables],
                policy=self._endpoint_policy(args, service),
                tags={**tags, "Name": f"{name}-{service}"},
                opts=child,
            )

        endpoint_sg = aws.ec2.SecurityGroup(
            f"{name}-endpoints",
            vpc_id=vpc.id,
            description="HTTPS from inside the VPC to the AWS interface endpoints",
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=[args.vpc_cidr],
                    description="HTTPS from the VPC",
                )
            ],
            tags={**tags, "Name": f"{name}-endpoints"},
            opts=child,
        )
        private_subnet_ids = [subnets["private"][az].id for az in azs]
        for service in args.interface_endpoint_services:
            aws.ec2.VpcEndpoint(
                f"{name}-{service}",
                vpc_id=vpc.id,
                service_name=f"com.amazonaws.{args.region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                policy=self._endpoint_policy(args, service),
                subnet_ids=private_subnet_ids,
                security_group_ids=[endpoint_sg.id],
                tags={**tags, "Name": f"{name}-{service}"},
                opts=child,
            )
        return endpoint_sg

    @staticmethod
    def _endpoint_policy(args: TenantNetworkArgs, service: str) -> pulumi.Output[str] | None:
        if args.organization_id is None:
            return None
        return pulumi.Output.from_input(args.organization_id).apply(
            lambda org: json.dumps(endpoint_policy(org, service, args.region))
        )

    def _flow_logs(self, name: str, args: TenantNetworkArgs, vpc: aws.ec2.Vpc) -> aws.cloudwatch.LogGroup:
        """Flow logs of all traffic to an encrypted log group, through a role only VPC flow logs can
        assume."""
        child = self._child(args)
        tags = dict(args.tags)
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            name=f"/tenant-zone/{name}/vpc-flow-logs",
            retention_in_days=args.flow_log_retention_days,
            kms_key_id=args.kms_key_arn,
            tags=tags,
            opts=child,
        )
        role = aws.iam.Role(
            f"{name}-flow-logs",
            path=SERVICE_ROLE_PATH,
            description=f"VPC flow logs of {name} to CloudWatch Logs",
            assume_role_policy=pulumi.Output.from_input(args.account_id).apply(
                lambda account: json.dumps(service_trust_policy("vpc-flow-logs.amazonaws.com", account))
            ),
            tags=tags,
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-flow-logs", role=role.id, policy=log_group.arn.apply(_flow_log_policy), opts=child
        )
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=log_group.arn,
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
            tags={**tags, "Name": f"{name}-flow-log"},
            opts=child,
        )
        if args.flow_log_bucket_arn is not None:
            # No role: the log delivery service writes under the bucket's own policy:
            # https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html
            aws.ec2.FlowLog(
                f"{name}-flow-log-archive",
                vpc_id=vpc.id,
                traffic_type="ALL",
                log_destination_type="s3",
                log_destination=args.flow_log_bucket_arn,
                max_aggregation_interval=600,
                tags={**tags, "Name": f"{name}-flow-log-archive"},
                opts=child,
            )
        return log_group
