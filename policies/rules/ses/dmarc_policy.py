"""DMARC records tell receivers to quarantine or reject unauthenticated mail (MAIL-01).

Looks at Route 53 TXT records named ``_dmarc`` / ``_dmarc.<domain>``. ``p=none``
only monitors, so spoofed mail is still delivered. A subdomain policy
``sp=none`` reopens the same gap for every subdomain. Two DMARC records at one
name make receivers ignore DMARC altogether (RFC 7489 6.6.3).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.framework import Failure, NotApplicable, ResourceRule, ResourceView
from policies.rules._secops.dns import RECORD, dmarc_tags, is_dmarc, record_name, record_type, txt_values

ENFORCING = ("quarantine", "reject")
EXPECTED = "v=DMARC1 with p=quarantine or p=reject"


class DmarcPolicy(ResourceRule):
    id = "dmarc_policy"
    resource_types = frozenset({RECORD})
    description = (
        "A DMARC TXT record (_dmarc.<domain>) publishes policy quarantine or reject, for subdomains too."
    )
    remediation = (
        'Publish one TXT value "v=DMARC1; p=reject; rua=mailto:..." (or p=quarantine); drop sp=none.'
    )

    def evaluate(self, resource: ResourceView) -> Iterator[Failure]:
        name = record_name(resource)
        if record_type(resource) != "TXT" or not (name == "_dmarc" or name.startswith("_dmarc.")):
            raise NotApplicable("not a DMARC TXT record")
        records = [value for value in txt_values(resource) if is_dmarc(value)]
        if not records:
            yield Failure("has no v=DMARC1 value", EXPECTED)
            return
        if len(records) > 1:
            yield Failure(
                f"publishes {len(records)} DMARC values (receivers then ignore DMARC)",
                f"exactly one value, {EXPECTED}",
            )
        for value in records:
            tags = dmarc_tags(value)
            policy = tags.get("p")
            if policy is None:
                yield Failure(f"DMARC value {value!r} has no p= tag", EXPECTED)
            elif policy.lower() not in ENFORCING:
                yield Failure(f"DMARC policy is p={policy} (spoofed mail is still delivered)", EXPECTED)
            subdomains = tags.get("sp")
            if subdomains is not None and subdomains.lower() not in ENFORCING:
                yield Failure(
                    f"DMARC subdomain policy is sp={subdomains} (spoofed mail from subdomains is delivered)",
                    "sp=quarantine or sp=reject, or no sp= (subdomains inherit p=)",
                )
