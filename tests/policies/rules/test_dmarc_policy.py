import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from tests.rulekit import messages, outcome, resource

RULE = "dmarc_policy"
RECORD = "aws:route53/record:Record"
EXPECTED = "expected v=DMARC1 with p=quarantine or p=reject. [MAIL-01]"


def dmarc(*values, name="_dmarc.acme.example.jp", record_type="TXT", preview=False):
    return resource(
        RECORD,
        "dmarc",
        {"zoneId": "Z1", "name": name, "type": record_type, "ttl": 300, "records": list(values)},
        region=None,
        preview=preview,
    )


@pytest.mark.parametrize(
    "value",
    [
        "v=DMARC1; p=reject; rua=mailto:dmarc@acme.example.jp",
        "v=DMARC1;p=quarantine;pct=100",
        '"v=DMARC1; p=reject; sp=quarantine"',
        "V=DMARC1; P=REJECT",
    ],
)
def test_pass_enforcing_policy(value):
    assert outcome(RULE, dmarc(value)) == "pass"


def test_pass_relative_name():
    assert outcome(RULE, dmarc("v=DMARC1; p=reject", name="_dmarc")) == "pass"


def test_fail_policy_none():
    assert messages(RULE, dmarc("v=DMARC1; p=none; rua=mailto:d@acme.example.jp")) == [
        f"{RECORD} dmarc: DMARC policy is p=none (spoofed mail is still delivered); {EXPECTED}"
    ]


def test_fail_missing_p():
    assert messages(RULE, dmarc("v=DMARC1; rua=mailto:d@acme.example.jp")) == [
        f"{RECORD} dmarc: DMARC value 'v=DMARC1; rua=mailto:d@acme.example.jp' has no p= tag; {EXPECTED}"
    ]


def test_fail_subdomain_policy_none():
    assert messages(RULE, dmarc("v=DMARC1; p=reject; sp=none")) == [
        f"{RECORD} dmarc: DMARC subdomain policy is sp=none (spoofed mail from subdomains is delivered); "
        "expected sp=quarantine or sp=reject, or no sp= (subdomains inherit p=). [MAIL-01]"
    ]


def test_fail_not_a_dmarc_value():
    assert messages(RULE, dmarc("v=spf1 -all")) == [f"{RECORD} dmarc: has no v=DMARC1 value; {EXPECTED}"]


def test_fail_two_dmarc_values():
    assert messages(RULE, dmarc("v=DMARC1; p=reject", "v=DMARC1; p=reject")) == [
        f"{RECORD} dmarc: publishes 2 DMARC values (receivers then ignore DMARC); "
        f"expected exactly one value, v=DMARC1 with p=quarantine or p=reject. [MAIL-01]"
    ]


@pytest.mark.parametrize(
    "name, record_type",
    [("acme.example.jp", "TXT"), ("_dmarc.acme.example.jp", "CNAME"), ("x_dmarc.acme.example.jp", "TXT")],
)
def test_na_other_records(name, record_type):
    assert outcome(RULE, dmarc("v=DMARC1; p=none", name=name, record_type=record_type)) == "n/a"


def test_unknown_value_in_preview():
    assert outcome(RULE, dmarc(UNKNOWN_STRING_VALUE, preview=True)) == "unknown"
