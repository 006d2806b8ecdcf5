"""The tenant specification: defaults, each control-breaking value's exact message, unknown keys,
all-at-once."""

from __future__ import annotations

import ipaddress
from typing import Any

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenancy.spec import SpecError, TenantSpec, parse_tenant_spec

VALID: dict[str, Any] = {
    "id": "acme",
    "environment": "prod",
    "accountEmail": "aws+acme-prod@example.jp",
    "vpcCidr": "10.16.0.0/16",
    "dataClassification": "personal",
    "incidentEmail": "security@acme.example.jp",
    "domainName": "app.acme.example.jp",
    "hostedZoneId": "Z0418273ACMEPRODEXMPL",
}


def problems(**changes: Any) -> list[str]:
    raw = {**VALID, **changes}
    with pytest.raises(SpecError) as caught:
        parse_tenant_spec(raw, "stacks/Pulumi.acme-prod.yaml")
    return caught.value.problems


def test_minimal_spec_gets_the_documented_defaults() -> None:
    spec = parse_tenant_spec(dict(VALID), "test")
    assert spec.primary_region == "ap-northeast-1"
    assert spec.secondary_region == "ap-northeast-3"
    assert spec.allowed_countries == ["JP"]
    assert spec.log_retention_days == 400
    assert spec.backup.retention_days == 90
    assert spec.backup.copy_retention_days is None
    assert spec.backup.effective_copy_retention_days == 90
    assert spec.shield_advanced is True
    assert spec.availability_zones == 3
    assert spec.rate_limit == 2000
    assert spec.allowed_cidrs == [] and spec.blocked_cidrs == []
    assert spec.mail is None
    assert spec.stack_name == "acme-prod" and spec.is_production


def test_full_spec_reads_every_camel_case_key() -> None:
    spec = parse_tenant_spec(
        {
            **VALID,
            "environment": "staging",
            "primaryRegion": "ap-northeast-1",
            "secondaryRegion": "ap-northeast-3",
            "availabilityZones": 2,
            "allowedCountries": ["JP"],
            "allowedCidrs": ["203.0.113.0/24"],
            "blockedCidrs": ["198.51.100.0/24"],
            "rateLimit": 500,
            "logRetentionDays": 731,
            "backup": {"retentionDays": 120, "copyRetentionDays": 365},
            "mail": {"domain": "mail.acme.example.jp", "hostedZoneId": "Z0418273ACMEPRODEXMPL"},
            "shieldAdvanced": True,
        },
        "test",
    )
    assert (spec.environment, spec.availability_zones, spec.rate_limit, spec.log_retention_days) == (
        "staging",
        2,
        500,
        731,
    )
    assert spec.allowed_cidrs == ["203.0.113.0/24"] and spec.blocked_cidrs == ["198.51.100.0/24"]
    assert (spec.backup.retention_days, spec.backup.effective_copy_retention_days) == (120, 365)
    assert spec.mail is not None and spec.mail.domain == "mail.acme.example.jp"
    assert not spec.is_production and spec.stack_name == "acme-staging"


def test_spec_error_is_a_pulumi_run_error_with_a_header_and_one_line_per_problem() -> None:
    with pytest.raises(SpecError) as caught:
        parse_tenant_spec(
            {**VALID, "primaryRegion": "us-east-1", "rateLimit": 1}, "stacks/Pulumi.acme-prod.yaml"
        )
    error = caught.value
    assert isinstance(error, pulumi.RunError)
    assert str(error).splitlines() == [
        "invalid tenant specification in stacks/Pulumi.acme-prod.yaml (2 problems):",
        (
            "tenant-zone:tenant.primaryRegion: 'us-east-1' is outside Japan; expected ap-northeast-1 or"
            " ap-northeast-3. [RES-01]"
        ),
        (
            "tenant-zone:tenant.rateLimit: 1 is outside AWS WAF's rate limit range; expected an integer from"
            " 10 to 2000000000 (requests per 5 minutes per client address). [EDGE-01]"
        ),
    ]


CONTROL_BREAKING: list[tuple[dict[str, Any], str]] = [
    (
        {"primaryRegion": "us-east-1"},
        (
            "tenant-zone:tenant.primaryRegion: 'us-east-1' is outside Japan; expected ap-northeast-1 or"
            " ap-northeast-3. [RES-01]"
        ),
    ),
    (
        {"primaryRegion": "ap-northeast-3"},
        (
            "tenant-zone:tenant.primaryRegion: 'ap-northeast-3' is the replica region; expected"
            " ap-northeast-1, so that replicas and backup copies land in ap-northeast-3. [RES-02]"
        ),
    ),
    (
        {"secondaryRegion": "eu-west-1"},
        (
            "tenant-zone:tenant.secondaryRegion: 'eu-west-1' is outside Japan; expected ap-northeast-1 or"
            " ap-northeast-3. [RES-01]"
        ),
    ),
    (
        {"secondaryRegion": "ap-northeast-1"},
        (
            "tenant-zone:tenant.secondaryRegion: 'ap-northeast-1' is the primary region, so replicas would"
            " stay in the same region; expected ap-northeast-3 (Osaka holds the replicas and backup copies)."
            " [RES-02]"
        ),
    ),
    (
        {"allowedCountries": ["JP", "US"]},
        (
            "tenant-zone:tenant.allowedCountries: ['JP', 'US'] allows countries other than Japan; expected"
            " [JP] (allow specific foreign addresses with allowedCidrs instead). [EDGE-02]"
        ),
    ),
    (
        {"allowedCountries": []},
        (
            "tenant-zone:tenant.allowedCountries: [] does not allow Japan; expected [JP] (allow specific"
            " foreign addresses with allowedCidrs instead). [EDGE-02]"
        ),
    ),
    (
        {"allowedCidrs": ["0.0.0.0/0"]},
        (
            "tenant-zone:tenant.allowedCidrs[0]: '0.0.0.0/0' would exempt most of the internet from the"
            " Japan-only rule; expected specific ranges of prefix /8 or longer. [EDGE-02]"
        ),
    ),
    (
        {"allowedCidrs": ["2001:db8::/32"]},
        (
            "tenant-zone:tenant.allowedCidrs[0]: '2001:db8::/32' is an IPv6 range; expected IPv4 CIDRs (the"
            " entry point is IPv4 only). [EDGE-02]"
        ),
    ),
    (
        {"blockedCidrs": ["0.0.0.0/1"]},
        (
            "tenant-zone:tenant.blockedCidrs[0]: '0.0.0.0/1' would block most of the internet; expected"
            " specific ranges of prefix /8 or longer. [EDGE-01]"
        ),
    ),
    (
        {"logRetentionDays": 90},
        (
            "tenant-zone:tenant.logRetentionDays: 90 days is shorter than one year; expected at least 365:"
            " one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. [LOG-02]"
        ),
    ),
    (
        {"availabilityZones": 1},
        (
            "tenant-zone:tenant.availabilityZones: 1 is fewer than two availability zones; expected 2 or 3."
            " [NET-03]"
        ),
    ),
    (
        {"availabilityZones": 4},
        (
            "tenant-zone:tenant.availabilityZones: 4 is more availability zones than Tokyo offers; expected 2"
            " or 3. [NET-03]"
        ),
    ),
    (
        {"dataClassification": "secret"},
        (
            "tenant-zone:tenant.dataClassification: 'secret' is not an allowed value; expected public,"
            " internal, confidential or personal. [TEN-04]"
        ),
    ),
    (
        {"backup": {"retentionDays": 30}},
        (
            "tenant-zone:tenant.backup.retentionDays: 30 days is shorter than three months; expected at least"
            " 90 (the default). [BAK-01]"
        ),
    ),
    (
        {"backup": {"retentionDays": 120, "copyRetentionDays": 100}},
        (
            "tenant-zone:tenant.backup.copyRetentionDays: 100 is shorter than backup.retentionDays (120);"
            " expected at least 120, so the Osaka copy still covers the retention after a loss of Tokyo."
            " [BAK-02]"
        ),
    ),
    (
        {"vpcCidr": "8.8.0.0/16"},
        (
            "tenant-zone:tenant.vpcCidr: '8.8.0.0/16' is not a private (RFC 1918) range; expected a range"
            " inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 that no other tenant uses. [TEN-02]"
        ),
    ),
    (
        {"vpcCidr": "10.0.0.0/26"},
        (
            "tenant-zone:tenant.vpcCidr: '10.0.0.0/26' has prefix /26; expected a prefix between /16 and /24,"
            " with room for public, private and isolated subnets in every availability zone. [NET-01]"
        ),
    ),
    (
        {"vpcCidr": "10.0.0.0/8"},
        (
            "tenant-zone:tenant.vpcCidr: '10.0.0.0/8' has prefix /8; expected a prefix between /16 and /24,"
            " with room for public, private and isolated subnets in every availability zone. [NET-01]"
        ),
    ),
    (
        {"rateLimit": 5},
        (
            "tenant-zone:tenant.rateLimit: 5 is outside AWS WAF's rate limit range; expected an integer from"
            " 10 to 2000000000 (requests per 5 minutes per client address). [EDGE-01]"
        ),
    ),
    (
        {"rateLimit": 2_000_000_001},
        (
            "tenant-zone:tenant.rateLimit: 2000000001 is outside AWS WAF's rate limit range; expected an"
            " integer from 10 to 2000000000 (requests per 5 minutes per client address). [EDGE-01]"
        ),
    ),
    (
        {"shieldAdvanced": False},
        (
            "tenant-zone:tenant.shieldAdvanced: false leaves the entry point and the NAT Elastic IPs without"
            " Shield Advanced; expected true (in every environment). [EDGE-03]"
        ),
    ),
    (
        {"environment": "staging", "shieldAdvanced": False},
        (
            "tenant-zone:tenant.shieldAdvanced: false leaves the entry point and the NAT Elastic IPs without"
            " Shield Advanced; expected true (in every environment). [EDGE-03]"
        ),
    ),
    (
        {"environment": "production"},
        (
            "tenant-zone:tenant.environment: 'production' is not an allowed value; expected prod, staging or"
            " dev. [TEN-03]"
        ),
    ),
    (
        {"incidentEmail": "security-at-acme"},
        (
            "tenant-zone:tenant.incidentEmail: 'security-at-acme' is not a valid e-mail address (an email"
            " address must have an @-sign); expected the incident contact's address of at most 254"
            " characters. [LOG-05]"
        ),
    ),
    (
        {"id": "platform"},
        (
            "tenant-zone:tenant.id: 'platform' is reserved for the organization stack; expected another"
            " tenant ID (the tag tenant=platform marks org resources). [TEN-04]"
        ),
    ),
    (
        {"allowedCidrs": ["203.0.113.0/24"], "blockedCidrs": ["203.0.113.128/25"]},
        (
            "tenant-zone:tenant.blockedCidrs[0]: '203.0.113.128/25' overlaps the allowedCidrs entry"
            " '203.0.113.0/24'; expected disjoint allow and deny lists (an address cannot be both allowed and"
            " blocked). [EDGE-01]"
        ),
    ),
]


@pytest.mark.parametrize(
    ("changes", "message"), CONTROL_BREAKING, ids=[m.split(":")[2].split(" ")[0] for _, m in CONTROL_BREAKING]
)
def test_control_breaking_value_is_refused_with_its_exact_message(
    changes: dict[str, Any], message: str
) -> None:
    assert problems(**changes) == [message]


INPUT_MISTAKES: list[tuple[dict[str, Any], str]] = [
    (
        {"id": "Acme"},
        (
            "tenant-zone:tenant.id: 'Acme' is not a lowercase slug; expected 2 to 20 characters of a-z, 0-9"
            " and single hyphens, starting with a letter (e.g. 'acme')."
        ),
    ),
    (
        {"accountEmail": "acme"},
        (
            "tenant-zone:tenant.accountEmail: 'acme' is not a valid e-mail address (an email address must"
            " have an @-sign); expected the new account's root e-mail (AWS Organizations allows 64"
            " characters) of at most 64 characters."
        ),
    ),
    (
        {"vpcCidr": "10.16.0.1/16"},
        (
            "tenant-zone:tenant.vpcCidr: '10.16.0.1/16' has host bits set; expected the network address"
            " '10.16.0.0/16'."
        ),
    ),
    (
        {"vpcCidr": "not-a-cidr"},
        (
            "tenant-zone:tenant.vpcCidr: 'not-a-cidr' is not an IPv4 CIDR; expected a private range such as"
            " '10.20.0.0/16'."
        ),
    ),
    (
        {"logRetentionDays": 500},
        (
            "tenant-zone:tenant.logRetentionDays: 500 is not a retention period CloudWatch Logs accepts;"
            " expected one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
        ),
    ),
    (
        {"allowedCidrs": ["203.0.113.0/24", "203.0.113.0/24"]},
        "tenant-zone:tenant.allowedCidrs: lists ['203.0.113.0/24'] more than once; expected each range once.",
    ),
    (
        {"domainName": "App.Example.jp"},
        (
            "tenant-zone:tenant.domainName: 'App.Example.jp' is not a fully qualified lower-case domain name"
            " (it has a label that is empty, longer than 63 characters, not lower case a-z/0-9/-, or starts"
            " or ends with -); expected a DNS name such as 'app.example.co.jp'."
        ),
    ),
    (
        {"hostedZoneId": "zone-1"},
        (
            "tenant-zone:tenant.hostedZoneId: 'zone-1' is not a Route 53 hosted zone ID; expected an ID such"
            " as 'Z0123456789ABCDEFGHIJ'."
        ),
    ),
    (
        {"availabilityZones": "three"},
        (
            "tenant-zone:tenant.availabilityZones: 'three' is not valid (input should be a valid integer,"
            " unable to parse string as an integer); expected 2 or 3."
        ),
    ),
]


@pytest.mark.parametrize(("changes", "message"), INPUT_MISTAKES)
def test_malformed_value_names_key_value_and_fix(changes: dict[str, Any], message: str) -> None:
    assert problems(**changes) == [message]


def test_unknown_key_is_named_with_a_suggestion_and_the_allowed_keys() -> None:
    assert problems(vpcCIDR="10.0.0.0/16") == [
        "tenant-zone:tenant.vpcCIDR: is not a known key (did you mean vpcCidr?); expected one of"
        " accountEmail, allowedCidrs, allowedCountries, availabilityZones, backup, blockedCidrs,"
        " dataClassification, domainName, environment, hostedZoneId, id, incidentEmail, logRetentionDays,"
        " mail, primaryRegion, rateLimit, secondaryRegion, shieldAdvanced, vpcCidr."
    ]


def test_unknown_nested_key_lists_the_nested_keys() -> None:
    assert problems(backup={"retentionDays": 90, "keepDays": 5}) == [
        "tenant-zone:tenant.backup.keepDays: is not a known key; expected one of copyRetentionDays,"
        " retentionDays."
    ]


def test_missing_required_keys_are_each_reported() -> None:
    raw = {k: v for k, v in VALID.items() if k not in ("vpcCidr", "incidentEmail")}
    with pytest.raises(SpecError) as caught:
        parse_tenant_spec(raw, "s")
    assert caught.value.problems == [
        (
            "tenant-zone:tenant.vpcCidr: is missing; expected a private IPv4 CIDR between /16 and /24 that no"
            " other tenant uses, such as '10.20.0.0/16'."
        ),
        "tenant-zone:tenant.incidentEmail: is missing; expected the incident contact's e-mail address.",
    ]


def test_every_problem_is_reported_at_once_including_cross_field_ones() -> None:
    found = problems(
        primaryRegion="us-east-1",
        vpcCidr="8.8.0.0/16",
        allowedCidrs=["203.0.113.0/24"],
        blockedCidrs=["203.0.113.0/24"],
        backup={"retentionDays": 200, "copyRetentionDays": 100},
        surprise=True,
    )
    assert [line.split(":", 2)[1].split(" ")[0] for line in found] == [
        "tenant.primaryRegion",
        "tenant.vpcCidr",
        "tenant.surprise",
        "tenant.blockedCidrs[0]",
        "tenant.backup.copyRetentionDays",
    ]


def test_missing_or_non_object_spec_is_refused() -> None:
    with pytest.raises(SpecError) as missing:
        parse_tenant_spec(None, "stack acme-prod")
    assert missing.value.problems == [
        "tenant-zone:tenant: is missing; expected the tenant specification object (id, environment, ...)."
    ]
    with pytest.raises(SpecError) as scalar:
        parse_tenant_spec("acme", "stack acme-prod")
    assert scalar.value.problems == [
        "tenant-zone:tenant: 'acme' is not an object; expected a mapping of tenant settings (id, environment,"
        " ...)."
    ]


def test_strings_from_cli_config_are_coerced() -> None:
    spec = parse_tenant_spec(
        {**VALID, "availabilityZones": "2", "rateLimit": "1500", "shieldAdvanced": "true"}, "s"
    )
    assert (spec.availability_zones, spec.rate_limit, spec.shield_advanced) == (2, 1500, True)


def test_model_is_frozen() -> None:
    spec = parse_tenant_spec(dict(VALID), "s")
    with pytest.raises(ValueError):
        spec.id = "other"  # type: ignore[misc]


def test_direct_model_validation_applies_the_cross_field_rules_too() -> None:
    with pytest.raises(ValueError, match=r"overlaps the allowedCidrs entry"):
        TenantSpec.model_validate(
            {**VALID, "allowedCidrs": ["192.0.2.0/24"], "blockedCidrs": ["192.0.2.0/24"]}
        )


# --- property tests of the VPC CIDR rule
# --------------------------------------------------------------------------

PRIVATE = [ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


@st.composite
def ipv4_networks(draw: st.DrawFn) -> ipaddress.IPv4Network:
    prefix = draw(st.integers(min_value=8, max_value=30))
    address = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return ipaddress.IPv4Network((address >> (32 - prefix) << (32 - prefix), prefix))


@settings(max_examples=300, deadline=None)
@given(ipv4_networks())
def test_vpc_cidr_is_accepted_exactly_when_private_and_sized_16_to_24(network: ipaddress.IPv4Network) -> None:
    acceptable = any(network.subnet_of(p) for p in PRIVATE) and 16 <= network.prefixlen <= 24
    try:
        spec = parse_tenant_spec({**VALID, "vpcCidr": str(network)}, "s")
    except SpecError as error:
        assert not acceptable
        assert len(error.problems) == 1 and error.problems[0].startswith(
            f"tenant-zone:tenant.vpcCidr: '{network}' "
        )
        assert error.problems[0].endswith(("[TEN-02]", "[NET-01]"))
    else:
        assert acceptable and spec.vpc_cidr == str(network)


@settings(max_examples=100, deadline=None)
@given(ipv4_networks(), st.integers(min_value=1, max_value=255))
def test_vpc_cidr_with_host_bits_gives_the_network_address(
    network: ipaddress.IPv4Network, offset: int
) -> None:
    if network.num_addresses <= offset:
        return
    written = f"{network.network_address + offset}/{network.prefixlen}"
    found = problems(vpcCidr=written)
    assert found == [
        f"tenant-zone:tenant.vpcCidr: '{written}' has host bits set; expected the network address"
        f" '{network}'."
    ]


# --- where the mail domain's records go: a zone that exists in a new account, or that the org stack creates


ZONE = "Z0418273ACMEPRODEXMPL"


@pytest.mark.parametrize(
    "mail, zone, delegations, parent",
    [
        # within domainName: the tenant's own zone
        ({"domain": "app.acme.example.jp"}, "own", {}, ""),
        ({"domain": "mail.app.acme.example.jp"}, "own", {}, ""),
        # a zone of mail.domain created in the tenant account and delegated from the parent zone
        (
            {"domain": "mail.acme.example.jp", "parentZoneId": ZONE},
            "delegated",
            {"domain": "mail.acme.example.jp"},
            ZONE,
        ),
        # the tenant's parent zone's own domain: the names below it that the records use are delegated
        (
            {"domain": "acme.example.jp", "hostedZoneId": ZONE},
            "names",
            {
                "verification": "_amazonses.acme.example.jp",
                "dkim": "_domainkey.acme.example.jp",
                "mail-from": "mail.acme.example.jp",
                "dmarc": "_dmarc.acme.example.jp",
            },
            ZONE,
        ),
    ],
)
def test_mail_zone_kinds(mail: dict[str, str], zone: str, delegations: dict[str, str], parent: str) -> None:
    spec = parse_tenant_spec({**VALID, "mail": mail}, "test")
    assert spec.mail_zone == zone
    assert spec.mail_delegations == delegations
    assert spec.mail_parent_zone_id == parent


def test_no_mail_means_no_mail_zone() -> None:
    spec = parse_tenant_spec(VALID, "test")
    assert (spec.mail_zone, spec.mail_delegations, spec.mail_parent_zone_id) == ("none", {}, "")


@pytest.mark.parametrize(
    "mail, message",
    [
        (
            {"domain": "mail.acme.example.jp"},
            "tenant-zone:tenant.mail: 'mail.acme.example.jp' is outside domainName app.acme.example.jp and"
            " names no zone for its records (a new account has none); expected mail.parentZoneId, the"
            " management account's zone of a parent domain of mail.domain (the org stack then creates the"
            " mail domain's zone in the tenant account and delegates it), or mail.hostedZoneId equal to"
            " hostedZoneId when that zone is the mail domain's own, or a mail.domain within domainName."
            " [MAIL-01]",
        ),
        (
            {"domain": "acme.example.jp", "hostedZoneId": "Z0999999OTHERTENANTZ"},
            "tenant-zone:tenant.mail.hostedZoneId: 'Z0999999OTHERTENANTZ' is not the tenant's parent zone"
            " hostedZoneId 'Z0418273ACMEPRODEXMPL', the only zone the org stack delegates from for this"
            " tenant; expected 'Z0418273ACMEPRODEXMPL', or mail.parentZoneId to delegate a zone of"
            " acme.example.jp to the tenant account. [MAIL-01]",
        ),
        (
            {
                "domain": "mail.acme.example.jp",
                "hostedZoneId": "Z0418273ACMEPRODEXMPL",
                "parentZoneId": "Z0418273ACMEPRODEXMPL",
            },
            "tenant-zone:tenant.mail.parentZoneId: 'Z0418273ACMEPRODEXMPL' is given with mail.hostedZoneId"
            " 'Z0418273ACMEPRODEXMPL'; expected one of the two: parentZoneId to delegate the mail domain's"
            " own zone, hostedZoneId when the mail domain is the tenant's parent zone's own. [MAIL-01]",
        ),
        (
            {"domain": "mail.app.acme.example.jp", "parentZoneId": "Z0418273ACMEPRODEXMPL"},
            "tenant-zone:tenant.mail.parentZoneId: 'Z0418273ACMEPRODEXMPL' would delegate"
            " mail.app.acme.example.jp, which lies within domainName app.acme.example.jp, whose zone the"
            " tenant account already holds; expected no parentZoneId: the mail records then go into the"
            " tenant's own zone. [MAIL-01]",
        ),
        (
            {"domain": "example.jp", "parentZoneId": "Z0418273ACMEPRODEXMPL"},
            "tenant-zone:tenant.mail.domain: 'example.jp' is not a subdomain that a parent zone can delegate"
            " (DelegatedZone needs three labels or more); expected mail.hostedZoneId when the tenant's parent"
            " zone is that domain's zone. [MAIL-01]",
        ),
    ],
)
def test_a_mail_domain_without_a_usable_zone_is_refused(mail: dict[str, str], message: str) -> None:
    assert problems(mail=mail) == [message]
