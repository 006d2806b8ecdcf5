import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource, stack, urn

RULE = "ses_mail_authentication"
DOMAIN = "acme.example.jp"
IDENTITY = "aws:ses/domainIdentity:DomainIdentity"
IDENTITY_V2 = "aws:sesv2/emailIdentity:EmailIdentity"
RECORD = "aws:route53/record:Record"
ZONE = "aws:route53/zone:Zone"


def record(name, value, record_type="TXT", zone_linked=False):
    return resource(
        RECORD,
        f"rec-{name or 'apex'}",
        {"zoneId": "Z1", "name": name, "type": record_type, "ttl": 300, "records": [value]},
        region=None,
        prop_deps={"zoneId": [urn(ZONE, "zone")]} if zone_linked else None,
    )


def parts(preview=False, v2=False, **overrides):
    identity = (
        resource(IDENTITY_V2, "mail", {"emailIdentity": DOMAIN}, preview=preview)
        if v2
        else resource(IDENTITY, "mail", {"domain": DOMAIN}, preview=preview)
    )
    mail_from = (
        resource(
            "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes",
            "mail-from",
            {"emailIdentity": DOMAIN, "mailFromDomain": f"bounce.{DOMAIN}"},
        )
        if v2
        else resource(
            "aws:ses/mailFrom:MailFrom", "mail-from", {"domain": DOMAIN, "mailFromDomain": f"bounce.{DOMAIN}"}
        )
    )
    found = {
        "identity": identity,
        "dkim": None if v2 else resource("aws:ses/domainDkim:DomainDkim", "dkim", {"domain": DOMAIN}),
        "mail_from": mail_from,
        "spf": record(f"bounce.{DOMAIN}", "v=spf1 include:amazonses.com ~all"),
        "dmarc": record(f"_dmarc.{DOMAIN}", "v=DMARC1; p=reject"),
    }
    found.update(overrides)
    return stack(*[p for p in found.values() if p is not None])


def test_pass_v1_domain():
    assert outcome(RULE, parts()) == "pass"


def test_pass_v2_domain_easy_dkim_by_default():
    assert outcome(RULE, parts(v2=True)) == "pass"


def test_pass_relative_record_names_in_zone():
    zone = resource(ZONE, "zone", {"name": f"{DOMAIN}."}, region=None)
    view = parts(
        spf=record("bounce", '"v=spf1 include:amazonses.com -all"', zone_linked=True),
        dmarc=record("_dmarc", "v=DMARC1; p=quarantine", zone_linked=True),
        zone=zone,
    )
    assert outcome(RULE, view) == "pass"


def test_pass_subdomain_covered_by_parent_dmarc_sp():
    sub = "mail.acme.example.jp"
    view = stack(
        resource(IDENTITY, "mail", {"domain": sub}),
        resource("aws:ses/domainDkim:DomainDkim", "dkim", {"domain": sub}),
        resource("aws:ses/mailFrom:MailFrom", "mf", {"domain": sub, "mailFromDomain": f"bounce.{sub}"}),
        record(f"bounce.{sub}", "v=spf1 include:amazonses.com ~all"),
        record(f"_dmarc.{DOMAIN}", "v=DMARC1; p=none; sp=reject"),
    )
    assert outcome(RULE, view) == "pass"


def test_pass_address_identity_with_domain_identity():
    view = stack(
        *parts().resources,
        resource("aws:ses/emailIdentity:EmailIdentity", "noreply", {"email": f"noreply@{DOMAIN}"}),
    )
    assert outcome(RULE, view) == "pass"


def msg(text):
    return f"{IDENTITY} mail: {text}. [MAIL-01]"


def test_fail_no_dkim():
    assert messages(RULE, parts(dkim=None)) == [
        msg(f"{DOMAIN} has no DKIM (no ses.DomainDkim); expected an ses.DomainDkim for {DOMAIN}")
    ]


def test_fail_no_mail_from():
    assert messages(RULE, parts(mail_from=None)) == [
        msg(
            f"{DOMAIN} has no custom MAIL FROM domain; expected an ses.MailFrom (or"
            f" sesv2.EmailIdentityMailFromAttributes) with a subdomain of {DOMAIN}"
        )
    ]


@pytest.mark.parametrize(
    "spf, found",
    [
        (None, ""),
        (
            record(f"bounce.{DOMAIN}", "v=spf1 include:_spf.google.com ~all"),
            " (found 'v=spf1 include:_spf.google.com ~all')",
        ),
    ],
)
def test_fail_spf(spf, found):
    assert messages(RULE, parts(spf=spf)) == [
        msg(
            f"MAIL FROM domain bounce.{DOMAIN} has no SPF TXT record including amazonses.com{found}; "
            f"expected a Route 53 TXT record at bounce.{DOMAIN}: v=spf1 include:amazonses.com ~all"
        )
    ]


def test_fail_spf_on_apex_instead_of_mail_from():
    assert messages(RULE, parts(spf=record(DOMAIN, "v=spf1 include:amazonses.com ~all"))) == [
        msg(
            f"MAIL FROM domain bounce.{DOMAIN} has no SPF TXT record including amazonses.com; "
            f"expected a Route 53 TXT record at bounce.{DOMAIN}: v=spf1 include:amazonses.com ~all"
        )
    ]


def test_fail_no_dmarc():
    assert messages(RULE, parts(dmarc=None)) == [
        msg(
            f"{DOMAIN} has no DMARC TXT record at _dmarc.{DOMAIN}; expected a Route 53 TXT record at"
            f" _dmarc.{DOMAIN}: v=DMARC1; p=quarantine or p=reject"
        )
    ]


def test_fail_dmarc_none():
    assert messages(RULE, parts(dmarc=record(f"_dmarc.{DOMAIN}", "v=DMARC1; p=none"))) == [
        msg(
            f"DMARC record _dmarc.{DOMAIN} sets policy none for {DOMAIN}; expected DMARC policy quarantine or"
            " reject"
        )
    ]


def test_fail_address_identity_without_domain_identity():
    view = stack(resource(IDENTITY_V2, "noreply", {"emailIdentity": "noreply@other.example.jp"}))
    assert messages(RULE, view) == [
        f"{IDENTITY_V2} noreply: is an email-address identity (noreply@other.example.jp) with no domain"
        " identity for other.example.jp; expected a domain identity for other.example.jp with DKIM, MAIL"
        " FROM, SPF and DMARC. [MAIL-01]"
    ]


def test_na_no_identity():
    assert outcome(RULE, stack(record(f"_dmarc.{DOMAIN}", "v=DMARC1; p=none"))) == "n/a"


def test_unknown_domain_in_preview():
    view = parts(identity=resource(IDENTITY, "mail", {"domain": UNKNOWN_STRING_VALUE}, preview=True))
    assert outcome(RULE, view) == "unknown"
