"""EdgeProtection: the tenant's internet-facing entry point (EDGE-01..04, ENC-03, NET-02).

An internet-facing ALB in the public subnets whose security group admits only
TCP 443 and 80 from anywhere (80 only redirects to HTTPS), an ACM certificate
validated through the tenant's hosted zone, a TLS 1.2+ HTTPS listener and an
alias record. A regional WAFv2 web ACL is associated with the ALB; its rules,
in evaluation order:

0. ``deny-list``      block sources in the deny IP set (``blockedCidrs``);
1. ``allow-only``     only when ``allowedCidrs`` is set: block every source
                      outside the allow IP set (EDGE-04);
2. ``geo-restrict``   block requests from countries outside
                      ``allowedCountries`` (JP) unless the source is in the
                      allow IP set (EDGE-02);
3. ``rate-limit``     rate-based block per source IP (EDGE-01);
4-6.                  AWS managed groups Common, SQLi, KnownBadInputs.

The allow list is an exemption, never an "allow" action: an allowed source
still goes through the rate limit and the managed rule groups. Default action
allow. WAF logs, with the Authorization and Cookie headers redacted, go to the
log-archive account's bucket ``waf_log_bucket_arn`` when given (LOG-02), else to a
KMS-encrypted log group ``aws-waf-logs-<name>`` kept ``log_retention_days`` (LOG-02's
minimum or more). WAF only writes directly to a bucket of its own account, so the
archive is reached through a Firehose stream ``aws-waf-logs-<name>`` in the tenant
account, whose role the archive bucket and key admit. With ``shield_advanced`` the ALB gets a Shield Advanced
protection and automatic application-layer DDoS mitigation (EDGE-03); the
Shield Advanced subscription itself is an account-level, one-year commitment
made outside this component.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws_limits import (
    CLOUDWATCH_RETENTION_DAYS,
    RATE_LIMIT_MAX,
    RATE_LIMIT_MIN,
    WAF_IP_SET_MAX_ADDRESSES,
)
from components.checks import is_domain_name
from components.errors import InputProblems
from components.naming import SERVICE_ROLE_PATH
from components.policy_documents import policy_document, service_trust_policy
from components.scps import WAF_LOG_PREFIX
from policies.parameters import MIN_LOG_RETENTION_DAYS, PRIMARY_REGION

_KIND = "EdgeProtection"
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
# ELB policies that refuse TLS 1.0/1.1 (ENC-03).
_TLS12_POLICY = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)(-[A-Za-z0-9]+)*\Z")
IP_SET_MAX_ADDRESSES = WAF_IP_SET_MAX_ADDRESSES
MANAGED_RULE_GROUPS: tuple[str, ...] = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
_COUNTRY = re.compile(r"^[A-Z]{2}\Z")


@dataclass
class EdgeProtectionArgs:
    """Inputs of the entry point.

    ``vpc_cidr`` bounds the ALB's egress (to its targets). ``log_kms_key_arn``
    is the tenant key of the ALB's region; its policy must let
    ``logs.<region>.amazonaws.com`` use it. ``access_logs_bucket`` enables ALB
    access logs (the bucket must accept ELB log delivery, which supports
    SSE-S3 only). ``waf_log_bucket_arn`` / ``waf_log_kms_key_arn`` are the
    log archive's WAF bucket and its key (the org stack's outputs), and
    ``account_id`` the tenant account; a web ACL has exactly one logging
    destination, so the archive replaces the log group.
    """

    vpc_id: pulumi.Input[str]
    vpc_cidr: str
    public_subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    domain_name: str
    hosted_zone_id: pulumi.Input[str]
    log_kms_key_arn: pulumi.Input[str]
    allowed_countries: Sequence[str] = ("JP",)
    allowed_cidrs: Sequence[str] = ()
    blocked_cidrs: Sequence[str] = ()
    rate_limit: int = 2000
    shield_advanced: bool = True
    log_retention_days: int = 400
    ssl_policy: str = DEFAULT_SSL_POLICY
    deletion_protection: bool = True
    access_logs_bucket: pulumi.Input[str] | None = None
    waf_log_bucket_arn: pulumi.Input[str] | None = None
    waf_log_kms_key_arn: pulumi.Input[str] | None = None
    account_id: pulumi.Input[str] | None = None
    # The account's Shield Advanced subscription: CreateProtection fails without one.
    shield_depends_on: Sequence[pulumi.Resource] = ()
    tags: dict[str, str] = field(default_factory=dict)


def _normalised_cidrs(problems: InputProblems, key: str, cidrs: Sequence[str], control: str) -> list[str]:
    """The normalised IPv4 CIDRs of one list; every bad entry becomes a problem."""
    if len(cidrs) > IP_SET_MAX_ADDRESSES:
        problems.add(
            f"{key} has {len(cidrs)} entries",
            f"at most {IP_SET_MAX_ADDRESSES} (WAF IP set limit); aggregate the ranges",
            control,
        )
    normalised: list[str] = []
    for index, cidr in enumerate(cidrs):
        entry = f"{key}[{index}] = {cidr!r}"
        try:
            network = ipaddress.ip_network(cidr, strict=True)
        except ValueError:
            problems.add(
                f"{entry} is not a CIDR block with its host bits zero",
                "IPv4 CIDRs such as 203.0.113.0/24 (a single address is 203.0.113.10/32)",
                control,
            )
            continue
        if network.version != 4:
            problems.add(f"{entry} is an IPv6 range", "IPv4 CIDRs (the entry point is IPv4 only)", control)
        elif network.prefixlen == 0:
            problems.add(
                f"{entry} matches every address",
                "prefixes /1 to /32 (WAF rejects /0; leave the list empty instead)",
                control,
            )
        elif str(network) in normalised:
            problems.add(f"{entry} is listed twice", "each range once", control)
        else:
            normalised.append(str(network))
    return normalised


def validate_cidrs(name: str, key: str, cidrs: Sequence[str], control: str) -> list[str]:
    """The normalised IPv4 CIDRs, or an error naming every bad entry."""
    problems = InputProblems(_KIND, name)
    normalised = _normalised_cidrs(problems, key, cidrs, control)
    problems.raise_if_any()
    return normalised


# https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html (DeliveryStreamName)
FIREHOSE_NAME_MAX = 64
# The delivery stream's role: the log archive's bucket and key admit baseline roles named so.
WAF_LOG_DELIVERY_ROLE = "waf-log-delivery"


def waf_log_delivery_policy(*, bucket_arn: str, key_arn: str, account_id: str) -> dict[str, Any]:
    """The Firehose role's permissions: write under this account's prefix of the archive bucket, encrypt
    with the archive key through S3 only
    (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3)."""
    return policy_document(
        {
            "Effect": "Allow",
            "Action": [
                "s3:AbortMultipartUpload",
                "s3:GetBucketLocation",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
                "s3:GetObject",
                "s3:PutObject",
            ],
            "Resource": [bucket_arn, f"{bucket_arn}/AWSLogs/{account_id}/*"],
        },
        {
            "Effect": "Allow",
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": key_arn,
            "Condition": {
                # The archive buckets use an S3 Bucket Key, so S3 asks KMS with the bucket's ARN as the
                # encryption context, never an object's
                # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
                "StringEquals": {
                    "kms:ViaService": f"s3.{PRIMARY_REGION}.amazonaws.com",
                    "kms:EncryptionContext:aws:s3:arn": bucket_arn,
                },
            },
        },
    )


def validate_edge_args(name: str, args: EdgeProtectionArgs) -> tuple[list[str], list[str]]:
    """Refuse settings that break a control (every problem at once); returns the normalised allow and deny
    lists."""
    problems = InputProblems(_KIND, name)
    if not is_domain_name(args.domain_name):
        problems.add(
            f"domain_name = {args.domain_name!r} is not a lowercase DNS name",
            "the public host name, e.g. app.acme.example.co.jp",
            "ENC-03",
        )
    try:
        vpc = ipaddress.ip_network(args.vpc_cidr, strict=True)
    except ValueError:
        vpc = None
    if vpc is None or vpc.version != 4:
        problems.add(
            f"vpc_cidr = {args.vpc_cidr!r} is not an IPv4 CIDR", "the VPC's CIDR, e.g. 10.20.0.0/16", "NET-02"
        )
    if not args.allowed_countries:
        problems.add("allowed_countries is empty", "at least JP (ISO 3166-1 alpha-2 codes)", "EDGE-02")
    for index, code in enumerate(args.allowed_countries):
        if not _COUNTRY.match(code):
            problems.add(
                f"allowed_countries[{index}] = {code!r} is not a country code",
                "upper-case ISO 3166-1 alpha-2 codes such as JP",
                "EDGE-02",
            )
    if len(set(args.allowed_countries)) != len(args.allowed_countries):
        problems.add(
            f"allowed_countries {list(args.allowed_countries)} repeats a code", "each code once", "EDGE-02"
        )
    allowed = _normalised_cidrs(problems, "allowed_cidrs", args.allowed_cidrs, "EDGE-04")
    blocked = _normalised_cidrs(problems, "blocked_cidrs", args.blocked_cidrs, "EDGE-01")
    if not RATE_LIMIT_MIN <= args.rate_limit <= RATE_LIMIT_MAX:
        problems.add(
            f"rate_limit = {args.rate_limit} is outside WAF's range",
            f"requests per 5 minutes per IP between {RATE_LIMIT_MIN} and {RATE_LIMIT_MAX}",
            "EDGE-01",
        )
    if (
        args.log_retention_days < MIN_LOG_RETENTION_DAYS
        or args.log_retention_days not in CLOUDWATCH_RETENTION_DAYS
    ):
        choices = ", ".join(str(v) for v in CLOUDWATCH_RETENTION_DAYS if v >= MIN_LOG_RETENTION_DAYS)
        problems.add(
            f"log_retention_days = {args.log_retention_days} is not a CloudWatch retention of at least "
            f"{MIN_LOG_RETENTION_DAYS} days",
            f"one of {choices}",
            "LOG-02",
        )
    if not _TLS12_POLICY.match(args.ssl_policy):
        problems.add(
            f"ssl_policy = {args.ssl_policy!r} is not a TLS 1.2+ ELB security policy",
            f"a policy without TLS 1.0/1.1 such as {DEFAULT_SSL_POLICY}",
            "ENC-03",
        )
    if args.waf_log_bucket_arn is not None and (args.waf_log_kms_key_arn is None or args.account_id is None):
        problems.add(
            "waf_log_bucket_arn is set without waf_log_kms_key_arn and account_id",
            "all three, so that the delivery stream's role may write and encrypt in the log archive",
            "LOG-02",
        )
    if args.waf_log_bucket_arn is not None and len(f"{WAF_LOG_PREFIX}{name}") > FIREHOSE_NAME_MAX:
        problems.add(
            f"the name {name!r} makes the WAF log stream's name longer than {FIREHOSE_NAME_MAX} characters",
            f"a name of at most {FIREHOSE_NAME_MAX - len(WAF_LOG_PREFIX)} characters",
        )
    problems.raise_if_any()
    return allowed, blocked


def _visibility(metric: str) -> aws.wafv2.WebAclRuleVisibilityConfigArgs:
    return aws.wafv2.WebAclRuleVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=metric
    )


def _block() -> aws.wafv2.WebAclRuleActionArgs:
    return aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs())


def _in_ip_set(arn: pulumi.Input[str]) -> aws.wafv2.WebAclRuleStatementArgs:
    return aws.wafv2.WebAclRuleStatementArgs(
        ip_set_reference_statement=aws.wafv2.WebAclRuleStatementIpSetReferenceStatementArgs(arn=arn)
    )


def _not(statement: aws.wafv2.WebAclRuleStatementArgs) -> aws.wafv2.WebAclRuleStatementArgs:
    return aws.wafv2.WebAclRuleStatementArgs(
        not_statement=aws.wafv2.WebAclRuleStatementNotStatementArgs(statement=statement)
    )


def web_acl_rules(
    metric_prefix: str,
    *,
    allow_set_arn: pulumi.Input[str],
    deny_set_arn: pulumi.Input[str],
    allowed_countries: Sequence[str],
    allow_only: bool,
    rate_limit: int,
) -> list[aws.wafv2.WebAclRuleArgs]:
    """The web ACL's rules in priority order (see the module docstring)."""
    rules: list[tuple[str, dict[str, Any]]] = [
        ("deny-list", {"action": _block(), "statement": _in_ip_set(deny_set_arn)}),
    ]
    if allow_only:
        rules.append(("allow-only", {"action": _block(), "statement": _not(_in_ip_set(allow_set_arn))}))
    rules.append(
        (
            "geo-restrict",
            {
                "action": _block(),
                "statement": aws.wafv2.WebAclRuleStatementArgs(
                    and_statement=aws.wafv2.WebAclRuleStatementAndStatementArgs(
                        statements=[
                            _not(
                                aws.wafv2.WebAclRuleStatementArgs(
                                    geo_match_statement=aws.wafv2.WebAclRuleStatementGeoMatchStatementArgs(
                                        country_codes=list(allowed_countries)
                                    )
                                )
                            ),
                            _not(_in_ip_set(allow_set_arn)),
                        ]
                    )
                ),
            },
        )
    )
    rules.append(
        (
            "rate-limit",
            {
                "action": _block(),
                "statement": aws.wafv2.WebAclRuleStatementArgs(
                    rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                        limit=rate_limit, aggregate_key_type="IP", evaluation_window_sec=300
                    )
                ),
            },
        )
    )
    for group in MANAGED_RULE_GROUPS:
        rules.append(
            (
                group,
                {
                    "override_action": aws.wafv2.WebAclRuleOverrideActionArgs(
                        none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()
                    ),
                    "statement": aws.wafv2.WebAclRuleStatementArgs(
                        managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                            name=group, vendor_name="AWS"
                        )
                    ),
                },
            )
        )
    return [
        aws.wafv2.WebAclRuleArgs(
            name=rule_name,
            priority=priority,
            visibility_config=_visibility(f"{metric_prefix}-{rule_name}"),
            **parts,
        )
        for priority, (rule_name, parts) in enumerate(rules)
    ]


def _single_validation_record(
    options: Sequence[aws.acm.outputs.CertificateDomainValidationOption] | None,
) -> tuple[str, str, str]:
    """(name, type, value) of the DNS record ACM asks for."""
    for option in options or []:
        if option.resource_record_name and option.resource_record_type and option.resource_record_value:
            return option.resource_record_name, option.resource_record_type, option.resource_record_value
    raise pulumi.RunError("ACM returned no DNS validation record for the certificate")


class EdgeProtection(pulumi.ComponentResource):
    load_balancer_arn: pulumi.Output[str]
    load_balancer_dns_name: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    https_listener_arn: pulumi.Output[str]
    certificate_arn: pulumi.Output[str]
    web_acl_arn: pulumi.Output[str]
    allow_ip_set_arn: pulumi.Output[str]
    deny_ip_set_arn: pulumi.Output[str]
    waf_log_destination_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: EdgeProtectionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        allowed, blocked = validate_edge_args(name, args)
        super().__init__("tenant-zone:edge:EdgeProtection", name, None, opts)
        security_group, load_balancer = self._load_balancer(name, args)
        certificate, validation = self._certificate(name, args)
        https = self._listeners(name, args, load_balancer, validation)
        self._alias(name, args, load_balancer)
        allow_set, deny_set, web_acl, association = self._web_acl(name, args, allowed, blocked, load_balancer)
        waf_log_destination = self._waf_logging(name, args, web_acl)
        if args.shield_advanced:
            self._shield(name, args, load_balancer, association)

        self.load_balancer_arn = load_balancer.arn
        self.load_balancer_dns_name = load_balancer.dns_name
        self.security_group_id = security_group.id
        self.https_listener_arn = https.arn
        self.certificate_arn = certificate.arn
        self.web_acl_arn = web_acl.arn
        self.allow_ip_set_arn = allow_set.arn
        self.deny_ip_set_arn = deny_set.arn
        self.waf_log_destination_arn = waf_log_destination
        self.register_outputs(
            {
                "loadBalancerArn": self.load_balancer_arn,
                "loadBalancerDnsName": self.load_balancer_dns_name,
                "securityGroupId": self.security_group_id,
                "httpsListenerArn": self.https_listener_arn,
                "certificateArn": self.certificate_arn,
                "webAclArn": self.web_acl_arn,
                "allowIpSetArn": self.allow_ip_set_arn,
                "denyIpSetArn": self.deny_ip_set_arn,
                "wafLogDestinationArn": self.waf_log_destination_arn,
            }
        )

    def _child(self, *depends_on: pulumi.Resource) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=list(depends_on))

    def _load_balancer(
        self, name: str, args: EdgeProtectionArgs
    ) -> tuple[aws.ec2.SecurityGroup, aws.lb.LoadBalancer]:
        """The internet-facing ALB and its security group (HTTPS in, HTTP only to redirect)."""
        security_group = aws.ec2.SecurityGroup(
            f"{name}-alb-sg",
            description="Internet-facing ALB: HTTPS, and HTTP for the redirect only",
            vpc_id=args.vpc_id,
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    description="HTTPS", protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"]
                ),
                aws.ec2.SecurityGroupIngressArgs(
                    description="HTTP, redirected to HTTPS",
                    protocol="tcp",
                    from_port=80,
                    to_port=80,
                    cidr_blocks=["0.0.0.0/0"],
                ),
            ],
            egress=[
                aws.ec2.SecurityGroupEgressArgs(
                    description="To targets inside the VPC",
                    protocol="tcp",
                    from_port=0,
                    to_port=65535,
                    cidr_blocks=[args.vpc_cidr],
                )
            ],
            tags=dict(args.tags),
            opts=self._child(),
        )
        load_balancer = aws.lb.LoadBalancer(
            f"{name}-alb",
            load_balancer_type="application",
            internal=False,
            ip_address_type="ipv4",
            security_groups=[security_group.id],
            subnets=args.public_subnet_ids,
            drop_invalid_header_fields=True,
            enable_deletion_protection=args.deletion_protection,
            access_logs=(
                aws.lb.LoadBalancerAccessLogsArgs(bucket=args.access_logs_bucket, enabled=True, prefix=name)
                if args.access_logs_bucket is not None
                else None
            ),
            tags=dict(args.tags),
            opts=self._child(),
        )
        return security_group, load_balancer

    def _certificate(
        self, name: str, args: EdgeProtectionArgs
    ) -> tuple[aws.acm.Certificate, aws.acm.CertificateValidation]:
        """The ACM certificate for the domain, validated through a DNS record in the hosted zone."""
        certificate = aws.acm.Certificate(
            f"{name}-certificate",
            domain_name=args.domain_name,
            validation_method="DNS",
            tags=dict(args.tags),
            opts=self._child(),
        )
        # One domain name, so exactly one validation record.
        validation_option = certificate.domain_validation_options.apply(_single_validation_record)
        validation_record = aws.route53.Record(
            f"{name}-certificate-validation-record",
            zone_id=args.hosted_zone_id,
            name=validation_option.apply(lambda o: o[0]),
            type=validation_option.apply(lambda o: o[1]),
            records=[validation_option.apply(lambda o: o[2])],
            ttl=60,
            allow_overwrite=True,
            opts=self._child(),
        )
        validation = aws.acm.CertificateValidation(
            f"{name}-certificate-validation",
            certificate_arn=certificate.arn,
            validation_record_fqdns=[validation_record.fqdn],
            opts=self._child(),
        )
        return certificate, validation

    def _listeners(
        self,
        name: str,
        args: EdgeProtectionArgs,
        load_balancer: aws.lb.LoadBalancer,
        validation: aws.acm.CertificateValidation,
    ) -> aws.lb.Listener:
        """The HTTPS listener (TLS 1.2+, nothing served until the tenant adds rules) and the HTTP redirect."""
        https = aws.lb.Listener(
            f"{name}-https",
            load_balancer_arn=load_balancer.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=args.ssl_policy,
            certificate_arn=validation.certificate_arn,
            # Tenant applications add listener rules; until then nothing is served.
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(
                    type="fixed-response",
                    fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
                        content_type="text/plain", status_code="404", message_body="Not Found"
                    ),
                )
            ],
            tags=dict(args.tags),
            opts=self._child(),
        )
        aws.lb.Listener(
            f"{name}-http-redirect",
            load_balancer_arn=load_balancer.arn,
            port=80,
            protocol="HTTP",
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(
                    type="redirect",
                    redirect=aws.lb.ListenerDefaultActionRedirectArgs(
                        protocol="HTTPS", port="443", status_code="HTTP_301"
                    ),
                )
            ],
            tags=dict(args.tags),
            opts=self._child(),
        )
        return https

    def _alias(self, name: str, args: EdgeProtectionArgs, load_balancer: aws.lb.LoadBalancer) -> None:
        """The domain name pointing at the ALB."""
        aws.route53.Record(
            f"{name}-alias",
            zone_id=args.hosted_zone_id,
            name=args.domain_name,
            type="A",
            aliases=[
                aws.route53.RecordAliasArgs(
                    name=load_balancer.dns_name, zone_id=load_balancer.zone_id, evaluate_target_health=True
                )
            ],
            opts=self._child(),
        )

    def _web_acl(
        self,
        name: str,
        args: EdgeProtectionArgs,
        allowed: list[str],
        blocked: list[str],
        load_balancer: aws.lb.LoadBalancer,
    ) -> tuple[aws.wafv2.IpSet, aws.wafv2.IpSet, aws.wafv2.WebAcl, aws.wafv2.WebAclAssociation]:
        """The allow and deny IP sets and the web ACL in front of the ALB."""
        allow_set = aws.wafv2.IpSet(
            f"{name}-allow-list",
            scope="REGIONAL",
            ip_address_version="IPV4",
            addresses=allowed,
            description="Sources exempt from the country restriction (and the only ones admitted when set)",
            tags={**args.tags, "purpose": "allow-list"},
            opts=self._child(),
        )
        deny_set = aws.wafv2.IpSet(
            f"{name}-deny-list",
            scope="REGIONAL",
            ip_address_version="IPV4",
            addresses=blocked,
            description="Sources always blocked",
            tags={**args.tags, "purpose": "deny-list"},
            opts=self._child(),
        )
        web_acl = aws.wafv2.WebAcl(
            f"{name}-web-acl",
            scope="REGIONAL",
            description=(
                "Tenant entry point: deny list, allow list, Japan only, rate limit, AWS managed rules"
            ),
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=web_acl_rules(
                name,
                allow_set_arn=allow_set.arn,
                deny_set_arn=deny_set.arn,
                allowed_countries=args.allowed_countries,
                allow_only=bool(allowed),
                rate_limit=args.rate_limit,
            ),
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=f"{name}-web-acl"
            ),
            tags=dict(args.tags),
            opts=self._child(),
        )
        association = aws.wafv2.WebAclAssociation(
            f"{name}-web-acl-association",
            resource_arn=load_balancer.arn,
            web_acl_arn=web_acl.arn,
            opts=self._child(),
        )
        return allow_set, deny_set, web_acl, association

    def _waf_logging(
        self, name: str, args: EdgeProtectionArgs, web_acl: aws.wafv2.WebAcl
    ) -> pulumi.Output[str]:
        """WAF logs, credentials redacted, to the log-archive bucket, or else to an encrypted log group kept
        LOG-02's minimum or longer; returns the destination's ARN.

        A web ACL takes exactly one logging destination:
        https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html"""
        destination: pulumi.Output[str]
        if args.waf_log_bucket_arn is not None:
            destination = self._waf_log_stream(name, args, args.waf_log_bucket_arn)
        else:
            destination = aws.cloudwatch.LogGroup(
                f"{name}-waf-logs",
                name=f"{WAF_LOG_PREFIX}{name}",
                retention_in_days=args.log_retention_days,
                kms_key_id=args.log_kms_key_arn,
                tags=dict(args.tags),
                opts=self._child(),
            ).arn
        aws.wafv2.WebAclLoggingConfiguration(
            f"{name}-waf-logging",
            resource_arn=web_acl.arn,
            log_destination_configs=[destination],
            redacted_fields=[
                aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                    single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(
                        name=header
                    )
                )
                for header in ("authorization", "cookie")
            ],
            opts=self._child(),
        )
        return destination

    def _waf_log_stream(
        self, name: str, args: EdgeProtectionArgs, bucket_arn: pulumi.Input[str]
    ) -> pulumi.Output[str]:
        """A Firehose stream named for WAF that writes to the log archive's bucket under
        ``AWSLogs/<account>/WAFLogs/``, SSE-KMS with the archive key; returns its ARN.

        Cross-account delivery: the stream's role writes and the bucket policy admits it,
        https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#cross-account-delivery-s3"""
        account = pulumi.Output.from_input(args.account_id or "")
        role = aws.iam.Role(
            f"{name}-{WAF_LOG_DELIVERY_ROLE}",
            path=SERVICE_ROLE_PATH,
            description=f"Firehose delivery of {name}'s WAF logs to the log archive",
            assume_role_policy=account.apply(
                lambda a: json.dumps(service_trust_policy("firehose.amazonaws.com", a))
            ),
            tags=dict(args.tags),
            opts=self._child(),
        )
        role_policy = aws.iam.RolePolicy(
            f"{name}-{WAF_LOG_DELIVERY_ROLE}",
            role=role.id,
            policy=pulumi.Output.all(bucket_arn, args.waf_log_kms_key_arn, account).apply(
                lambda v: json.dumps(waf_log_delivery_policy(bucket_arn=v[0], key_arn=v[1], account_id=v[2]))
            ),
            opts=self._child(),
        )
        prefix = account.apply(lambda a: f"AWSLogs/{a}/WAFLogs/")
        stream = aws.kinesis.FirehoseDeliveryStream(
            f"{name}-waf-logs",
            name=f"{WAF_LOG_PREFIX}{name}",
            destination="extended_s3",
            server_side_encryption=aws.kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs(
                enabled=True, key_type="AWS_OWNED_CMK"
            ),
            extended_s3_configuration=aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs(
                role_arn=role.arn,
                bucket_arn=bucket_arn,
                prefix=prefix,
                error_output_prefix=account.apply(
                    lambda a: f"AWSLogs/{a}/WAFLogs-errors/!{{firehose:error-output-type}}/"
                ),
                kms_key_arn=args.waf_log_kms_key_arn,
                compression_format="GZIP",
                buffering_interval=300,
                buffering_size=5,
            ),
            tags=dict(args.tags),
            # The role must be able to write before the stream's first delivery.
            opts=self._child(role_policy),
        )
        return stream.arn

    def _shield(
        self,
        name: str,
        args: EdgeProtectionArgs,
        load_balancer: aws.lb.LoadBalancer,
        association: aws.wafv2.WebAclAssociation,
    ) -> None:
        """Shield Advanced protection of the ALB with automatic application-layer mitigation."""
        protection = aws.shield.Protection(
            f"{name}-shield",
            name=f"{name}-alb",
            resource_arn=load_balancer.arn,
            tags=dict(args.tags),
            opts=self._child(*args.shield_depends_on),
        )
        aws.shield.ApplicationLayerAutomaticResponse(
            f"{name}-shield-auto-response",
            resource_arn=load_balancer.arn,
            action="BLOCK",
            # Shield adds its rules to the associated web ACL.
            opts=self._child(protection, association),
        )
