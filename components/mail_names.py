"""The DNS names under which a MailDomain writes its records, by part (no Pulumi import: the tenant spec and
the org stack read them to delegate those names).

Each part's records sit at the apex of its name, or one label below it (DKIM: ``<token>._domainkey``), so a
zone of that name in another account can take them: the org stack delegates these names to zones in the
tenant account when the mail domain is the tenant's parent zone itself, whose apex cannot be delegated.
Route 53 accepts the underscore labels (``_domainkey``, ``_dmarc``, ``_amazonses``) in hosted zone names:
https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
"""

from __future__ import annotations

# MAIL FROM becomes ``<subdomain>.<domain>`` (its MX and SPF records).
MAIL_FROM_SUBDOMAIN = "mail"
# The parts of MailDomain's records: SES's verification TXT, the Easy DKIM CNAMEs, MAIL FROM, DMARC.
MAIL_RECORD_PARTS: tuple[str, ...] = ("verification", "dkim", "mail-from", "dmarc")


def mail_record_names(domain: str, mail_from_subdomain: str = MAIL_FROM_SUBDOMAIN) -> dict[str, str]:
    """Part -> the name whose zone takes that part's records."""
    return {
        "verification": f"_amazonses.{domain}",
        "dkim": f"_domainkey.{domain}",
        "mail-from": f"{mail_from_subdomain}.{domain}",
        "dmarc": f"_dmarc.{domain}",
    }
