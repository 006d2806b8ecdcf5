"""MailDomain: SES identity, Easy DKIM records, MAIL FROM with MX and SPF, DMARC."""

from __future__ import annotations

from typing import Any

import pytest

from components.errors import ComponentInputError
from components.mail import MailDomain, MailDomainArgs, validate_mail_domain_args
from tests.pulumi_mocks import Run, assert_all_under, run

DOMAIN = "acme.example.co.jp"
ZONE = "Z0MAILZONE123"


def args(**overrides: object) -> MailDomainArgs:
    values: dict[str, Any] = {"domain": DOMAIN, "hosted_zone_id": ZONE}
    values.update(overrides)
    return MailDomainArgs(**values)


def build(**overrides: object) -> Run:
    return run(lambda: MailDomain("acme-prod-mail", args(**overrides)))


@pytest.fixture(scope="module")
def default() -> Run:
    return build()


def records(result: Run) -> dict[tuple[str, str], list[str]]:
    found = {}
    for record in result.of_type("aws:route53/record:Record"):
        assert record.inputs["zoneId"] == ZONE
        found[(record.inputs["name"], record.inputs["type"])] = record.inputs["records"]
    return found


def test_every_child_is_parented(default: Run) -> None:
    assert_all_under(default, default.one("tenant-zone:mail:MailDomain").urn)


def test_identity_and_verification_record(default: Run) -> None:
    identity = default.one("aws:ses/domainIdentity:DomainIdentity")
    assert identity.inputs["domain"] == DOMAIN
    assert records(default)[(f"_amazonses.{DOMAIN}", "TXT")] == [identity.outputs["verificationToken"]]


def test_easy_dkim_publishes_three_cnames(default: Run) -> None:
    dkim = default.one("aws:ses/domainDkim:DomainDkim")
    assert dkim.inputs["domain"] == DOMAIN
    tokens = dkim.outputs["dkimTokens"]
    assert len(tokens) == 3
    found = records(default)
    for token in tokens:
        assert found[(f"{token}._domainkey.{DOMAIN}", "CNAME")] == [f"{token}.dkim.amazonses.com"]


def test_mail_from_with_mx_and_spf(default: Run) -> None:
    mail_from = default.one("aws:ses/mailFrom:MailFrom").inputs
    assert mail_from["domain"] == DOMAIN
    assert mail_from["mailFromDomain"] == f"mail.{DOMAIN}"
    found = records(default)
    assert found[(f"mail.{DOMAIN}", "MX")] == ["10 feedback-smtp.ap-northeast-1.amazonses.com"]
    assert found[(f"mail.{DOMAIN}", "TXT")] == ["v=spf1 include:amazonses.com -all"]


def test_dmarc_rejects_by_default(default: Run) -> None:
    assert records(default)[(f"_dmarc.{DOMAIN}", "TXT")] == [
        f"v=DMARC1; p=reject; rua=mailto:dmarc-reports@{DOMAIN}"
    ]
    assert len(default.of_type("aws:route53/record:Record")) == 7


def test_inputs_are_reflected() -> None:
    result = build(
        dmarc_policy="quarantine",
        dmarc_report_address="dmarc@reports.example.co.jp",
        mail_from_subdomain="bounce",
        region="ap-northeast-3",
        record_ttl=300,
    )
    found = records(result)
    assert found[(f"_dmarc.{DOMAIN}", "TXT")] == [
        "v=DMARC1; p=quarantine; rua=mailto:dmarc@reports.example.co.jp"
    ]
    assert found[(f"bounce.{DOMAIN}", "MX")] == ["10 feedback-smtp.ap-northeast-3.amazonses.com"]
    assert {r.inputs["ttl"] for r in result.of_type("aws:route53/record:Record")} == {300}


PREFIX = "MailDomain acme-prod-mail: "


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"dmarc_policy": "none"},
            "dmarc_policy = 'none' does not stop spoofed mail; expected quarantine or reject. [MAIL-01]",
        ),
        (
            {"domain": "Acme.example.com"},
            (
                "domain = 'Acme.example.com' is not a lowercase DNS domain; expected a domain such as"
                " mail.example.co.jp. [MAIL-01]"
            ),
        ),
        (
            {"mail_from_subdomain": "a.b"},
            (
                "mail_from_subdomain = 'a.b' is not a single DNS label; expected one lowercase label such as"
                " 'mail' (MAIL FROM becomes mail.<domain>). [MAIL-01]"
            ),
        ),
        (
            {"dmarc_report_address": "reports"},
            (
                "dmarc_report_address = 'reports' is not an e-mail address; expected an address for"
                f" aggregate reports, e.g. dmarc-reports@{DOMAIN}. [MAIL-01]"
            ),
        ),
        (
            {"region": "us-west-2"},
            "region = 'us-west-2' is outside Japan; expected one of ap-northeast-1, ap-northeast-3. [RES-01]",
        ),
        ({"record_ttl": 5}, "record_ttl = 5 is out of range; expected a TTL between 60 and 86400 seconds."),
    ],
)
def test_validation_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ComponentInputError) as caught:
        validate_mail_domain_args("acme-prod-mail", args(**overrides))
    assert str(caught.value) == PREFIX + message


def test_the_component_runs_the_validation() -> None:
    with pytest.raises(ComponentInputError, match="dmarc_policy = 'none'"):
        build(dmarc_policy="none")
