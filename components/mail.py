"""MailDomain: authenticated outbound mail for a tenant domain (MAIL-01).

SES domain identity with Easy DKIM (three CNAMEs), a custom MAIL FROM
subdomain with its MX and SPF records (so SPF aligns with the From domain),
and a DMARC record with policy ``quarantine`` or ``reject``. The identity is
created in the region of the component's provider (the tenant's primary
region); the MAIL FROM MX record points at that region's SES feedback host.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.checks import is_domain_name, is_email
from components.errors import InputProblems
from components.mail_names import MAIL_FROM_SUBDOMAIN, MAIL_RECORD_PARTS
from policies.parameters import JAPAN_REGIONS, PRIMARY_REGION

_KIND = "MailDomain"
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\Z")
DMARC_POLICIES: tuple[str, ...] = ("quarantine", "reject")
DKIM_TOKEN_COUNT = 3


@dataclass
class MailDomainArgs:
    """Inputs of a mail domain.

    ``dmarc_report_address`` defaults to ``dmarc-reports@<domain>`` (a report
    address in another domain needs that domain's authorization record).
    ``hosted_zone_id`` is a zone that takes the domain's records; a new account
    holds none, so it is a zone the org stack created there: of the domain
    (or of a parent, when the domain lies within it), or, per part, of the
    names ``record_zone_ids`` maps (``components.mail_names``).
    """

    domain: str
    hosted_zone_id: pulumi.Input[str] | None
    region: str = PRIMARY_REGION
    # Part (``MAIL_RECORD_PARTS``) -> the zone of ``mail_record_names``' name for that part, where the
    # parts' records go instead of ``hosted_zone_id``.
    record_zone_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    mail_from_subdomain: str = MAIL_FROM_SUBDOMAIN
    dmarc_policy: str = "reject"
    dmarc_report_address: str | None = None
    record_ttl: int = 600


def validate_mail_domain_args(name: str, args: MailDomainArgs) -> None:
    problems = InputProblems(_KIND, name)
    if not is_domain_name(args.domain):
        problems.add(
            f"domain = {args.domain!r} is not a lowercase DNS domain",
            "a domain such as mail.example.co.jp",
            "MAIL-01",
        )
    if args.region not in JAPAN_REGIONS:
        problems.add(
            f"region = {args.region!r} is outside Japan", f"one of {', '.join(JAPAN_REGIONS)}", "RES-01"
        )
    if not _LABEL.match(args.mail_from_subdomain):
        problems.add(
            f"mail_from_subdomain = {args.mail_from_subdomain!r} is not a single DNS label",
            "one lowercase label such as 'mail' (MAIL FROM becomes mail.<domain>)",
            "MAIL-01",
        )
    if args.dmarc_policy not in DMARC_POLICIES:
        problems.add(
            f"dmarc_policy = {args.dmarc_policy!r} does not stop spoofed mail",
            "quarantine or reject",
            "MAIL-01",
        )
    if args.dmarc_report_address is not None and not is_email(args.dmarc_report_address):
        problems.add(
            f"dmarc_report_address = {args.dmarc_report_address!r} is not an e-mail address",
            f"an address for aggregate reports, e.g. dmarc-reports@{args.domain}",
            "MAIL-01",
        )
    unknown = sorted(set(args.record_zone_ids) - set(MAIL_RECORD_PARTS))
    if unknown:
        problems.add(
            f"record_zone_ids names unknown parts {unknown}", f"parts among {list(MAIL_RECORD_PARTS)}"
        )
    if args.hosted_zone_id is None and set(args.record_zone_ids) != set(MAIL_RECORD_PARTS):
        missing = [p for p in MAIL_RECORD_PARTS if p not in args.record_zone_ids]
        problems.add(
            f"hosted_zone_id is None and record_zone_ids lacks {missing}",
            "a zone for every record: hosted_zone_id, or record_zone_ids for each part",
            "MAIL-01",
        )
    if not 60 <= args.record_ttl <= 86400:
        problems.add(f"record_ttl = {args.record_ttl} is out of range", "a TTL between 60 and 86400 seconds")
    problems.raise_if_any()


def spf_record(include: str = "amazonses.com") -> str:
    return f"v=spf1 include:{include} -all"


def dmarc_record(policy: str, report_address: str) -> str:
    return f"v=DMARC1; p={policy}; rua=mailto:{report_address}"


def mail_from_mx(region: str) -> str:
    return f"10 feedback-smtp.{region}.amazonses.com"


def _part(record: str) -> str:
    """The part (``MAIL_RECORD_PARTS``) a record belongs to: ``mail-from-mx`` -> ``mail-from``."""
    return next(p for p in MAIL_RECORD_PARTS if record == p or record.startswith(f"{p}-"))


def _token(tokens: Sequence[str] | None, *, index: int) -> str:
    if not tokens or len(tokens) <= index:
        raise pulumi.RunError(f"SES returned {len(tokens or [])} DKIM tokens; Easy DKIM always issues three")
    return tokens[index]


class MailDomain(pulumi.ComponentResource):
    identity_arn: pulumi.Output[str]
    mail_from_domain: str
    dmarc_record: str

    def __init__(self, name: str, args: MailDomainArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_mail_domain_args(name, args)
        super().__init__("tenant-zone:mail:MailDomain", name, None, opts)

        def record(
            part: str, record_name: pulumi.Input[str], kind: str, value: pulumi.Input[str]
        ) -> aws.route53.Record:
            zone = args.record_zone_ids.get(_part(part))
            return aws.route53.Record(
                f"{name}-{part}",
                zone_id=zone if zone is not None else args.hosted_zone_id,
                name=record_name,
                type=kind,
                ttl=args.record_ttl,
                records=[value],
                opts=pulumi.ResourceOptions(parent=self),
            )

        identity = aws.ses.DomainIdentity(
            f"{name}-identity", domain=args.domain, opts=pulumi.ResourceOptions(parent=self)
        )
        record("verification", f"_amazonses.{args.domain}", "TXT", identity.verification_token)

        dkim = aws.ses.DomainDkim(
            f"{name}-dkim", domain=identity.domain, opts=pulumi.ResourceOptions(parent=self)
        )
        for index in range(DKIM_TOKEN_COUNT):
            token = dkim.dkim_tokens.apply(functools.partial(_token, index=index))
            record(
                f"dkim-{index}",
                token.apply(lambda t: f"{t}._domainkey.{args.domain}"),
                "CNAME",
                token.apply(lambda t: f"{t}.dkim.amazonses.com"),
            )

        mail_from_domain = f"{args.mail_from_subdomain}.{args.domain}"
        aws.ses.MailFrom(
            f"{name}-mail-from",
            domain=identity.domain,
            mail_from_domain=mail_from_domain,
            # Fall back to amazonses.com rather than bounce while the MX propagates.
            behavior_on_mx_failure="UseDefaultValue",
            opts=pulumi.ResourceOptions(parent=self),
        )
        record("mail-from-mx", mail_from_domain, "MX", mail_from_mx(args.region))
        record("mail-from-spf", mail_from_domain, "TXT", spf_record())

        report_address = args.dmarc_report_address or f"dmarc-reports@{args.domain}"
        dmarc = dmarc_record(args.dmarc_policy, report_address)
        record("dmarc", f"_dmarc.{args.domain}", "TXT", dmarc)

        self.identity_arn = identity.arn
        self.mail_from_domain = mail_from_domain
        self.dmarc_record = dmarc
        self.register_outputs(
            {"identityArn": self.identity_arn, "mailFromDomain": mail_from_domain, "dmarcRecord": dmarc}
        )
