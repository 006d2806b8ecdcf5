"""The mail-authentication and upload-scanning audit checks beyond the seeded world: each way a live account
can differ from the baseline, one account per case (moto, in-process, default account)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from policies.audit.live_dmarc_record import dmarc_policy
from tenantctl.lifecycle.aws import PRIMARY_REGION, AccountClients, Aws
from tests.lifecycle.orgkit import Tenant, fake_malware_plans, run_check, shipped_spec

ACCOUNT = "123456789012"
SPEC = shipped_spec()
DOMAIN = SPEC.mail.domain if SPEC.mail else ""


@pytest.fixture
def tenant() -> Iterator[Tenant]:
    with mock_aws():
        yield Tenant(ACCOUNT, SPEC, AccountClients(Aws(), ACCOUNT, None))


def _bucket(tenant: Tenant, name: str, purpose: str | None) -> None:
    s3 = tenant.clients("s3", PRIMARY_REGION)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": PRIMARY_REGION})
    if purpose:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "purpose", "Value": purpose}]})


def test_upload_buckets_need_an_active_plan(tenant: Tenant) -> None:
    for name in ("up-ok", "up-error", "up-none"):
        _bucket(tenant, name, "uploads")
    _bucket(tenant, "data-unscanned", "data")
    fake_malware_plans(tenant.clients("guardduty", PRIMARY_REGION), {"up-ok": "ACTIVE", "up-error": "ERROR"})
    expected = "expected an ACTIVE GuardDuty Malware Protection plan for S3 protecting the bucket. [LOG-04]"
    assert run_check("live_upload_malware_protection", tenant) == [
        f"AWS::S3::Bucket up-error: is an upload bucket whose Malware Protection plan is ERROR; {expected}",
        "AWS::S3::Bucket up-none: is an upload bucket (purpose=uploads) without a Malware Protection plan;"
        f" {expected}",
    ]


def test_no_upload_bucket_reads_no_plan(tenant: Tenant) -> None:
    _bucket(tenant, "data-only", "data")
    # moto has no Malware Protection API: any call to it would fail the check
    assert run_check("live_upload_malware_protection", tenant) == []


def _zone(tenant: Tenant, records: dict[str, list[str]]) -> None:
    route53 = tenant.clients("route53")
    zone = route53.create_hosted_zone(Name="acme.example.jp", CallerReference="t")["HostedZone"]["Id"]
    changes = [
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": name,
                "Type": "TXT",
                "TTL": 300,
                "ResourceRecords": [{"Value": value} for value in values],
            },
        }
        for name, values in records.items()
    ]
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes})


def _identity(tenant: Tenant, mail_from: str | None) -> None:
    tenant.clients("sesv2", PRIMARY_REGION).create_email_identity(
        EmailIdentity=DOMAIN, DkimSigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"}
    )
    if mail_from:
        tenant.clients("ses", PRIMARY_REGION).set_identity_mail_from_domain(
            Identity=DOMAIN, MailFromDomain=mail_from
        )


SES_EXPECTED = (
    "expected an SES identity signing with Easy DKIM, a custom MAIL FROM domain and an SPF record"
    " (v=spf1 include:amazonses.com ...) on it. [MAIL-01]"
)


def test_identity_without_mail_from(tenant: Tenant) -> None:
    _identity(tenant, None)
    assert run_check("live_ses_identity_auth", tenant) == [
        f"AWS::SES::EmailIdentity {DOMAIN}: has no custom MAIL FROM domain; {SES_EXPECTED}"
    ]


def test_mail_from_whose_spf_leaves_out_ses(tenant: Tenant) -> None:
    _identity(tenant, f"bounce.{DOMAIN}")
    _zone(tenant, {f"bounce.{DOMAIN}": ['"v=spf1 include:_spf.example.com -all"']})
    assert run_check("live_ses_identity_auth", tenant) == [
        f"AWS::SES::EmailIdentity {DOMAIN}: has the MAIL FROM domain bounce.{DOMAIN}, but no SPF record"
        f" authorizes SES; {SES_EXPECTED}"
    ]


def test_spf_split_into_quoted_strings_is_read_whole(tenant: Tenant) -> None:
    _identity(tenant, f"bounce.{DOMAIN}")
    _zone(tenant, {f"bounce.{DOMAIN}": ['"v=spf1 include:amazon" "ses.com -all"']})
    assert run_check("live_ses_identity_auth", tenant) == []


DMARC_EXPECTED = "expected a TXT record v=DMARC1 with p=quarantine or p=reject. [MAIL-01]"


@pytest.mark.parametrize(
    ("values", "found"),
    [
        (['"v=DMARC1; p=quarantine; rua=mailto:d@acme.example.jp"'], []),
        (
            ['"v=spf1 -all"'],
            [f"AWS::Route53::RecordSet _dmarc.{DOMAIN}: has no DMARC record; {DMARC_EXPECTED}"],
        ),
        (
            ['"v=DMARC1; p=reject"', '"v=DMARC1; p=quarantine"'],
            [f"AWS::Route53::RecordSet _dmarc.{DOMAIN}: has 2 DMARC records; {DMARC_EXPECTED}"],
        ),
        (
            ['"v=DMARC1; rua=mailto:d@acme.example.jp"'],
            [f"AWS::Route53::RecordSet _dmarc.{DOMAIN}: has the DMARC policy p=(none); {DMARC_EXPECTED}"],
        ),
    ],
)
def test_dmarc_record_variants(tenant: Tenant, values: list[str], found: list[str]) -> None:
    _zone(tenant, {f"_dmarc.{DOMAIN}": values})
    assert run_check("live_dmarc_record", tenant) == found


def test_dmarc_policy_parsing() -> None:
    assert dmarc_policy("v=DMARC1; p=Reject; pct=100") == "reject"
    assert dmarc_policy("v=DMARC1;p=none") == "none"
    assert dmarc_policy("v=DMARC2; p=reject") is None


def test_tenant_without_mail_is_not_applicable(tenant: Tenant) -> None:
    quiet = Tenant(ACCOUNT, SPEC.model_copy(update={"mail": None}), tenant.clients)
    assert run_check("live_ses_identity_auth", quiet) == []
    assert run_check("live_dmarc_record", quiet) == []
