"""MAIL-01 live: a tenant that sends mail (``mail`` in its spec) has an SES identity for its mail domain in
its primary region, signing with DKIM, with a custom MAIL FROM domain whose SPF record authorizes Amazon SES.

Identity and DKIM: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetEmailIdentity.html
MAIL FROM: https://docs.aws.amazon.com/ses/latest/dg/mail-from.html (SPF ``include:amazonses.com`` on the
MAIL FROM domain).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import txt_records
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget, error_code

IDENTITY = "AWS::SES::EmailIdentity"
SPF_INCLUDE = "include:amazonses.com"
EXPECTED = (
    "an SES identity signing with Easy DKIM, a custom MAIL FROM domain and an SPF record"
    f" (v=spf1 {SPF_INCLUDE} ...) on it"
)


def _spf_authorizes_ses(values: list[str]) -> bool:
    return any(v.startswith("v=spf1") and SPF_INCLUDE in v.split() for v in values)


class LiveSesIdentityAuth(AuditCheck):
    id = "live_ses_identity_auth"
    description = "A tenant that sends mail has an SES identity with DKIM, a MAIL FROM domain and SPF"
    remediation = (
        "Create or repair the SES domain identity (Easy DKIM on, custom MAIL FROM) and publish the SPF record"
        " on the MAIL FROM domain; or redeploy the tenant stack."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        mail = getattr(target.spec, "mail", None)
        if mail is None:
            return
        domain: str = mail.domain
        region: str = target.spec.primary_region
        try:
            identity = target.client("sesv2", region).get_email_identity(EmailIdentity=domain)
        except Exception as error:
            if error_code(error) != "NotFoundException":
                raise
            yield AuditFailure(IDENTITY, domain, f"has no SES identity in {region}", EXPECTED, region)
            return
        dkim = identity.get("DkimAttributes", {})
        if not dkim.get("SigningEnabled"):
            yield AuditFailure(IDENTITY, domain, "signs no mail with DKIM", EXPECTED, region)
        elif dkim.get("Status") != "SUCCESS":
            yield AuditFailure(IDENTITY, domain, f"has DKIM status {dkim.get('Status')}", EXPECTED, region)
        attributes = target.client("ses", region).get_identity_mail_from_domain_attributes(
            Identities=[domain]
        )["MailFromDomainAttributes"]
        mail_from = attributes.get(domain, {}).get("MailFromDomain")
        if not mail_from:
            yield AuditFailure(IDENTITY, domain, "has no custom MAIL FROM domain", EXPECTED, region)
            return
        spf = txt_records(target, mail_from)
        if spf is None or not _spf_authorizes_ses(spf):
            where = (
                "no hosted zone of the account serves it" if spf is None else "no SPF record authorizes SES"
            )
            yield AuditFailure(
                IDENTITY, domain, f"has the MAIL FROM domain {mail_from}, but {where}", EXPECTED, region
            )
