"""The tenant specification: the stack configuration key ``tenant-zone:tenant``, typed and validated.

A tenant stack reads its settings through :func:`parse_tenant_spec` before it declares a single resource.
Every value that would break a control is refused with one line per problem (wrapped here), in the project's
message format::

    tenant-zone:tenant.primaryRegion: 'us-east-1' is outside Japan; expected ap-northeast-1 or
    ap-northeast-3. [RES-01]

All problems are reported at once (a user fixing a stack file should not have to run the program once per
typo). Field-local rules live on the field types (``Annotated`` validators), so pydantic reports every bad
field in one pass; the few cross-field rules run on whatever fields were valid, even when others were not.

Choices the field types alone do not show:

- ``primaryRegion`` must be ap-northeast-1 and ``secondaryRegion`` ap-northeast-3. Both are configurable keys,
  but RES-02 and BAK-02 name Osaka as the replica and copy destination, so the swapped order or the same
  region twice would break a control; a region outside Japan breaks RES-01.
- ``allowedCountries`` must be exactly ``[JP]``. EDGE-02 blocks every country but Japan and makes exceptions
  only for the tenant's explicit address allow list, so foreign addresses can be admitted only through
  ``allowedCidrs`` (which, per EDGE-04, also makes the entry point allow-only: nobody else gets in).
- ``backup.retentionDays`` is at least BAK-01's minimum (the catalog's ``minRetentionDays``: daily backups
  kept three months, the policy gate's floor), which also clears the vaults' lock minimum (BAK-03). The copy
  in Osaka is kept at least as long as the Tokyo backup (BAK-02): after a loss of Tokyo it is all that is left
  of the tenant's retention promise. ``copyRetentionDays`` defaults to ``retentionDays``.
- ``shieldAdvanced: false`` is refused in every environment, not only production: EDGE-03 and its gate rule
  cover every internet-facing entry point and Elastic IP whatever the environment, so a non-production stack
  without Shield Advanced would be stopped by the gate anyway; the key stays as an explicit, reviewable
  switch.
- ``logRetentionDays`` must also be one of the periods CloudWatch Logs accepts (400 is one of them).
- ``availabilityZones`` defaults to 3 and ``rateLimit`` to 2,000 requests per 5 minutes per client address, so
  that the README's "adding a tenant" steps need not ask for them.
- ``rateLimit`` bounds are AWS WAF's: 10 (lowered from 100 in August 2024) to 2,000,000,000.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, Literal

import pulumi
from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from components.aws_limits import (
    CLOUDWATCH_RETENTION_DAYS,
    MAX_BACKUP_RETENTION_DAYS,
    RATE_LIMIT_MAX,
    RATE_LIMIT_MIN,
    WAF_IP_SET_MAX_ADDRESSES,
)
from components.checks import domain_problem, email_problem
from components.mail_names import mail_record_names
from policies.messages import message
from policies.parameters import (
    JAPAN_REGIONS,
    MIN_BACKUP_RETENTION_DAYS,
    MIN_LOG_RETENTION_DAYS,
    PRIMARY_REGION,
    SECONDARY_REGION,
)
from tenantctl.inputs.text import escape, shown

CONFIG_KEY = "tenant-zone:tenant"

Environment = Literal["prod", "staging", "dev"]
DataClassification = Literal["public", "internal", "confidential", "personal"]
ENVIRONMENTS: tuple[str, ...] = ("prod", "staging", "dev")
DATA_CLASSIFICATIONS: tuple[str, ...] = ("public", "internal", "confidential", "personal")

MIN_LIST_PREFIX = {4: 8, 6: 32}  # broader allow/deny entries would switch the geo rule or the whole site off
VPC_MIN_PREFIX = 16  # the largest VPC AWS allows
VPC_MAX_PREFIX = (
    24  # smallest VPC whose quarters still split into /28 subnets per AZ (see network.plan_subnets)
)
PRIVATE_RANGES = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
RESERVED_TENANT_IDS = frozenset(
    {"platform", "org"}
)  # `platform` tags org-stack resources; `org` is that stack

# Matched with fullmatch: `$` would also match before a trailing newline, which would reach the resources.
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_HOSTED_ZONE_ID = re.compile(r"Z[0-9A-Z]{1,32}")


# --- messages
# ------------------------------------------------------------------------------------------------


def show(value: Any) -> str:
    """A value as the user wrote it in YAML: strings quoted, booleans lower-case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return shown(value)


def problem(key: str, wrong: str, expected: str, control: str | None = None) -> str:
    """One line in the project's format; ``key`` is the path below ``tenant-zone:tenant`` ('' for the
    object)."""
    return message(f"{CONFIG_KEY}.{key}" if key else CONFIG_KEY, wrong, expected, control)


def _refuse(value: Any, wrong: str, expected: str, control: str | None = None) -> PydanticCustomError:
    """A field rule's refusal; the key is added from the error location when it is rendered."""
    return PydanticCustomError(
        "tenant_rule",
        "{wrong}",
        {"wrong": f"{show(value)} {wrong}", "expected": expected, "control": control},
    )


class SpecError(pulumi.RunError):
    """The tenant specification breaks one or more rules; ``problems`` holds one message per line.

    A ``RunError`` so that ``pulumi up`` prints the message without a Python traceback.
    """

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        where = f" in {source}" if source else ""
        count = len(self.problems)
        header = f"invalid tenant specification{where} ({count} problem{'s' if count != 1 else ''}):"
        super().__init__("\n".join([header, *self.problems]))


# --- field rules (pure functions; each raises for one bad value)
# -----------------------------------------------


def _check_slug(value: str) -> str:
    if not (2 <= len(value) <= 20 and _SLUG.fullmatch(value)):
        raise _refuse(
            value,
            "is not a lowercase slug",
            "2 to 20 characters of a-z, 0-9 and single hyphens, starting with a letter (e.g. 'acme')",
        )
    if value in RESERVED_TENANT_IDS:
        raise _refuse(
            value,
            "is reserved for the organization stack",
            "another tenant ID (the tag tenant=platform marks org resources)",
            "TEN-04",
        )
    return value


def _email_rule(max_length: int, control: str | None, what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        why = email_problem(value) or (f"it has {len(value)} characters" if len(value) > max_length else None)
        if why:
            raise _refuse(
                value,
                f"is not a valid e-mail address ({why[:1].lower()}{why[1:]})",
                f"{what} of at most {max_length} characters",
                control,
            )
        return value

    return check


def _check_primary_region(value: str) -> str:
    if value not in JAPAN_REGIONS:
        raise _refuse(value, "is outside Japan", f"{PRIMARY_REGION} or {SECONDARY_REGION}", "RES-01")
    if value != PRIMARY_REGION:
        raise _refuse(
            value,
            "is the replica region",
            f"{PRIMARY_REGION}, so that replicas and backup copies land in {SECONDARY_REGION}",
            "RES-02",
        )
    return value


def _check_secondary_region(value: str) -> str:
    if value not in JAPAN_REGIONS:
        raise _refuse(value, "is outside Japan", f"{PRIMARY_REGION} or {SECONDARY_REGION}", "RES-01")
    if value != SECONDARY_REGION:
        raise _refuse(
            value,
            "is the primary region, so replicas would stay in the same region",
            f"{SECONDARY_REGION} (Osaka holds the replicas and backup copies)",
            "RES-02",
        )
    return value


def _canonical(value: str, network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> None:
    """Refuse any spelling of ``network`` but its canonical ``address/prefix``, saying which spelling it is.

    The stack file is what reviewers read and what reaches the resources, so an equivalent spelling is not
    rewritten silently: the refusal names the canonical form to write instead.
    """
    if str(network) == value:
        return
    address, slash, suffix = value.partition("/")
    if not slash:
        raise _refuse(value, "has no prefix length", f"the CIDR '{network}' for this single address")
    if not suffix.isdigit():
        raise _refuse(
            value, "is written with a netmask instead of a prefix length", f"the CIDR notation '{network}'"
        )
    if ipaddress.ip_address(address) != network.network_address:
        raise _refuse(value, "has host bits set", f"the network address '{network}'")
    raise _refuse(value, "is not written in canonical form", f"'{network}'")


def _check_vpc_cidr(value: str) -> str:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise _refuse(value, "is not an IPv4 CIDR", "a private range such as '10.20.0.0/16'") from None
    if network.version != 4:
        raise _refuse(value, "is not an IPv4 CIDR", "a private range such as '10.20.0.0/16'")
    _canonical(value, network)
    if not any(network.subnet_of(private) for private in PRIVATE_RANGES):  # type: ignore[arg-type]
        raise _refuse(
            value,
            "is not a private (RFC 1918) range",
            "a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 that no other tenant uses",
            "TEN-02",
        )
    if not VPC_MIN_PREFIX <= network.prefixlen <= VPC_MAX_PREFIX:
        raise _refuse(
            value,
            f"has prefix /{network.prefixlen}",
            f"a prefix between /{VPC_MIN_PREFIX} and /{VPC_MAX_PREFIX}, with room for public, private and "
            "isolated subnets in every availability zone",
            "NET-01",
        )
    return value


def _check_azs(value: int) -> int:
    if value < 2:
        raise _refuse(value, "is fewer than two availability zones", "2 or 3", "NET-03")
    if value > 3:
        raise _refuse(value, "is more availability zones than Tokyo offers", "2 or 3", "NET-03")
    return value


def _check_countries(value: list[str]) -> list[str]:
    if set(value) != {"JP"}:
        wrong = "allows countries other than Japan" if set(value) - {"JP"} else "does not allow Japan"
        raise _refuse(
            value, wrong, "[JP] (allow specific foreign addresses with allowedCidrs instead)", "EDGE-02"
        )
    return ["JP"]


def _cidr_rule(control: str, too_broad: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise _refuse(value, "is not a CIDR", "an address range such as '203.0.113.0/24'") from None
        _canonical(value, network)
        if network.version != 4:
            raise _refuse(value, "is an IPv6 range", "IPv4 CIDRs (the entry point is IPv4 only)", control)
        if network.prefixlen < MIN_LIST_PREFIX[network.version]:
            raise _refuse(
                value,
                too_broad,
                f"specific ranges of prefix /{MIN_LIST_PREFIX[network.version]} or longer",
                control,
            )
        return value

    return check


def _check_list_size(value: list[str]) -> list[str]:
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:
        raise PydanticCustomError(
            "tenant_rule",
            "{wrong}",
            {
                "wrong": f"lists {show(repeated)} more than once",
                "expected": "each range once",
                "control": None,
            },
        )
    if len(value) > WAF_IP_SET_MAX_ADDRESSES:
        raise PydanticCustomError(
            "tenant_rule",
            "{wrong}",
            {
                "wrong": f"has {len(value)} entries",
                "expected": f"at most {WAF_IP_SET_MAX_ADDRESSES} (the size limit of a WAF IP set)",
                "control": None,
            },
        )
    return value


def _check_rate_limit(value: int) -> int:
    if not RATE_LIMIT_MIN <= value <= RATE_LIMIT_MAX:
        raise _refuse(
            value,
            "is outside AWS WAF's rate limit range",
            f"an integer from {RATE_LIMIT_MIN} to {RATE_LIMIT_MAX} (requests per 5 minutes per client"
            " address)",
            "EDGE-01",
        )
    return value


def _check_log_retention(value: int) -> int:
    allowed = ", ".join(str(d) for d in CLOUDWATCH_RETENTION_DAYS if d >= MIN_LOG_RETENTION_DAYS)
    if value < MIN_LOG_RETENTION_DAYS:
        raise _refuse(
            value,
            "days is shorter than one year",
            f"at least {MIN_LOG_RETENTION_DAYS}: one of {allowed}",
            "LOG-02",
        )
    if value not in CLOUDWATCH_RETENTION_DAYS:
        raise _refuse(value, "is not a retention period CloudWatch Logs accepts", f"one of {allowed}")
    return value


def _check_backup_days(value: int) -> int:
    if value < MIN_BACKUP_RETENTION_DAYS:
        raise _refuse(
            value,
            "days is shorter than three months",
            f"at least {MIN_BACKUP_RETENTION_DAYS} (the default)",
            "BAK-01",
        )
    if value > MAX_BACKUP_RETENTION_DAYS:
        raise _refuse(
            value,
            "days is longer than AWS Backup keeps a recovery point",
            f"at most {MAX_BACKUP_RETENTION_DAYS}",
        )
    return value


def _check_shield(value: bool) -> bool:
    if not value:
        raise _refuse(
            value,
            "leaves the entry point and the NAT Elastic IPs without Shield Advanced",
            "true (in every environment)",
            "EDGE-03",
        )
    return value


def _check_domain(value: str) -> str:
    why = domain_problem(value)
    if why:
        raise _refuse(
            value,
            f"is not a fully qualified lower-case domain name (it {why})",
            "a DNS name such as 'app.example.co.jp'",
        )
    return value


def _check_zone_id(value: str) -> str:
    if not _HOSTED_ZONE_ID.fullmatch(value):
        raise _refuse(value, "is not a Route 53 hosted zone ID", "an ID such as 'Z0123456789ABCDEFGHIJ'")
    return value


Slug = Annotated[str, AfterValidator(_check_slug)]
AccountEmail = Annotated[
    str,
    AfterValidator(
        _email_rule(64, None, "the new account's root e-mail (AWS Organizations allows 64 characters)")
    ),
]
IncidentEmail = Annotated[str, AfterValidator(_email_rule(254, "LOG-05", "the incident contact's address"))]
PrimaryRegion = Annotated[str, AfterValidator(_check_primary_region)]
SecondaryRegion = Annotated[str, AfterValidator(_check_secondary_region)]
VpcCidr = Annotated[str, AfterValidator(_check_vpc_cidr)]
AzCount = Annotated[int, AfterValidator(_check_azs)]
Countries = Annotated[list[str], AfterValidator(_check_countries)]
AllowCidr = Annotated[
    str, AfterValidator(_cidr_rule("EDGE-02", "would exempt most of the internet from the Japan-only rule"))
]
BlockCidr = Annotated[str, AfterValidator(_cidr_rule("EDGE-01", "would block most of the internet"))]
AllowList = Annotated[list[AllowCidr], AfterValidator(_check_list_size)]
BlockList = Annotated[list[BlockCidr], AfterValidator(_check_list_size)]
RateLimit = Annotated[int, AfterValidator(_check_rate_limit)]
LogRetention = Annotated[int, AfterValidator(_check_log_retention)]
BackupDays = Annotated[int, AfterValidator(_check_backup_days)]
ShieldAdvanced = Annotated[bool, AfterValidator(_check_shield)]
DomainName = Annotated[str, AfterValidator(_check_domain)]
HostedZoneId = Annotated[str, AfterValidator(_check_zone_id)]


# --- the model
# ---------------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        str_strip_whitespace=False,
    )


class BackupSpec(_Model):
    retention_days: BackupDays = MIN_BACKUP_RETENTION_DAYS
    copy_retention_days: BackupDays | None = None

    @property
    def effective_copy_retention_days(self) -> int:
        """Days the Osaka copy is kept: ``copyRetentionDays``, else ``retentionDays``."""
        return self.copy_retention_days if self.copy_retention_days is not None else self.retention_days


class MailSpec(_Model):
    """Where the mail domain's DNS records go, always a zone of the tenant account (a new account has none of
    its own, and the tenant stack acts in no other account): with ``parentZoneId``, a zone of ``domain``
    that the org stack creates and delegates from that parent zone; with ``hostedZoneId`` (the spec's own
    ``hostedZoneId``, when ``domain`` is that zone's domain, whose apex cannot be delegated), zones of the
    names below ``domain`` that the records use, delegated from it; with neither, when ``domain`` is
    ``domainName`` or below it, the tenant's own zone."""

    domain: DomainName
    hosted_zone_id: HostedZoneId | None = None
    parent_zone_id: HostedZoneId | None = None


def within(domain: str, ancestor: str) -> bool:
    """``domain`` is ``ancestor`` or a name below it."""
    return domain == ancestor or domain.endswith(f".{ancestor}")


# Where a tenant's mail records go (``TenantSpec.mail_zone``).
MAIL_ZONE_NONE = "none"
MAIL_ZONE_OWN = "own"  # the tenant's zone of domainName, in the tenant account
MAIL_ZONE_DELEGATED = "delegated"  # a zone of mail.domain in the tenant account, delegated by the org stack
# the mail domain is the tenant's parent zone's (hostedZoneId): zones of the names below it that take the
# records (components.mail_names), in the tenant account, delegated by the org stack
MAIL_ZONE_NAMES = "names"
MAIL_DOMAIN_KEY = "domain"


class TenantSpec(_Model):
    """One tenant environment. Attribute names are snake_case; the stack config uses the camelCase aliases."""

    id: Slug
    environment: Environment
    account_email: AccountEmail
    primary_region: PrimaryRegion = PRIMARY_REGION
    secondary_region: SecondaryRegion = SECONDARY_REGION
    vpc_cidr: VpcCidr
    availability_zones: AzCount = 3
    data_classification: DataClassification
    allowed_countries: Countries = ["JP"]  # pydantic copies mutable defaults per instance
    allowed_cidrs: AllowList = []
    blocked_cidrs: BlockList = []
    rate_limit: RateLimit = 2000
    log_retention_days: LogRetention = 400
    backup: BackupSpec = BackupSpec()
    incident_email: IncidentEmail
    domain_name: DomainName
    hosted_zone_id: HostedZoneId
    mail: MailSpec | None = None
    shield_advanced: ShieldAdvanced = True

    @property
    def stack_name(self) -> str:
        return f"{self.id}-{self.environment}"

    @property
    def is_production(self) -> bool:
        return self.environment == "prod"

    @property
    def mail_zone(self) -> str:
        """Which zone takes the mail domain's records: ``MAIL_ZONE_*`` (``MAIL_ZONE_NONE`` without mail)."""
        if self.mail is None:
            return MAIL_ZONE_NONE
        if self.mail.parent_zone_id is not None:
            return MAIL_ZONE_DELEGATED
        if self.mail.hosted_zone_id is not None:
            return MAIL_ZONE_NAMES
        return MAIL_ZONE_OWN

    @property
    def mail_delegations(self) -> dict[str, str]:
        """The names whose zones the org stack creates in the tenant account for the mail records, by key
        (``domain`` for the mail domain's own zone, else the ``MAIL_RECORD_PARTS``); {} when none."""
        kind = self.mail_zone
        if self.mail is not None and kind == MAIL_ZONE_DELEGATED:
            return {MAIL_DOMAIN_KEY: self.mail.domain}
        if self.mail is not None and kind == MAIL_ZONE_NAMES:
            return mail_record_names(self.mail.domain)
        return {}

    @property
    def mail_parent_zone_id(self) -> str:
        """The zone those names are delegated from ('' when none): ``mail.parentZoneId``, or the tenant's
        parent zone ``hostedZoneId`` when the mail domain is that zone's own."""
        if self.mail is not None and self.mail.parent_zone_id is not None:
            return self.mail.parent_zone_id
        return self.hosted_zone_id if self.mail_zone == MAIL_ZONE_NAMES else ""

    @model_validator(mode="after")
    def _cross_field(self) -> TenantSpec:
        found = cross_field_problems({name: getattr(self, name) for name in type(self).model_fields})
        if found:
            raise PydanticCustomError("tenant_rules", "{text}", {"text": "; ".join(found), "lines": found})
        return self


# --- cross-field rules
# -------------------------------------------------------------------------------------------


_MAIL_ZONE_FIX = (
    "mail.parentZoneId, the management account's zone of a parent domain of mail.domain (the org stack then"
    " creates the mail domain's zone in the tenant account and delegates it), or mail.hostedZoneId equal to"
    " hostedZoneId when that zone is the mail domain's own, or a mail.domain within domainName"
)


def _mail_zone_problems(mail: MailSpec, domain_name: str, zone_id: str) -> list[str]:
    """A freshly vended account holds no zone: the mail records need a zone that exists or is created."""
    domain = mail.domain
    if mail.hosted_zone_id is not None and mail.parent_zone_id is not None:
        return [
            problem(
                "mail.parentZoneId",
                f"{show(mail.parent_zone_id)} is given with mail.hostedZoneId {show(mail.hosted_zone_id)}",
                "one of the two: parentZoneId to delegate the mail domain's own zone, hostedZoneId when the"
                " mail domain is the tenant's parent zone's own",
                "MAIL-01",
            )
        ]
    if mail.hosted_zone_id is not None and mail.hosted_zone_id != zone_id:
        return [
            problem(
                "mail.hostedZoneId",
                f"{show(mail.hosted_zone_id)} is not the tenant's parent zone hostedZoneId {show(zone_id)},"
                " the only zone the org stack delegates from for this tenant",
                f"{show(zone_id)}, or mail.parentZoneId to delegate a zone of {domain} to the tenant account",
                "MAIL-01",
            )
        ]
    if mail.parent_zone_id is not None and within(domain, domain_name):
        return [
            problem(
                "mail.parentZoneId",
                f"{show(mail.parent_zone_id)} would delegate {domain}, which lies within domainName"
                f" {domain_name}, whose zone the tenant account already holds",
                "no parentZoneId: the mail records then go into the tenant's own zone",
                "MAIL-01",
            )
        ]
    if mail.parent_zone_id is not None and len(domain.split(".")) < 3:
        return [
            problem(
                "mail.domain",
                f"{show(domain)} is not a subdomain that a parent zone can delegate (DelegatedZone needs"
                " three labels or more)",
                "mail.hostedZoneId when the tenant's parent zone is that domain's zone",
                "MAIL-01",
            )
        ]
    if mail.hosted_zone_id is None and mail.parent_zone_id is None and not within(domain, domain_name):
        return [
            problem(
                "mail",
                f"{show(domain)} is outside domainName {domain_name} and names no zone for its records (a new"
                " account has none)",
                _MAIL_ZONE_FIX,
                "MAIL-01",
            )
        ]
    return []


def cross_field_problems(values: Mapping[str, Any]) -> list[str]:
    """Rules that need two fields; ``values`` holds the valid fields only (snake_case names)."""
    found: list[str] = []
    allowed = [ipaddress.ip_network(c) for c in values.get("allowed_cidrs") or ()]
    for index, cidr in enumerate(values.get("blocked_cidrs") or ()):
        blocked = ipaddress.ip_network(cidr)
        clash = next((a for a in allowed if a.version == blocked.version and a.overlaps(blocked)), None)
        if clash is not None:
            found.append(
                problem(
                    f"blockedCidrs[{index}]",
                    f"{show(cidr)} overlaps the allowedCidrs entry {show(str(clash))}",
                    "disjoint allow and deny lists (an address cannot be both allowed and blocked)",
                    "EDGE-01",
                )
            )
    mail = values.get("mail")
    domain_name, zone_id = values.get("domain_name"), values.get("hosted_zone_id")
    if isinstance(mail, MailSpec) and isinstance(domain_name, str) and isinstance(zone_id, str):
        found.extend(_mail_zone_problems(mail, domain_name, zone_id))
    backup = values.get("backup")
    if isinstance(backup, BackupSpec) and backup.effective_copy_retention_days < backup.retention_days:
        found.append(
            problem(
                "backup.copyRetentionDays",
                f"{backup.copy_retention_days} is shorter than backup.retentionDays"
                f" ({backup.retention_days})",
                f"at least {backup.retention_days}, so the Osaka copy still covers the retention after a loss"
                " of Tokyo",
                "BAK-02",
            )
        )
    return found


# --- parsing
# -----------------------------------------------------------------------------------------------------

# What a missing or mistyped key should hold, by path (list items share their list's entry).
FIELD_HELP: dict[str, str] = {
    "id": "a lowercase slug such as 'acme'",
    "environment": "prod, staging or dev",
    "accountEmail": "the e-mail address of the tenant account's root user, unique across tenants",
    "primaryRegion": PRIMARY_REGION,
    "secondaryRegion": SECONDARY_REGION,
    "vpcCidr": "a private IPv4 CIDR between /16 and /24 that no other tenant uses, such as '10.20.0.0/16'",
    "availabilityZones": "2 or 3",
    "dataClassification": "public, internal, confidential or personal",
    "allowedCountries": "[JP]",
    "allowedCidrs": "a list of CIDRs such as ['203.0.113.0/24']",
    "blockedCidrs": "a list of CIDRs such as ['198.51.100.0/24']",
    "rateLimit": f"an integer from {RATE_LIMIT_MIN} to {RATE_LIMIT_MAX}",
    "logRetentionDays": f"an integer, at least {MIN_LOG_RETENTION_DAYS} (default 400)",
    "backup": "an object with retentionDays and optionally copyRetentionDays",
    "backup.retentionDays": f"an integer number of days, at least {MIN_BACKUP_RETENTION_DAYS} (the default)",
    "backup.copyRetentionDays": "an integer number of days, at least backup.retentionDays",
    "incidentEmail": "the incident contact's e-mail address",
    "domainName": "the public entry point's DNS name, such as 'app.example.co.jp'",
    "hostedZoneId": "the Route 53 hosted zone ID of domainName, such as 'Z0123456789ABCDEFGHIJ'",
    "mail": "an object with domain and hostedZoneId or parentZoneId, or no mail key at all",
    "mail.domain": "the mail domain, such as 'mail.example.co.jp'",
    "mail.hostedZoneId": "hostedZoneId's value, when that zone (management account) is mail.domain's own",
    "mail.parentZoneId": "the Route 53 hosted zone ID, in the management account, of a parent of mail.domain",
    "shieldAdvanced": "true",
}
# Controls behind keys whose allowed values are an enumeration checked by the type itself.
FIELD_CONTROL: dict[str, str] = {"dataClassification": "TEN-04", "environment": "TEN-03"}


def _path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        # a key is user input too: a control character in it must not split or recolour the message
        out += f"[{part}]" if isinstance(part, int) else (f".{escape(part)}" if out else escape(str(part)))
    return out


def _help_key(loc: Sequence[int | str]) -> str:
    return ".".join(str(p) for p in loc if isinstance(p, str))


def _aliases(model: type[BaseModel]) -> list[str]:
    return sorted(f.alias or n for n, f in model.model_fields.items())


def _model_at(loc: Sequence[int | str]) -> type[BaseModel]:
    nested: dict[str, type[BaseModel]] = {"backup": BackupSpec, "mail": MailSpec}
    return nested.get(str(loc[0]), TenantSpec) if len(loc) > 1 else TenantSpec


def _message(error: Mapping[str, Any]) -> list[str]:
    loc: tuple[int | str, ...] = tuple(error["loc"])
    key = _path(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "tenant_rules":
        return list(ctx["lines"])
    if kind == "tenant_rule":
        return [problem(key, ctx["wrong"], ctx["expected"], ctx["control"])]
    help_text = FIELD_HELP.get(_help_key(loc), "a valid value")
    control = FIELD_CONTROL.get(_help_key(loc))
    if kind == "missing":
        return [problem(key, "is missing", help_text, control)]
    if kind == "extra_forbidden":
        allowed = _aliases(_model_at(loc))
        name = str(loc[-1])
        by_lower = {a.lower(): a for a in allowed}
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1)
        hint = f" (did you mean {by_lower[close[0]]}?)" if close else ""
        return [problem(key, f"is not a known key{hint}", "one of " + ", ".join(allowed))]
    value = show(error.get("input"))
    if kind == "literal_error":
        return [problem(key, f"{value} is not an allowed value", help_text, control)]
    reason = str(error.get("msg", "invalid value"))
    return [problem(key, f"{value} is not valid ({reason[:1].lower()}{reason[1:]})", help_text, control)]


@cache
def _field_adapter(name: str) -> TypeAdapter[Any]:
    info = TenantSpec.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[annotation, *info.metadata]
    return TypeAdapter(annotation)


def _valid_fields(raw: Mapping[str, Any], bad: set[str]) -> dict[str, Any]:
    """The fields of a rejected spec that are valid on their own, for the cross-field rules."""
    values: dict[str, Any] = {}
    for name, info in TenantSpec.model_fields.items():
        alias = info.alias or name
        if alias in bad:
            continue
        if alias not in raw:
            if not info.is_required():
                values[name] = info.get_default(call_default_factory=True)
            continue
        try:
            values[name] = _field_adapter(name).validate_python(raw[alias], by_alias=True, by_name=False)
        except ValidationError:
            continue
    return values


def parse_tenant_spec(raw: Any, source: str = "") -> TenantSpec:
    """Validate the ``tenant-zone:tenant`` object; raise :class:`SpecError` listing every problem."""
    if raw is None:
        raise SpecError(
            [problem("", "is missing", "the tenant specification object (id, environment, ...)")], source
        )
    if not isinstance(raw, Mapping):
        raise SpecError(
            [
                problem(
                    "", f"{show(raw)} is not an object", "a mapping of tenant settings (id, environment, ...)"
                )
            ],
            source,
        )
    try:
        # by alias only: `vpc_cidr` next to `vpcCidr` would be a second spelling of one key, read by nobody
        return TenantSpec.model_validate(dict(raw), by_alias=True, by_name=False)
    except ValidationError as exc:
        errors = exc.errors()
    found: list[str] = []
    for error in errors:
        for line in _message(error):
            if line not in found:
                found.append(line)
    bad = {str(e["loc"][0]) for e in errors if e["loc"]}
    if bad:  # the model validator did not run: check the cross-field rules on what was valid
        for line in cross_field_problems(_valid_fields(raw, bad)):
            if line not in found:
                found.append(line)
    raise SpecError(found, source)
