"""Each SES sending domain is authenticated: DKIM, a custom MAIL FROM with SPF, and an enforcing DMARC
(MAIL-01).

Identities: ``ses.DomainIdentity`` and ``sesv2.EmailIdentity`` for a domain.
DKIM: v1 needs an ``ses.DomainDkim`` for the domain; a v2 identity gets Easy
DKIM unless told otherwise (``dkimSigningAttributes`` absent = Easy DKIM,
RSA 2048), so it passes. MAIL FROM: ``ses.MailFrom`` or
``sesv2.EmailIdentityMailFromAttributes``. SPF: a Route 53 TXT record at the
MAIL FROM domain with ``v=spf1 ... include:amazonses.com``. DMARC: a TXT record
at ``_dmarc.<domain>`` (or, for a subdomain, at an ancestor domain, whose
``sp=`` or ``p=`` then applies) with policy quarantine or reject. Records must
be in Route 53 in the same stack: DNS hosted elsewhere cannot be verified here.
An email-address identity is covered by a domain identity for its domain.
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceView, StackRule, StackView
from policies.rules._secops.dns import (
    RECORD,
    dmarc_tags,
    is_dmarc,
    normalize,
    record_name,
    record_type,
    txt_values,
)

DOMAIN_IDENTITY = "aws:ses/domainIdentity:DomainIdentity"
EMAIL_IDENTITY_V1 = "aws:ses/emailIdentity:EmailIdentity"
EMAIL_IDENTITY_V2 = "aws:sesv2/emailIdentity:EmailIdentity"
DOMAIN_DKIM = "aws:ses/domainDkim:DomainDkim"
MAIL_FROM_V1 = "aws:ses/mailFrom:MailFrom"
MAIL_FROM_V2 = "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes"
ENFORCING = ("quarantine", "reject")


def _text(value: object) -> str | None:
    return normalize(value) if isinstance(value, str) and value.strip() else None


def _identities(stack: StackView) -> tuple[list[tuple[ResourceView, str]], list[tuple[ResourceView, str]]]:
    """(domain identities, email-address identities), each with its domain / address."""
    domains: list[tuple[ResourceView, str]] = []
    addresses: list[tuple[ResourceView, str]] = []
    for identity in stack.of_type(DOMAIN_IDENTITY, EMAIL_IDENTITY_V1, EMAIL_IDENTITY_V2):
        key = {DOMAIN_IDENTITY: "domain", EMAIL_IDENTITY_V1: "email", EMAIL_IDENTITY_V2: "emailIdentity"}
        value = _text(identity.props.get(key[identity.type]))
        if value is None:
            continue
        (addresses if "@" in value else domains).append((identity, value))
    return domains, addresses


def _dmarc_policy(txt: dict[str, list[str]], domain: str) -> tuple[str, str | None] | None:
    """(record name, effective policy) of the DMARC record that governs ``domain``; None when there is
    none."""
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        name = "_dmarc." + ".".join(labels[start:])
        values = [v for v in txt.get(name, []) if is_dmarc(v)]
        if values:
            tags = dmarc_tags(values[0])
            policy = tags.get("p") if start == 0 else tags.get("sp", tags.get("p"))
            return name, policy
    return None


class SesMailAuthentication(StackRule):
    id = "ses_mail_authentication"
    description = (
        "Every SES domain identity has DKIM, a custom MAIL FROM domain with an SPF record including "
        "amazonses.com, and a DMARC record with policy quarantine or reject."
    )
    remediation = (
        "Add ses.DomainDkim (or use an sesv2.EmailIdentity), ses.MailFrom with a subdomain such as "
        "mail.<domain>, a Route 53 TXT record 'v=spf1 include:amazonses.com ~all' at that subdomain, and "
        "a TXT record 'v=DMARC1; p=reject' at _dmarc.<domain>."
    )

    def evaluate(self, stack: StackView) -> Iterator[Failure]:
        domains, addresses = _identities(stack)
        if not domains and not addresses:
            raise NotApplicable("the stack has no SES identity")
        dkim: set[str] = set()
        for resource in stack.of_type(DOMAIN_DKIM):
            domain = _text(resource.props.get("domain"))
            if domain:
                dkim.add(domain)
        mail_from: dict[str, str] = {}
        for resource in stack.of_type(MAIL_FROM_V1, MAIL_FROM_V2):
            domain = _text(resource.props.get("domain" if resource.type == MAIL_FROM_V1 else "emailIdentity"))
            target = _text(resource.props.get("mailFromDomain"))
            if domain and target:
                mail_from[domain] = target
        txt: dict[str, list[str]] = {}
        for record in stack.of_type(RECORD):
            if record_type(record) == "TXT":
                txt.setdefault(record_name(record, stack), []).extend(txt_values(record))
        for identity, domain in domains:
            yield from self._domain_failures(identity, domain, domain in dkim, mail_from.get(domain), txt)
        known = {domain for _, domain in domains}
        for identity, address in addresses:
            domain = address.rsplit("@", 1)[1]
            if domain not in known:
                yield Failure(
                    f"is an email-address identity ({address}) with no domain identity for {domain}",
                    f"a domain identity for {domain} with DKIM, MAIL FROM, SPF and DMARC",
                    identity.urn,
                )

    @staticmethod
    def _domain_failures(
        identity: ResourceView, domain: str, has_dkim: bool, mail_from: str | None, txt: dict[str, list[str]]
    ) -> Iterator[Failure]:
        if identity.type == DOMAIN_IDENTITY and not has_dkim:
            yield Failure(
                f"{domain} has no DKIM (no ses.DomainDkim)", f"an ses.DomainDkim for {domain}", identity.urn
            )
        if mail_from is None:
            yield Failure(
                f"{domain} has no custom MAIL FROM domain",
                f"an ses.MailFrom (or sesv2.EmailIdentityMailFromAttributes) with a subdomain of {domain}",
                identity.urn,
            )
        else:
            spf = [v for v in txt.get(mail_from, []) if v.lower().startswith("v=spf1")]
            if not any("include:amazonses.com" in v.lower().split() for v in spf):
                found = f" (found {spf[0]!r})" if spf else ""
                yield Failure(
                    f"MAIL FROM domain {mail_from} has no SPF TXT record including amazonses.com{found}",
                    f"a Route 53 TXT record at {mail_from}: v=spf1 include:amazonses.com ~all",
                    identity.urn,
                )
        dmarc = _dmarc_policy(txt, domain)
        if dmarc is None:
            yield Failure(
                f"{domain} has no DMARC TXT record at _dmarc.{domain}",
                f"a Route 53 TXT record at _dmarc.{domain}: v=DMARC1; p=quarantine or p=reject",
                identity.urn,
            )
        elif (dmarc[1] or "").lower() not in ENFORCING:
            yield Failure(
                f"DMARC record {dmarc[0]} sets policy {dmarc[1] or 'nothing'} for {domain}",
                "DMARC policy quarantine or reject",
                identity.urn,
            )
