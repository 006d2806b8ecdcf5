"""TenantBaseline: everything one tenant environment gets in its own account, in Tokyo and Osaka.

Composes the components from a validated :class:`~tenancy.spec.TenantSpec` through the two providers the
stack creates (assume-role into the tenant account, one per region); no provider is created here.

Per region: the tenant key, AWS Config (GuardDuty, Security Hub and Inspector are switched on in the account
by the organization's security account, whose auto-enable a create here would collide with), finding
notifications (findings are regional and an EventBridge rule can only target a topic of its own region) and
the account guardrails. In Tokyo only: the VPC, the entry point, the source buckets, the backup plan, mail,
patching and the break-glass role (IAM is global; it goes through the Tokyo provider). In Osaka: the replicas,
the backup copy vault.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.account_guardrails import AccountGuardrails, AccountGuardrailsArgs
from components.backup import TenantBackup, TenantBackupArgs
from components.break_glass import BreakGlassRole, BreakGlassRoleArgs
from components.detection import Detection, DetectionArgs
from components.edge import EdgeProtection, EdgeProtectionArgs
from components.keys import TenantKeys, TenantKeysArgs
from components.log_archive import CONFIG_PREFIX
from components.mail import MailDomain, MailDomainArgs
from components.naming import availability_zones, region_code
from components.network import TenantNetwork, TenantNetworkArgs
from components.notifications import Notifications, NotificationsArgs
from components.patching import Patching, PatchingArgs
from components.storage import TenantStorage, TenantStorageArgs
from tenancy.spec import MAIL_DOMAIN_KEY, TenantSpec


@dataclass
class TenantBaselineArgs:
    """Inputs of one tenant environment's baseline.

    ``account_id`` is the tenant account (the org stack's ``tenantAccountIds``); the providers act in it.
    ``security_account_id`` (the org stack's ``securityAccountId``) is the only account whose people, with
    MFA, may assume the break-glass role. ``log_archive_bucket`` / ``log_archive_key_arn`` are where AWS
    Config delivers (the org stack's ``logArchiveBucket`` / ``logArchiveKeyArn``), outside the tenant account
    (LOG-02). ``workload_role_arns`` are application roles allowed to use the tenant keys."""

    spec: TenantSpec
    account_id: pulumi.Input[str]
    primary_provider: pulumi.ProviderResource
    secondary_provider: pulumi.ProviderResource
    log_archive_bucket: pulumi.Input[str]
    security_account_id: pulumi.Input[str]
    log_archive_key_arn: pulumi.Input[str] | None = None
    config_key_prefix: str = CONFIG_PREFIX
    workload_role_arns: Sequence[pulumi.Input[str]] = ()
    # The tenant's own zone of domainName in the tenant account (the org stack's ``tenantZoneIds``, created
    # with its delegation from the spec's hostedZoneId); without it, hostedZoneId itself must be a zone of
    # domainName that the tenant providers can write to.
    hosted_zone_id: pulumi.Input[str] | None = None
    # The organization (the org stack's ``organizationId``): the VPC endpoints admit its principals only.
    organization_id: pulumi.Input[str] | None = None
    # The log archive's delivery buckets and their key (the org stack's ``logArchiveFlowLogBucketArn``,
    # ``logArchiveWafLogBucketArn`` and ``logDeliveryKeyArn``): flow logs and WAF logs leave the tenant
    # account (LOG-02).
    flow_log_bucket_arn: pulumi.Input[str] | None = None
    waf_log_bucket_arn: pulumi.Input[str] | None = None
    log_delivery_key_arn: pulumi.Input[str] | None = None
    # The log archive's ALB access-log bucket of the primary Region (the org stack's
    # ``logArchiveAlbLogBuckets``): the entry point writes its access logs there under the stack's name
    # (LOG-06).
    alb_access_log_bucket: pulumi.Input[str] | None = None
    # The zones the org stack created in the tenant account for the mail records, by key
    # (``TenantSpec.mail_delegations``, the org stack's ``tenantMailZoneIds``); a mail domain within
    # domainName uses the tenant's own zone.
    mail_zone_ids: pulumi.Input[Mapping[str, str]] | None = None


def _zone_of(key: str, zones: Mapping[str, str]) -> str:
    return str(zones[key])


class TenantBaseline(pulumi.ComponentResource):
    """The hardened baseline of one tenant environment; see the module docstring."""

    keys: TenantKeys
    network: TenantNetwork
    edge: EdgeProtection
    storage: TenantStorage
    backup: TenantBackup
    detection: dict[str, Detection]
    notifications: dict[str, Notifications]
    mail: MailDomain | None
    patching: Patching
    break_glass: BreakGlassRole
    shield_subscription: aws.shield.Subscription | None
    guardrails: AccountGuardrails

    def __init__(
        self, name: str, args: TenantBaselineArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("tenant-zone:baseline:TenantBaseline", name, None, opts)
        primary = self._under(args.primary_provider)
        # The role the SCPs and the key policies below reserve crypto-shredding for (IAM-03, DATA-01).
        self.break_glass = BreakGlassRole(
            f"{name}-break-glass",
            BreakGlassRoleArgs(account_id=args.account_id, trusted_account_id=args.security_account_id),
            opts=primary,
        )
        self.keys = self._keys(name, args)
        shield_prerequisites = self._shield_subscription(name, args)
        self.network = self._network(name, args, shield_prerequisites)
        self.edge = self._edge(name, args, shield_prerequisites)
        self.storage = self._storage(name, args)
        self.backup = self._backup(name, args)
        self._detection_and_notifications(name, args)
        self.mail = self._mail(name, args)
        self.patching = Patching(f"{name}-patching", PatchingArgs(), opts=primary)
        self.guardrails = AccountGuardrails(
            f"{name}-guardrails",
            AccountGuardrailsArgs(
                providers={
                    args.spec.primary_region: args.primary_provider,
                    args.spec.secondary_region: args.secondary_provider,
                }
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs(
            {
                "vpcId": self.network.vpc_id,
                "loadBalancerDnsName": self.edge.load_balancer_dns_name,
                "webAclArn": self.edge.web_acl_arn,
                "primaryKeyArn": self.keys.primary.arn,
                "secondaryKeyArn": self.keys.secondary.arn,
                "primaryVaultArn": self.backup.primary_vault.arn,
                "secondaryVaultArn": self.backup.secondary_vault.arn,
                "breakGlassRoleArn": self.break_glass.role_arn,
            }
        )

    def _under(self, provider: pulumi.ProviderResource) -> pulumi.ResourceOptions:
        # Components pass a provider on to their children through the parent chain.
        return pulumi.ResourceOptions(parent=self, provider=provider)

    def _keys(self, name: str, args: TenantBaselineArgs) -> TenantKeys:
        spec = args.spec
        return TenantKeys(
            f"{name}-keys",
            TenantKeysArgs(
                tenant=spec.stack_name,
                account_id=args.account_id,
                primary_provider=args.primary_provider,
                secondary_provider=args.secondary_provider,
                primary_region=spec.primary_region,
                secondary_region=spec.secondary_region,
                user_role_arns=list(args.workload_role_arns),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _shield_subscription(self, name: str, args: TenantBaselineArgs) -> list[pulumi.Resource]:
        """The account's Shield Advanced subscription when the spec asks for Shield; what protections wait on.

        Shield Advanced protections need the account's subscription first: CreateProtection in an account
        without one fails with ResourceNotFoundException ("The subscription does not exist").
        https://docs.aws.amazon.com/waf/latest/DDOSAPIReference/API_CreateProtection.html
        The subscription is a one-year commitment that deleting the stack cannot undo
        (https://docs.aws.amazon.com/waf/latest/DDOSAPIReference/API_CreateSubscription.html), so it is
        protected and left in place on delete."""
        self.shield_subscription = None
        if not args.spec.shield_advanced:
            return []
        self.shield_subscription = aws.shield.Subscription(
            f"{name}-shield-subscription",
            auto_renew="ENABLED",
            opts=pulumi.ResourceOptions(
                parent=self, provider=args.primary_provider, protect=True, retain_on_delete=True
            ),
        )
        return [self.shield_subscription]

    def _network(
        self, name: str, args: TenantBaselineArgs, shield_prerequisites: list[pulumi.Resource]
    ) -> TenantNetwork:
        spec = args.spec
        return TenantNetwork(
            f"{name}-network",
            TenantNetworkArgs(
                vpc_cidr=spec.vpc_cidr,
                availability_zones=availability_zones(spec.primary_region, spec.availability_zones),
                account_id=args.account_id,
                kms_key_arn=self.keys.primary.arn,
                region=spec.primary_region,
                primary_provider=args.primary_provider,
                nat_per_az=spec.is_production,
                flow_log_retention_days=spec.log_retention_days,
                flow_log_bucket_arn=args.flow_log_bucket_arn,
                shield_protection=spec.shield_advanced,
                shield_depends_on=shield_prerequisites,
                organization_id=args.organization_id,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _edge(
        self, name: str, args: TenantBaselineArgs, shield_prerequisites: list[pulumi.Resource]
    ) -> EdgeProtection:
        spec = args.spec
        entry_zone_id = args.hosted_zone_id if args.hosted_zone_id is not None else spec.hosted_zone_id
        return EdgeProtection(
            f"{name}-edge",
            EdgeProtectionArgs(
                vpc_id=self.network.vpc_id,
                vpc_cidr=spec.vpc_cidr,
                public_subnet_ids=self.network.subnet_ids["public"],
                domain_name=spec.domain_name,
                hosted_zone_id=entry_zone_id,
                log_kms_key_arn=self.keys.primary.arn,
                allowed_countries=list(spec.allowed_countries),
                allowed_cidrs=list(spec.allowed_cidrs),
                blocked_cidrs=list(spec.blocked_cidrs),
                rate_limit=spec.rate_limit,
                shield_advanced=spec.shield_advanced,
                shield_depends_on=shield_prerequisites,
                log_retention_days=spec.log_retention_days,
                waf_log_bucket_arn=args.waf_log_bucket_arn,
                waf_log_kms_key_arn=args.log_delivery_key_arn,
                access_logs_bucket=args.alb_access_log_bucket,
                access_logs_prefix=spec.stack_name,
                account_id=args.account_id,
            ),
            opts=self._under(args.primary_provider),
        )

    def _storage(self, name: str, args: TenantBaselineArgs) -> TenantStorage:
        spec = args.spec
        return TenantStorage(
            f"{name}-storage",
            TenantStorageArgs(
                tenant=spec.stack_name,
                account_id=args.account_id,
                primary_key_arn=self.keys.primary.arn,
                secondary_key_arn=self.keys.secondary.arn,
                primary_provider=args.primary_provider,
                secondary_provider=args.secondary_provider,
                primary_region=spec.primary_region,
                secondary_region=spec.secondary_region,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _backup(self, name: str, args: TenantBaselineArgs) -> TenantBackup:
        spec = args.spec
        return TenantBackup(
            f"{name}-backup",
            TenantBackupArgs(
                tenant=spec.stack_name,
                selection_tag_value=spec.id,
                account_id=args.account_id,
                primary_key_arn=self.keys.primary.arn,
                secondary_key_arn=self.keys.secondary.arn,
                primary_provider=args.primary_provider,
                secondary_provider=args.secondary_provider,
                primary_region=spec.primary_region,
                secondary_region=spec.secondary_region,
                retention_days=spec.backup.retention_days,
                copy_retention_days=spec.backup.effective_copy_retention_days,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _detection_and_notifications(self, name: str, args: TenantBaselineArgs) -> None:
        """Detection and finding notifications in each region, through that region's provider."""
        spec = args.spec
        regions = {spec.primary_region: args.primary_provider, spec.secondary_region: args.secondary_provider}
        key_arns = {
            spec.primary_region: self.keys.primary.arn,
            spec.secondary_region: self.keys.secondary.arn,
        }
        self.detection = {}
        self.notifications = {}
        for region, provider in regions.items():
            code = region_code(region)
            self.detection[region] = Detection(
                f"{name}-detection-{code}",
                DetectionArgs(
                    region=region,
                    account_id=args.account_id,
                    config_bucket_name=args.log_archive_bucket,
                    config_kms_key_arn=args.log_archive_key_arn,
                    config_key_prefix=args.config_key_prefix,
                    # GuardDuty, Security Hub and Inspector: switched on here by the organization (LOG-03)
                    organization_administered=True,
                ),
                opts=self._under(provider),
            )
            self.notifications[region] = Notifications(
                f"{name}-notifications-{code}",
                NotificationsArgs(incident_email=spec.incident_email, kms_key_arn=key_arns[region]),
                # the rules match findings, so they follow the services that emit them
                opts=pulumi.ResourceOptions.merge(
                    self._under(provider), pulumi.ResourceOptions(depends_on=[self.detection[region]])
                ),
            )

    def _mail(self, name: str, args: TenantBaselineArgs) -> MailDomain | None:
        spec = args.spec
        if spec.mail is None:
            return None
        entry_zone = args.hosted_zone_id if args.hosted_zone_id is not None else spec.hosted_zone_id
        zone_id: pulumi.Input[str] | None = entry_zone
        record_zone_ids: dict[str, pulumi.Input[str]] = {}
        delegations = spec.mail_delegations
        if delegations and args.mail_zone_ids is not None:
            zones = pulumi.Output.from_input(args.mail_zone_ids)
            picked: dict[str, pulumi.Input[str]] = {
                key: zones.apply(functools.partial(_zone_of, key)) for key in delegations
            }
            if MAIL_DOMAIN_KEY in picked:
                zone_id = picked[MAIL_DOMAIN_KEY]
            else:
                zone_id, record_zone_ids = None, dict(picked)
        elif delegations:
            # Outside the org stack's care (the baseline on its own): the spec's zone, written directly.
            zone_id = spec.mail.parent_zone_id or spec.mail.hosted_zone_id or entry_zone
        return MailDomain(
            f"{name}-mail",
            MailDomainArgs(
                domain=spec.mail.domain,
                hosted_zone_id=zone_id,
                record_zone_ids=record_zone_ids,
                region=spec.primary_region,
            ),
            opts=self._under(args.primary_provider),
        )
