"""MAIL-01 live: a tenant that sends mail publishes a DMARC record at ``_dmarc.<mail domain>`` whose policy is
quarantine or reject (``p=none`` only reports, it lets forgeries through).

Record syntax: https://www.rfc-editor.org/rfc/rfc7489#section-6.3 (``v=DMARC1`` first, ``p`` required);
SES guidance: https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dmarc.html
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.audit._aws import txt_records
from policies.audit._base import AuditCheck, AuditFailure, AuditTarget

RECORD = "AWS::Route53::RecordSet"
POLICIES = ("quarantine", "reject")
EXPECTED = "a TXT record v=DMARC1 with p=quarantine or p=reject"


def dmarc_policy(value: str) -> str | None:
    """The ``p`` tag of a DMARC record (None when the value is not a DMARC record)."""
    tags = [part.strip() for part in value.split(";")]
    if not tags or tags[0].replace(" ", "") != "v=DMARC1":
        return None
    for tag in tags[1:]:
        key, _, found = tag.partition("=")
        if key.strip() == "p":
            return found.strip().lower()
    return ""


class LiveDmarcRecord(AuditCheck):
    id = "live_dmarc_record"
    description = "A tenant that sends mail publishes DMARC with policy quarantine or reject"
    remediation = (
        "Publish `v=DMARC1; p=reject; rua=mailto:...` (or p=quarantine) as TXT at _dmarc.<mail domain>; or"
        " redeploy the tenant stack."
    )

    def run(self, target: AuditTarget) -> Iterator[AuditFailure]:
        mail = getattr(target.spec, "mail", None)
        if mail is None:
            return
        name = f"_dmarc.{mail.domain}"
        values = txt_records(target, name)
        if values is None:
            yield AuditFailure(RECORD, name, "is in no hosted zone of the account", EXPECTED)
            return
        policies = [p for p in (dmarc_policy(v) for v in values) if p is not None]
        if not policies:
            yield AuditFailure(RECORD, name, "has no DMARC record", EXPECTED)
        elif len(policies) > 1:
            # Receivers ignore DMARC entirely when more than one record is published (RFC 7489 6.6.3).
            yield AuditFailure(RECORD, name, f"has {len(policies)} DMARC records", EXPECTED)
        elif policies[0] not in POLICIES:
            yield AuditFailure(RECORD, name, f"has the DMARC policy p={policies[0] or '(none)'}", EXPECTED)
