"""The ``org`` stack: the organization, its guardrails and logging, and one account per tenant environment.

Runs with management-account credentials. The default provider (``aws:region``
= ap-northeast-1) acts in the management account; the log-archive and
security accounts are reached through providers that assume their
``OrganizationAccountAccessRole``, one per Japanese region, created here once
the ``Organization`` component has produced their IDs.

Tenants are read from the tenant stack files (``stacks/Pulumi.<tenant>-<env>.yaml``)
through ``tenancy.registry.load_accounts``: the org stack's own config
holds no tenant list that could drift from them. A tenant stack file added
in a pull request therefore creates its account in the same change.

An organization that already exists (the usual case: the management
account created it) is adopted rather than created: before the first
``pulumi up``, ``pulumi import aws:organizations/organization:Organization
org-organization <o-id>`` (and the same for existing OUs and core accounts,
by their logical names ``org-ou-<key>`` and ``org-<key>-account``).

Config ``tenant-zone:org`` (an object, unknown keys refused)::

    logArchiveAccountEmail: aws+log-archive@example.co.jp
    securityAccountEmail: aws+security@example.co.jp
    dataClassification: confidential      # tag of the org's own resources (logs hold personal data)
    logRetentionDays: 365                 # Object Lock compliance retention of the log archive (>= 365)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi

from components.account import TenantAccount, TenantAccountArgs
from components.alb_access_logs import AlbAccessLogs, AlbAccessLogsArgs
from components.break_glass import BreakGlassRole, BreakGlassRoleArgs
from components.checks import is_email
from components.detection import Detection, DetectionArgs
from components.dns import DelegatedZone, DelegatedZoneArgs
from components.log_archive import LogArchive, LogArchiveArgs
from components.log_delivery import LogDelivery, LogDeliveryArgs
from components.management_detection import ManagementDetection, ManagementDetectionArgs
from components.naming import region_code
from components.organization import Organization, OrganizationArgs
from components.security_admin import SecurityAdministration, SecurityAdministrationArgs
from components.trail import OrganizationTrail, OrganizationTrailArgs
from policies.messages import message
from policies.parameters import JAPAN_REGIONS, LOG_OBJECT_LOCK_DAYS
from policies.rules._net.logdest import (
    ALB_LOG_ARCHIVE_OUTPUT,
    FLOW_LOG_ARCHIVE_OUTPUT,
    WAF_LOG_ARCHIVE_OUTPUT,
)
from stacks.providers import account_provider, management_provider
from tenancy.registry import RegisteredAccount, load_accounts
from tenancy.spec import DATA_CLASSIFICATIONS
from tenancy.tags import PLATFORM_TENANT, register_required_tags

CONFIG_NAMESPACE = "tenant-zone"
CONFIG_NAME = "org"
CONFIG_KEY = f"{CONFIG_NAMESPACE}:{CONFIG_NAME}"
ORG_ENVIRONMENT = "prod"
STACKS_DIR = Path(__file__).resolve().parent
_KEYS: tuple[str, ...] = (
    "logArchiveAccountEmail",
    "securityAccountEmail",
    "dataClassification",
    "logRetentionDays",
)


class OrgConfigError(pulumi.RunError):
    """The org stack's configuration is invalid; one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            "\n".join(
                [f"invalid {CONFIG_KEY} configuration ({count} problem{'s' * (count != 1)}):", *problems]
            )
        )


@dataclass(frozen=True)
class OrgSettings:
    log_archive_account_email: str
    security_account_email: str
    data_classification: str = "confidential"
    log_retention_days: int = 365


def _line(key: str, wrong: str, expected: str, control: str | None = None) -> str:
    return message(f"{CONFIG_KEY}.{key}", wrong, expected, control)


def parse_org_settings(raw: Any) -> OrgSettings:
    """Validate the ``tenant-zone:org`` object; every problem is reported at once."""
    if not isinstance(raw, Mapping):
        raise OrgConfigError(
            [
                f"{CONFIG_KEY}: {raw!r} is not an object; expected logArchiveAccountEmail and"
                " securityAccountEmail."
            ]
        )
    problems: list[str] = []
    for key in sorted(set(raw) - set(_KEYS)):
        hint = (
            " (tenants come from the tenant stack files, not from the org config)" if key == "tenants" else ""
        )
        problems.append(_line(str(key), f"unknown key{hint}", f"only {', '.join(_KEYS)}"))
    emails: dict[str, str] = {}
    for key in ("logArchiveAccountEmail", "securityAccountEmail"):
        value = raw.get(key)
        if not isinstance(value, str) or not is_email(value):
            problems.append(
                _line(key, f"{value!r} is not an e-mail address", "the account's unique root e-mail address")
            )
        else:
            emails[key] = value
    if (
        len(emails) == 2
        and emails["logArchiveAccountEmail"].lower() == emails["securityAccountEmail"].lower()
    ):
        problems.append(
            _line(
                "securityAccountEmail",
                "is the same address as logArchiveAccountEmail",
                "one address per account",
            )
        )
    classification = raw.get("dataClassification", "confidential")
    if classification not in DATA_CLASSIFICATIONS:
        problems.append(
            _line(
                "dataClassification",
                f"{classification!r} is not a classification",
                f"one of {', '.join(DATA_CLASSIFICATIONS)}",
                "TEN-04",
            )
        )
    retention = raw.get("logRetentionDays", LOG_OBJECT_LOCK_DAYS)
    if isinstance(retention, bool) or not isinstance(retention, int) or retention < LOG_OBJECT_LOCK_DAYS:
        problems.append(
            _line(
                "logRetentionDays",
                f"{retention!r} keeps logs less than {LOG_OBJECT_LOCK_DAYS} days",
                f"a whole number of days >= {LOG_OBJECT_LOCK_DAYS}",
                "LOG-01",
            )
        )
    if problems:
        raise OrgConfigError(problems)
    return OrgSettings(
        log_archive_account_email=emails["logArchiveAccountEmail"],
        security_account_email=emails["securityAccountEmail"],
        data_classification=str(classification),
        log_retention_days=int(retention),
    )


def core_email_problems(settings: OrgSettings, tenants: Sequence[RegisteredAccount]) -> list[str]:
    """A tenant account may not reuse a core account's root e-mail (AWS refuses a second account with it)."""
    problems: list[str] = []
    core = {
        settings.log_archive_account_email.lower(): "logArchiveAccountEmail",
        settings.security_account_email.lower(): "securityAccountEmail",
    }
    for entry in tenants:
        key = core.get(entry.spec.account_email.lower())
        if key:
            problems.append(
                _line(
                    key,
                    f"{entry.spec.account_email!r} is also the account e-mail of tenant stack {entry.stack} "
                    f"({entry.path.name})",
                    "an address no tenant account uses",
                    "TEN-01",
                )
            )
    return problems


def build_org_stack(stacks_dir: Path = STACKS_DIR) -> dict[str, Any]:
    """Declare the org stack; returns (and exports) its outputs."""
    settings = parse_org_settings(pulumi.Config(CONFIG_NAMESPACE).get_object(CONFIG_NAME))
    # Before the first resource: a broken tenant file stops the program with nothing declared.
    tenants = load_accounts(stacks_dir)
    problems = core_email_problems(settings, tenants)
    if problems:
        raise OrgConfigError(problems)
    register_required_tags(PLATFORM_TENANT, ORG_ENVIRONMENT, settings.data_classification)

    org = Organization(
        "org",
        OrganizationArgs(
            log_archive_account_email=settings.log_archive_account_email,
            security_account_email=settings.security_account_email,
        ),
    )
    core_providers = {
        key: {
            region: account_provider(f"{key}-{region_code(region)}", account_id, region, "tenant-zone-org")
            for region in JAPAN_REGIONS
        }
        for key, account_id in (
            ("log-archive", org.log_archive_account_id),
            ("security", org.security_account_id),
        )
    }

    archive = LogArchive(
        "log-archive",
        LogArchiveArgs(
            organization_id=org.organization_id,
            management_account_id=org.management_account_id,
            log_archive_account_id=org.log_archive_account_id,
            object_lock_days=settings.log_retention_days,
            reader_account_ids=[org.security_account_id],
        ),
        opts=pulumi.ResourceOptions(provider=core_providers["log-archive"]["ap-northeast-1"]),
    )
    # The log archive's keys admit this role to restore their policies if the platform role is lost; it
    # is taken, with MFA, from the security account only.
    BreakGlassRole(
        "log-archive-break-glass",
        BreakGlassRoleArgs(account_id=org.log_archive_account_id, trusted_account_id=org.security_account_id),
        opts=pulumi.ResourceOptions(provider=core_providers["log-archive"]["ap-northeast-1"]),
    )
    trail = OrganizationTrail(
        "org-trail",
        OrganizationTrailArgs(
            bucket_name=archive.bucket_name, kms_key_arn=archive.kms_key_arn, trail_name=archive.trail_name
        ),
    )

    # The core accounts get the same detection baseline as tenant accounts (LOG-03: every account). The
    # security account enables its own services (it is the administrator); the log archive, like every tenant
    # account, has GuardDuty, Security Hub and Inspector switched on by the organization's auto-enable below.
    security_detectors: dict[str, pulumi.Output[str]] = {}
    security_detection: dict[str, list[pulumi.Resource]] = {}
    for key, account_id in (
        ("log-archive", org.log_archive_account_id),
        ("security", org.security_account_id),
    ):
        for region in JAPAN_REGIONS:
            detection = Detection(
                f"{key}-detection-{region_code(region)}",
                DetectionArgs(
                    region=region,
                    account_id=account_id,
                    config_bucket_name=archive.bucket_name,
                    config_kms_key_arn=archive.kms_key_arn,
                    config_key_prefix=archive.config_prefix,
                    organization_administered=key != "security",
                    # the administrator activates Inspector for itself and the members
                    enable_inspector=False,
                ),
                opts=pulumi.ResourceOptions(provider=core_providers[key][region]),
            )
            if key == "security" and detection.detector_id is not None:
                security_detectors[region] = detection.detector_id
                security_detection[region] = [detection]

    prod_ou = org.organizational_unit_ids["prod"]
    nonprod_ou = org.organizational_unit_ids["nonprod"]
    tenant_account_ids: dict[str, pulumi.Output[str]] = {}
    tenant_zone_ids: dict[str, pulumi.Output[str]] = {}
    tenant_mail_zone_ids: dict[str, dict[str, pulumi.Output[str]]] = {}
    for entry in tenants:
        account = TenantAccount(
            entry.stack,
            TenantAccountArgs(
                tenant=entry.spec.id,
                environment=entry.spec.environment,
                email=entry.spec.account_email,
                prod_ou_id=prod_ou,
                nonprod_ou_id=nonprod_ou,
                tags={"data-classification": entry.spec.data_classification},
            ),
        )
        tenant_account_ids[entry.stack] = account.account_id
        # The tenant's zone, in its new account, delegated from the parent zone (hostedZoneId) of the
        # management account: the tenant stack's entry point and certificate use it with no manual DNS step.
        dns_provider = account_provider(
            f"{entry.stack}-dns", account.account_id, entry.spec.primary_region, "tenant-zone-org"
        )
        zone = DelegatedZone(
            f"{entry.stack}-dns",
            DelegatedZoneArgs(
                domain_name=entry.spec.domain_name,
                parent_zone_id=entry.spec.hosted_zone_id,
                zone_provider=dns_provider,
            ),
        )
        tenant_zone_ids[entry.stack] = zone.zone_id
        # Likewise the zones that take the tenant stack's mail records (TenantSpec.mail_delegations): the
        # mail domain's own, or those of the names below it when it is the parent zone's own domain.
        mail_zones = {
            key: DelegatedZone(
                f"{entry.stack}-mail-{key}-dns",
                DelegatedZoneArgs(
                    domain_name=domain,
                    parent_zone_id=entry.spec.mail_parent_zone_id,
                    zone_provider=dns_provider,
                ),
            ).zone_id
            for key, domain in sorted(entry.spec.mail_delegations.items())
        }
        if mail_zones:
            tenant_mail_zone_ids[entry.stack] = mail_zones

    # Flow logs and WAF logs of every tenant account, delivered into the log-archive account (LOG-02).
    delivery = LogDelivery(
        "log-delivery",
        LogDeliveryArgs(
            log_archive_account_id=org.log_archive_account_id,
            organization_id=org.organization_id,
            source_account_ids=list(tenant_account_ids.values()),
            retention_days=settings.log_retention_days,
            reader_account_ids=[org.security_account_id],
        ),
        opts=pulumi.ResourceOptions(provider=core_providers["log-archive"]["ap-northeast-1"]),
    )

    # Access logs of the tenants' load balancers, into the log archive, in each Region a load balancer can be
    # in (ELB writes only to a bucket of its own Region); each tenant under its stack's name (LOG-06).
    alb_access_logs = {
        region: AlbAccessLogs(
            f"alb-access-logs-{region_code(region)}",
            AlbAccessLogsArgs(
                sources=dict(tenant_account_ids),
                region=region,
                retention_days=settings.log_retention_days,
                reader_account_ids=[org.security_account_id],
            ),
            opts=pulumi.ResourceOptions(provider=core_providers["log-archive"][region]),
        )
        for region in JAPAN_REGIONS
    }

    # Designating the security account enables GuardDuty / Security Hub there: only once its own detection
    # exists. It then switches the services on in every member account, the tenants' included.
    administration = SecurityAdministration(
        "security-admin",
        SecurityAdministrationArgs(
            security_account_id=org.security_account_id,
            enabled_first=security_detection,
            security_providers=core_providers["security"],
            detector_ids=security_detectors,
            root_id=org.root_id,
            member_account_ids=[org.log_archive_account_id, *tenant_account_ids.values()],
        ),
    )

    # The management account is the one account auto-enable leaves out (GuardDuty) or that has no
    # organization-wide switch at all (Config): it declares its own, in both regions.
    management_detection: dict[str, pulumi.Output[str]] = {}
    for region in JAPAN_REGIONS:
        management = ManagementDetection(
            f"management-detection-{region_code(region)}",
            ManagementDetectionArgs(
                region=region,
                management_account_email=org.management_account_email,
                security_provider=core_providers["security"][region],
                administrator_detector_id=security_detectors[region],
                config_bucket_name=archive.bucket_name,
                config_kms_key_arn=archive.kms_key_arn,
                config_key_prefix=archive.config_prefix,
                after=administration.guardduty_ready[region],
            ),
            opts=pulumi.ResourceOptions(
                provider=management_provider(
                    f"management-{region_code(region)}", org.management_account_id, region
                )
            ),
        )
        management_detection[region] = management.detector_id

    outputs: dict[str, Any] = {
        "organizationId": org.organization_id,
        "managementAccountId": org.management_account_id,
        "rootId": org.root_id,
        "organizationalUnitIds": org.organizational_unit_ids,
        "scpIds": org.policy_ids,
        "logArchiveAccountId": org.log_archive_account_id,
        "securityAccountId": org.security_account_id,
        "logArchiveBucket": archive.bucket_name,
        "logArchiveBucketArn": archive.bucket_arn,
        "logArchiveKeyArn": archive.kms_key_arn,
        "logArchiveConfigPrefix": archive.config_prefix,
        FLOW_LOG_ARCHIVE_OUTPUT: delivery.flow_log_bucket_arn,
        WAF_LOG_ARCHIVE_OUTPUT: delivery.waf_log_bucket_arn,
        "logDeliveryKeyArn": delivery.kms_key_arn,
        ALB_LOG_ARCHIVE_OUTPUT: {region: logs.bucket_name for region, logs in alb_access_logs.items()},
        "trailArn": trail.trail_arn,
        # The administrator's detectors; the members' are the organization's (auto-enable).
        "guardDutyDetectorIds": {"security": security_detectors, "management": management_detection},
        "tenantAccountIds": tenant_account_ids,
        "tenantZoneIds": tenant_zone_ids,
        "tenantMailZoneIds": tenant_mail_zone_ids,
    }
    for key, value in outputs.items():
        pulumi.export(key, value)
    return outputs
